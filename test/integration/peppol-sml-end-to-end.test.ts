/**
 * End to end with PEPPOL_LOOKUP=sml and PEPPOL_AP=phoss-ap, configured as the README says, everything on 127.0.0.1:
 * our DNS server as the SML, our HTTPS SMP with signed metadata, the phoss-ap contract server and an SMTP sink.
 * A registered business gets its EHF through the AP; a business registered only for invoices gets its credit note
 * by e-mail; an unregistered one by e-mail; an SMP outage and a tampered signature are retried (the invoice waits
 * in routing, nothing is sent anywhere) and the invoice goes by Peppol once the SMP answers properly again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BILLING_PROCESS_ID, DOCUMENT_TYPE_IDS } from '../../channels/peppol/billing-identifiers.js';
import { sbdhInstanceId } from '../../channels/peppol/sbdh-instance-id.js';
import { naptrName } from '../../channels/peppol/sml-naptr.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { startDnsNaptrServer, type DnsNaptrServer } from '../support/dns-naptr-server.js';
import { freePort } from '../support/free-port.js';
import { businessInvoice, uniqueNumber } from '../support/invoices.js';
import { startPhossApServer, type PhossApServer } from '../support/phoss-ap-server.js';
import { productClient } from '../support/product-client.js';
import { paths, serviceGroupXml, serviceMetadataXml, signSmpXml, startSmpServer, type SmpServer } from '../support/smp-server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { createTestCa, type TestCertificate } from '../support/test-pki.js';
import { waitFor } from '../support/wait-for.js';

const ZONE = 'participant.sml.e2e.invalid';
/** Valid organisation numbers no other test uses. */
const REGISTERED = '930000019';
const INVOICES_ONLY = '930000027';
const UNREGISTERED = '930000035';
const FLAKY = '930000043';

let product: Product;
let dns: DnsNaptrServer;
let smp: SmpServer;
let ap: PhossApServer;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let signer: TestCertificate;
let dataDir: string;

function metadata(org: string, type: 'invoice' | 'creditNote'): string {
  return serviceMetadataXml(`0192:${org}`, DOCUMENT_TYPE_IDS[type], [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: 'https://receiver-ap.example.invalid/as4' }] }]);
}

function publish(org: string, types: ('invoice' | 'creditNote')[]) {
  const participant = `0192:${org}`;
  dns.setSmp(naptrName(participant, ZONE), smp.url);
  smp.serve(paths.serviceGroup(participant), serviceGroupXml(smp.url, participant, types.map((t) => DOCUMENT_TYPE_IDS[t])));
  for (const t of types) smp.serve(paths.metadata(participant, DOCUMENT_TYPE_IDS[t]), signSmpXml(metadata(org, t), signer));
}

beforeAll(async () => {
  for (const org of [REGISTERED, INVOICES_ONLY, UNREGISTERED, FLAKY]) {
    expect([...org].reduce((s, d, i) => s + Number(d) * [3, 2, 7, 6, 5, 4, 3, 2, 1][i], 0) % 11, org).toBe(0);
  }
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-peppol-sml-'));
  const tlsCa = createTestCa('e2e TLS CA');
  const smpCa = createTestCa('e2e SMP CA');
  signer = smpCa.issue({ commonName: 'SMP_E2E' });
  await writeFile(join(dataDir, 'smp-truststore.pem'), smpCa.certPem);
  dns = await startDnsNaptrServer();
  smp = await startSmpServer(tlsCa.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'] }));
  ap = await startPhossApServer({ token: 'ap-token' });
  smtp = await startSmtpSink();
  publish(REGISTERED, ['invoice', 'creditNote']);
  publish(INVOICES_ONLY, ['invoice']);
  publish(FLAKY, ['invoice']);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: '0',
    SMTP_URL: smtp.url,
    RULES_DIR: 'rules',
    PEPPOL_LOOKUP: 'sml',
    PEPPOL_SML_ZONE: ZONE,
    PEPPOL_DNS_SERVERS: dns.address,
    PEPPOL_SMP_TRUSTSTORE: join(dataDir, 'smp-truststore.pem'),
    PEPPOL_AP: 'phoss-ap',
    PEPPOL_AP_URL: ap.url,
    PEPPOL_AP_TOKEN: 'ap-token',
    CALLBACK_SECRET: CALLBACK,
  });
  product = await startProduct(config, {
    workflowBundle: { code: inject('workflowBundle') },
    log: () => undefined,
    // In-process stand-in for NODE_EXTRA_CA_CERTS (proved separately in test/unit/peppol/sml-lookup.test.ts).
    peppol: { poll: { firstIntervalMs: 50, maxIntervalMs: 200, maxWaitMs: 10_000 }, mlsPollEveryMs: 100, smp: { extraCa: tlsCa.certPem, timeoutMs: 3_000 } },
  });
});

