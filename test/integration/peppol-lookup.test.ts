/**
 * The Peppol receiver lookup as the product uses it, on real servers on 127.0.0.1 (DNS, HTTPS SMP, PostgreSQL):
 * the PostgreSQL cache (hit, TTL expiry for successes and for not-found, technical failures never cached, the
 * endpoint's expiration caps the TTL), the ERP's lookup endpoint and the sandbox CSV import, and the routing
 * activity (an SMP outage makes it retry; it never routes as "not registered").
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { adminKey } from '../support/product-client.js';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { connect, type Db } from '../../archive/database.js';
import { EfakturaChannel } from '../../channels/efaktura/efaktura-channel.js';
import { SandboxEfakturaProvider } from '../../channels/efaktura/sandbox-provider.js';
import { SignedLinks } from '../../public-pages/signed-link.js';
import { AgreementRequester } from '../../channels/agreement-request/requester.js';
import { OutboxSmsGateway } from '../../channels/sms/outbox-gateway.js';
import { EmailChannel } from '../../channels/email.js';
import { LocalPeppolChannel } from '../../channels/peppol-local.js';
import { createPeppolLookup, type PeppolLookups } from '../../channels/peppol/create-lookup.js';
import { BILLING_PROCESS_ID, DOCUMENT_TYPE_IDS } from '../../channels/peppol/billing-identifiers.js';
import { PeppolLookupUnavailable } from '../../channels/peppol/lookup.js';
import { run as registryCli } from '../../channels/peppol/registry-cli.js';
import { naptrName } from '../../channels/peppol/sml-naptr.js';
import { LocalPrintChannel } from '../../channels/print-local.js';
import { loadConfig } from '../../main/config.js';
import type { RoutingFacts } from '../../routing/facts.js';
import { startDnsNaptrServer, type DnsNaptrServer } from '../support/dns-naptr-server.js';
import { businessInvoice, uniqueNumber } from '../support/invoices.js';
import { paths, serviceGroupXml, serviceMetadataXml, signSmpXml, startSmpServer, type SmpServer } from '../support/smp-server.js';
import { createTestCa, type TestCa, type TestCertificate } from '../support/test-pki.js';
import { archiveInvoice } from '../support/archived-invoice.js';

const ZONE = 'participant.sml.test.invalid';
const HOUR = 3_600_000;
const MINUTE = 60_000;

let db: Db;
let dir: string;
let dns: DnsNaptrServer;
let smp: SmpServer;
let tlsCa: TestCa;
let signer: TestCertificate;
let clock = Date.now();
let sml: PeppolLookups;

/** A valid organisation number no other test of this run uses (the cache and registry tables are shared). */
let lastOrg = 920_000_000 + (process.pid % 1000) * 10_000;
function freshOrg(): string {
  for (;;) {
    const digits = String(++lastOrg);
    const sum = [...digits].reduce((s, d, i) => s + Number(d) * [3, 2, 7, 6, 5, 4, 3, 2, 1][i], 0);
    if (sum % 11 === 0) return digits;
  }
}

function publish(participant: string, types: ('invoice' | 'creditNote')[], expiration?: string) {
  dns.setSmp(naptrName(participant, ZONE), smp.url);
  smp.serve(paths.serviceGroup(participant), serviceGroupXml(smp.url, participant, types.map((t) => DOCUMENT_TYPE_IDS[t])));
  for (const type of types) {
    const xml = serviceMetadataXml(participant, DOCUMENT_TYPE_IDS[type], [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: 'https://ap.example.invalid/as4', expiration }] }]);
    smp.serve(paths.metadata(participant, DOCUMENT_TYPE_IDS[type]), signSmpXml(xml, signer));
  }
}

const smpRequestsFor = (participant: string) => smp.requests.filter((p) => p.includes(participant)).length;

beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  dir = await mkdtemp(join(tmpdir(), 'fakturaflyt-peppol-lookup-'));
  tlsCa = createTestCa('test TLS CA');
  const smpCa = createTestCa('test SMP CA');
  signer = smpCa.issue({ commonName: 'SMP_TEST' });
  await writeFile(join(dir, 'truststore.pem'), smpCa.certPem);
  dns = await startDnsNaptrServer();
  smp = await startSmpServer(tlsCa.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'] }));
  // Configured as a user would: the environment names of the README.
  const config = loadConfig({
    PEPPOL_LOOKUP: 'sml',
    PEPPOL_SML_ZONE: ZONE,
    PEPPOL_DNS_SERVERS: dns.address,
    PEPPOL_SMP_TRUSTSTORE: join(dir, 'truststore.pem'),
    PEPPOL_LOOKUP_TTL: 'PT1H',
    PEPPOL_NOT_FOUND_TTL: 'PT10M',
  });
  sml = createPeppolLookup(config.peppol, db, { smp: { extraCa: tlsCa.certPem, timeoutMs: 3_000 }, dnsTimeoutMs: 500, now: () => new Date(clock) });
});

afterAll(async () => {
  await smp?.close();
  await dns?.close();
  await db?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('lookup cache (PostgreSQL)', () => {
  it('has no registry with PEPPOL_LOOKUP=sml', () => {
    expect(sml.registry).toBeUndefined();
  });

  it('answers again from the cache until PEPPOL_LOOKUP_TTL, then asks the network', async () => {
    const participant = `0192:${freshOrg()}`;
    publish(participant, ['invoice']);
    const first = await sml.lookup.lookup(participant, 'invoice');
    expect(first).toMatchObject({ status: 'registered', source: 'sml' });
    const asked = smpRequestsFor(participant);
    expect(asked).toBe(2); // ServiceGroup + metadata

    clock += 59 * MINUTE;
    const second = await sml.lookup.lookup(participant, 'invoice');
    expect(second).toMatchObject({ status: 'registered', source: 'cache', checkedAt: first.checkedAt });
    expect(smpRequestsFor(participant)).toBe(asked);

    clock += 2 * MINUTE;
    const third = await sml.lookup.lookup(participant, 'invoice');
    expect(third).toMatchObject({ status: 'registered', source: 'sml' });
    expect(third.checkedAt).not.toBe(first.checkedAt);
    expect(smpRequestsFor(participant)).toBe(asked + 2);
  });

  it('keeps "not registered" PEPPOL_NOT_FOUND_TTL, so a new registration is found after it', async () => {
    const participant = `0192:${freshOrg()}`;
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'not_registered', source: 'sml' });
    publish(participant, ['invoice']);
    clock += 9 * MINUTE;
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'not_registered', source: 'cache' });
    clock += 2 * MINUTE;
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'registered', source: 'sml' });
  });

  it('never caches a technical failure', async () => {
    const participant = `0192:${freshOrg()}`;
    publish(participant, ['invoice']);
    smp.outage = 500;
    try {
      await expect(sml.lookup.lookup(participant, 'invoice')).rejects.toBeInstanceOf(PeppolLookupUnavailable);
    } finally {
      smp.outage = undefined;
    }
    const rows = await db.query('SELECT 1 FROM peppol_lookup_cache WHERE participant = $1', [participant]);
    expect(rows.rowCount).toBe(0);
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'registered', source: 'sml' });
  });

  it("does not keep a registered answer past the endpoint's expiration", async () => {
    const participant = `0192:${freshOrg()}`;
    publish(participant, ['invoice'], new Date(clock + 10 * MINUTE).toISOString());
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'registered', source: 'sml' });
    clock += 11 * MINUTE;
    expect(await sml.lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'document_type_not_registered', source: 'sml', reason: expect.stringMatching(/not active now/) });
  });
});