afterAll(async () => {
  await product?.stop();
  await ap?.stop();
  await smtp?.stop();
  await smp?.close();
  await dns?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const { api, submit, invoiceIn, invoicePath } = productClient(() => product.url, () => product.db);
const finalState = (id: string) => invoiceIn(id, ['delivered', 'failed', 'rejected']);
const mailsTo = (id: string) => smtp.received.filter((m) => m.raw.includes(id.split(':').at(-1)!)).length;

const CALLBACK = 'sml-end-to-end-callback-secret';

describe('Peppol by SML/SMP lookup and phoss-ap', () => {
  it('a registered business gets its EHF through the AP; the sandbox registry does not exist in sml mode', async () => {
    const id = await submit(businessInvoice(uniqueNumber('SML'), REGISTERED));
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol' });
    expect(state.deliveries[0].receipt).toMatchObject({ sbdhInstanceId: sbdhInstanceId(id), accessPoint: 'phoss-ap', receiver: `0192:${REGISTERED}` });
    expect(ap.transactions.has(sbdhInstanceId(id))).toBe(true);
    const lookup = await (await api(`/v1/peppol/participants/0192:${REGISTERED}`)).json();
    expect(lookup).toMatchObject({ registered: true, documentTypes: ['invoice', 'creditNote'], cached: true });
    const put = await api(`/v1/sandbox/peppol/participants/0192:${REGISTERED}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(404);
  });

  it('lookup → AP → MLS → Invoice Response: each shows on the invoice and in its history', async () => {
    const id = await submit(businessInvoice(uniqueNumber('SMLR'), REGISTERED));
    expect(await finalState(id)).toMatchObject({ status: 'delivered', channel: 'peppol', transportStatus: 'sent' });
    const sbdh = sbdhInstanceId(id);
    // The receiving AP confirms (MLS AP): the poller reads it from our AP.
    ap.setMls(sbdh, 'received_ap');
    await waitFor('MLS AP on the invoice', async () => ((await (await api(invoicePath(id))).json()).mlsStatus === 'AP' ? true : undefined));
    // The buyer's Invoice Responses, forwarded by an adapter with CALLBACK_SECRET.
    for (const code of ['AB', 'AP']) {
      const res = await api('/v1/peppol/responses', {
        method: 'POST',
        headers: { authorization: `Bearer ${CALLBACK}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sbdhInstanceId: sbdh, kind: 'invoice_response', code, at: new Date().toISOString() }),
      });
      expect(res.status).toBe(201);
    }
    const state = await (await api(invoicePath(id))).json();
    expect(state).toMatchObject({ status: 'delivered', transportStatus: 'sent', mlsStatus: 'AP', businessStatus: 'AP' });
    expect(state.responses.map((r: { kind: string; code: string }) => `${r.kind}:${r.code}`)).toEqual(['transport:sent', 'mls:AP', 'invoice_response:AB', 'invoice_response:AP']);
    const { timeline } = await (await api(`${invoicePath(id)}/history`)).json();
    const responses = timeline.filter((t: { event: string }) => t.event === 'PEPPOL_RESPONSE').map((t: { summary: string }) => t.summary.split(':')[0]);
    expect(responses).toEqual(['Peppol MLS AP', 'Invoice Response AB', 'Invoice Response AP']);
  });

  it('a business registered only for invoices gets its credit note by e-mail; an unregistered one too', async () => {
    const creditNote = await submit({ ...businessInvoice(uniqueNumber('SMLCN'), INVOICES_ONLY), documentType: 'creditNote' });
    const unregistered = await submit(businessInvoice(uniqueNumber('SMLNO'), UNREGISTERED));
    for (const id of [creditNote, unregistered]) {
      expect(await finalState(id)).toMatchObject({ status: 'delivered', channel: 'email' });
      expect(ap.transactions.has(sbdhInstanceId(id))).toBe(false);
      expect(mailsTo(id)).toBe(1);
    }
  });

  it('an SMP outage, then a tampered signature, are retried, never "not registered"; Peppol once the SMP answers properly', async () => {
    const participant = `0192:${FLAKY}`;
    const metadataPath = paths.metadata(participant, DOCUMENT_TYPE_IDS.invoice);
    smp.outage = 503;
    const id = await submit(businessInvoice(uniqueNumber('SMLX'), FLAKY));
    const asked = () => smp.requests.filter((p) => p.includes(participant)).length;
    await waitFor('the routing activity to retry the SMP', async () => asked() >= 2);

    // The SMP answers again, but the metadata has been tampered with: still no answer we can trust.
    const signed = signSmpXml(metadata(FLAKY, 'invoice'), signer);
    smp.serve(metadataPath, signed.replace('https://receiver-ap.example.invalid/as4', 'https://attacker.example.invalid/as4'));
    smp.outage = undefined;
    const before = smp.requests.filter((p) => p === metadataPath).length;
    await waitFor('the tampered metadata to be fetched and refused twice', async () => smp.requests.filter((p) => p === metadataPath).length >= before + 2);
    const waiting = await (await api(invoicePath(id))).json();
    expect(['received', 'routing']).toContain(waiting.status);
    expect(waiting.channel ?? null).toBeNull();
    expect(mailsTo(id)).toBe(0);
    expect(ap.transactions.has(sbdhInstanceId(id))).toBe(false);

    smp.serve(metadataPath, signed);
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol' });
    expect(mailsTo(id)).toBe(0);
  });
});