/** The API as an operator calls it: with an admin key of the test database. */
async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await adminKey(db)}`);
  return fetch(url, { ...init, headers });
}

async function listen(deps: Partial<ApiDeps>): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp({ db, log: () => undefined, bodyLimit: '1mb', ...deps } as ApiDeps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('GET /v1/peppol/participants/{id} and the sandbox import', () => {
  it('with PEPPOL_LOOKUP=sml: registered with its endpoint, then cached; 502 on an SMP outage; 400 for an invalid id; no sandbox', async () => {
    const api = await listen({ peppolLookup: sml.lookup });
    try {
      const org = freshOrg();
      publish(`0192:${org}`, ['invoice']);
      const first = await call(`${api.url}/v1/peppol/participants/0192:${org}`);
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ participant: `0192:${org}`, registered: true, documentTypes: ['invoice'], acceptsDocumentType: true, cached: false, endpoint: { url: 'https://ap.example.invalid/as4' } });
      const again = await (await call(`${api.url}/v1/peppol/participants/iso6523-actorid-upis::0192:${org}`)).json();
      expect(again).toMatchObject({ registered: true, cached: true });
      const creditNote = await (await call(`${api.url}/v1/peppol/participants/0192:${org}?documentType=creditNote`)).json();
      expect(creditNote).toMatchObject({ registered: true, acceptsDocumentType: false, documentTypes: ['invoice'] });

      const down = freshOrg();
      publish(`0192:${down}`, ['invoice']);
      smp.outage = 503;
      try {
        const outage = await call(`${api.url}/v1/peppol/participants/0192:${down}`);
        expect(outage.status).toBe(502);
        const body = await outage.json();
        expect(body).toMatchObject({ error: 'lookup_unavailable', message: expect.stringMatching(/503/) });
        expect(body).not.toHaveProperty('registered');
      } finally {
        smp.outage = undefined;
      }

      const invalid = await call(`${api.url}/v1/peppol/participants/0192:123456789`);
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ errors: [{ rule: 'FF-PEPPOL-PARTICIPANT' }] });

      const sandbox = await call(`${api.url}/v1/sandbox/peppol/participants`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'identifier,name,documentTypes\n' });
      expect(sandbox.status).toBe(404);
    } finally {
      await api.close();
    }
  });

  it('with PEPPOL_LOOKUP=sandbox: the CSV import fills the registry the lookup answers from; a bad line imports nothing', async () => {
    const local = createPeppolLookup(loadConfig({}).peppol, db);
    expect(local.registry).toBeDefined();
    const api = await listen({ peppolLookup: local.lookup, peppolRegistry: local.registry });
    try {
      const [both, invoiceOnly, never] = [freshOrg(), freshOrg(), freshOrg()];
      const bad = await call(`${api.url}/v1/sandbox/peppol/participants`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: `identifier,name,documentTypes\n0192:${never},"Never, AS",invoice\n0192:123456789,Bad AS,invoice\n0192:${never},Twice AS,orders\n`,
      });
      expect(bad.status).toBe(400);
      expect((await bad.json()).errors).toEqual([
        expect.objectContaining({ rule: 'FF-PEPPOL-PARTICIPANT', path: 'line 3' }),
        expect.objectContaining({ rule: 'FF-CSV-DOCUMENT-TYPE', path: 'line 4' }),
      ]);
      expect(await (await call(`${api.url}/v1/peppol/participants/0192:${never}`)).json()).toMatchObject({ registered: false, source: 'registry' });

      const wrongType = await call(`${api.url}/v1/sandbox/peppol/participants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(wrongType.status).toBe(415);

      const ok = await call(`${api.url}/v1/sandbox/peppol/participants`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        body: `identifier,name,documentTypes\r\n0192:${both},"Both, AS",invoice;creditNote\r\n0192:${invoiceOnly},Invoices AS,invoice\r\n`,
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ imported: 2 });
      expect(await (await call(`${api.url}/v1/peppol/participants/0192:${both}?documentType=creditNote`)).json()).toMatchObject({
        registered: true, acceptsDocumentType: true, documentTypes: ['invoice', 'creditNote'], cached: false, source: 'registry',
      });
      expect(await (await call(`${api.url}/v1/peppol/participants/0192:${invoiceOnly}?documentType=creditNote`)).json()).toMatchObject({ registered: true, acceptsDocumentType: false });
      const name = await db.query<{ name: string }>('SELECT name FROM peppol_participants WHERE identifier = $1', [`0192:${both}`]);
      expect(name.rows[0]?.name).toBe('Both, AS');
    } finally {
      await api.close();
    }
  });
});

describe('fakturaflyt peppol import <file.csv>', () => {
  it('imports through the running API; a bad file is refused before it', async () => {
    const local = createPeppolLookup(loadConfig({}).peppol, db);
    const api = await listen({ peppolLookup: local.lookup, peppolRegistry: local.registry });
    try {
      const org = freshOrg();
      const good = join(dir, 'participants.csv');
      await writeFile(good, `identifier,name,documentTypes\n0192:${org},CLI AS,invoice\n`);
      const key = await adminKey(db);
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, ['bin/fakturaflyt.mjs', 'peppol', 'import', good], { env: { ...process.env, FAKTURAFLYT_URL: api.url, FAKTURAFLYT_API_KEY: key }, timeout: 60_000 }, (err, out) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out }),
        ),
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/Imported 1 participant/);
      expect(await local.lookup.lookup(`0192:${org}`, 'invoice')).toMatchObject({ status: 'registered', source: 'registry' });

      const bad = join(dir, 'bad.csv');
      const other = freshOrg();
      await writeFile(bad, `identifier,name,documentTypes\n0192:${other},Fine AS,invoice\n0192:12345678,Short AS,invoice\n`);
      const errors: string[] = [];
      expect(await registryCli(['peppol', 'import', bad], { out: () => undefined, err: (t) => errors.push(t), env: { FAKTURAFLYT_URL: api.url } })).toBe(1);
      expect(errors.join('')).toMatch(/line 3: FF-PEPPOL-PARTICIPANT/);
      expect(await local.lookup.lookup(`0192:${other}`, 'invoice')).toMatchObject({ status: 'not_registered' });

      const smlApi = await listen({ peppolLookup: sml.lookup });
      try {
        expect(await registryCli(['peppol', 'import', good], { out: () => undefined, err: (t) => errors.push(t), env: { FAKTURAFLYT_URL: smlApi.url, FAKTURAFLYT_API_KEY: key } })).toBe(1);
        expect(errors.at(-1)).toMatch(/404 sandbox endpoints exist only while PEPPOL_LOOKUP=sandbox/);
      } finally {
        await smlApi.close();
      }
    } finally {
      await api.close();
    }
  });
});

describe('routing by the lookup', () => {
  const mock = new MockActivityEnvironment();

  const archived = async (body: ReturnType<typeof businessInvoice>) => (await archiveInvoice(db, body)).id;

  it('routes by the SML/SMP answer, and retries (never "not registered") when the SMP is down', async () => {
    const seen: RoutingFacts[] = [];
    const activities = createActivities({
      db,
      channels: { peppol: new LocalPeppolChannel(db, dir, sml.lookup), efaktura: new EfakturaChannel({ provider: new SandboxEfakturaProvider(db, dir), db, links: new SignedLinks(Buffer.alloc(32, 7)), publicBaseUrl: 'http://127.0.0.1:3000' }), email: new EmailChannel({ from: 'test <t@fakturaflyt.invalid>', db, dataDir: dir }), print: new LocalPrintChannel(db, dir) },
      agreementRequests: new AgreementRequester({ db, sms: new OutboxSmsGateway(db, dir), smsSender: 'Test', mailer: new EmailChannel({ from: 'test <t@fakturaflyt.invalid>', db, dataDir: dir }), links: new SignedLinks(Buffer.alloc(32, 7)), publicBaseUrl: 'http://127.0.0.1:3000', scope: 'all' }),
      route: (facts) => (seen.push(facts), { ruleId: 'test', rulesVersion: 'rs-test', plan: { steps: [{ channel: 'peppol' }] } }),
    });
    const buyer = freshOrg();
    publish(`0192:${buyer}`, ['invoice']);
    const registered = await archived(businessInvoice(uniqueNumber('PL'), buyer));
    await mock.run(activities.routeInvoice, { invoiceId: registered });
    expect(seen.at(-1)?.peppol).toEqual({ registered: true, acceptsDocumentType: true });

    const downBuyer = freshOrg();
    publish(`0192:${downBuyer}`, ['invoice']);
    const down = await archived(businessInvoice(uniqueNumber('PL'), downBuyer));
    smp.outage = 503;
    let failure: unknown;
    try {
      await mock.run(activities.routeInvoice, { invoiceId: down });
    } catch (err) {
      failure = err;
    } finally {
      smp.outage = undefined;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PeppolLookupUnavailable', nonRetryable: false });
    expect(seen).toHaveLength(1);

    const unregistered = await archived(businessInvoice(uniqueNumber('PL'), freshOrg()));
    await mock.run(activities.routeInvoice, { invoiceId: unregistered });
    expect(seen.at(-1)?.peppol).toEqual({ registered: false, acceptsDocumentType: false });
  });
});
