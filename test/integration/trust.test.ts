/**
 * Issue 9, defects 1–5, against a running product (role `api`: no worker polls, as on an API-only node):
 * - start-up while PostgreSQL is not reachable yet (a TCP proxy on loopback that opens later): the product stays up,
 *   /health says degraded without the raw error, archive routes answer 503, and once the database is there the
 *   migrations and the sweep of accepted-but-unstarted invoices complete;
 * - GET /v1/invoices/{id} of an invoice in flight answers from the archive at once when no worker answers queries;
 * - hostile input gets a 4xx with a rule id, never a 500, and the API stays responsive;
 * - the rules API names no absolute path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson } from '../../api/canonical-json.js';
import { connect, type Db } from '../../archive/database.js';
import { putDocument, sha256Hex } from '../../archive/documents.js';
import { insertInvoice } from '../../archive/invoices.js';
import { retainUntil } from '../../archive/retention.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { freePort } from '../support/free-port.js';
import { freshDatabase } from '../support/fresh-database.js';
import { businessInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';
import { waitFor } from '../support/wait-for.js';

let product: Product;
let url = '';
let dataDir: string;
let proxy: Server | undefined;
const sockets = new Set<Socket>();
let direct: Db;
let unstartedId: string;
const logged: string[] = [];

/** A TCP proxy on 127.0.0.1:port to the test database: until it listens, connections are refused (an outage). */
function openProxy(port: number, target: URL): Promise<Server> {
  const server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', () => done(server)));
}

// Keys are made straight in the test database: the product's own connection waits for the outage to end.
const { api, postJson, invoicePath } = productClient(() => url, () => direct);

beforeAll(async () => {
  // A database of its own: the other products of this run sweep theirs for unstarted invoices, and would start this one.
  const runDatabase = new URL(inject('databaseUrl'));
  const databaseUrl = new URL(await freshDatabase(runDatabase.toString(), `${runDatabase.pathname.slice(1)}_trust`));
  direct = connect(databaseUrl.toString(), 2);

  // An invoice accepted (archived with its source) by an earlier run that stopped before it started the workflow.
  const body = businessInvoice(uniqueNumber('UNSTARTED'));
  unstartedId = `${SUPPLIER_ORG}:invoice:${body.invoiceNumber}`;
  const content = JSON.stringify(body);
  const { record } = await insertInvoice(direct, {
    id: unstartedId, supplierOrg: SUPPLIER_ORG, documentType: 'invoice', invoiceNumber: body.invoiceNumber, issueDate: body.issueDate,
    customerKind: 'business', customerNumber: null, buyerOrg: body.buyer.taxId, branch: '', payableAmount: 2123.75, currency: 'NOK',
    sourceSha256: sha256Hex(canonicalJson(body)), idempotencyKey: null, warnings: [], verdictBasis: 'ours', retainUntil: retainUntil(body.issueDate),
  });
  await putDocument(direct, { invoiceId: record.id, kind: 'source', mediaType: 'application/json', content, retainUntil: record.retainUntil });
  await direct.query(`UPDATE invoices SET created_at = now() - interval '10 minutes' WHERE id = $1`, [unstartedId]);

  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-trust-'));
  const proxyPort = await freePort();
  const viaProxy = new URL(databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxyPort);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: viaProxy.toString(),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: '0',
    RULES_DIR: 'rules',
    FAKTURAFLYT_ROLE: 'api',
  });
  let listening: (u: string) => void;
  const listened = new Promise<string>((done) => (listening = done));
  const starting = startProduct(config, {
    workflowBundle: { code: inject('workflowBundle') },
    log: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
    onListening: (u) => listening(u),
    startupBackoff: { initialMs: 50, maxMs: 300 },
  });
  starting.catch(() => undefined);
  url = await Promise.race([listened, starting.then(() => { throw new Error('started without waiting for the database'); })]);

  // The outage: the API is up and says so, without the driver's error; the start-up work keeps retrying.
  const degraded = await waitFor('health to report the retrying start-up', async () => {
    const res = await api('/health');
    const json = await res.json();
    return res.status === 503 && json.checks.startup === 'retrying' ? json : undefined;
  });
  expect(degraded).toMatchObject({ status: 'degraded', checks: { database: 'unavailable', temporal: 'ok' } });
  expect(JSON.stringify(degraded)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
  expect(logged.some((line) => line.includes('archive migrations failed, retrying'))).toBe(true);
  const early = await postJson('/v1/invoices', businessInvoice());
  expect(early.status).toBe(503);
  expect((await early.json()).error).toBe('starting');

  // The database comes back: the start completes.
  proxy = await openProxy(proxyPort, databaseUrl);
  product = await starting;
}, 180_000);

afterAll(async () => {
  await product?.stop();
  for (const s of sockets) s.destroy();
  await new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done()));
  await direct?.end();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('start-up with a short database outage (defect 2)', () => {
  it('stays up, then becomes healthy and starts the invoices an earlier run accepted but did not start', async () => {
    const healthy = await waitFor('health ok with the start-up work done', async () => {
      const res = await api('/health');
      const json = await res.json();
      return res.status === 200 && json.checks.startup === 'done' ? json : undefined;
    });
    expect(healthy.checks).toMatchObject({ database: 'ok', temporal: 'ok', startup: 'done' });
    const described = await waitFor('the unstarted invoice to be started', () => product.client.workflow.getHandle(unstartedId).describe().catch(() => undefined));
    expect(described.status.name).toBe('RUNNING');
  });
});

describe('status reads while no worker polls (defect 3)', () => {
  it('answers GET /v1/invoices/{id} from the archive at once, marked as such', async () => {
    const res = await postJson('/v1/invoices', businessInvoice());
    expect(res.status).toBe(202);
    const { id } = await res.json();
    const started = Date.now();
    const state = await (await api(invoicePath(id))).json();
    // The live query waited 30 s for a worker; now it gives up after 1 s and the archive answers.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(state).toMatchObject({ id, status: 'received', source: 'archive', awaitingAgreementUntil: null });
  });
});

describe('hostile input gets a 4xx with a reason (defects 1 and 4)', () => {
  it('refuses a 50,000-character name without spaces with 422 FF-LENGTH at once, and stays responsive', async () => {
    const body = businessInvoice();
    body.buyer = { ...body.buyer, name: 'X'.repeat(50_000) };
    const started = Date.now();
    const res = await postJson('/v1/invoices', { ...body, lines: [{ ...body.lines[0]!, description: 'Y'.repeat(50_000) }] });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(422);
    const json = await res.json();
    expect(json.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'FF-LENGTH', path: '/buyer/name' }),
      expect.objectContaining({ rule: 'FF-LENGTH', path: '/lines/0/description' }),
    ]));
    expect((await api('/health')).status).toBe(200);
  });

  it('refuses an over-long name in EHF XML with 422 FF-LENGTH', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID><cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>${'Z'.repeat(50_000)}</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty></Invoice>`;
    const res = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0]).toMatchObject({ rule: 'FF-LENGTH', path: '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name' });
  });

  it('refuses a 4 kB customer number (422) and a 4 kB Idempotency-Key (400) instead of failing on an index', async () => {
    const consumer = { ...businessInvoice(), buyer: { kind: 'consumer', name: 'Kari Nordmann', customerNumber: 'K'.repeat(4096), address: { street: 'Gate 1', postalCode: '5013', city: 'Bergen', country: 'NO' } } };
    const long = await postJson('/v1/invoices', consumer);
    expect(long.status).toBe(422);
    expect((await long.json()).errors).toEqual([expect.objectContaining({ rule: 'FF-LENGTH', path: '/buyer/customerNumber' })]);

    const keyed = await postJson('/v1/invoices', businessInvoice(), { 'Idempotency-Key': 'k'.repeat(4096) });
    expect(keyed.status).toBe(400);
    expect((await keyed.json()).errors[0].rule).toBe('FF-IDEMPOTENCY-KEY');

    const agreement = await postJson('/v1/agreements', { supplierOrg: SUPPLIER_ORG, customerNumber: 'K'.repeat(4096), status: 'accepted' });
    expect(agreement.status).toBe(400);
  });

  it('refuses NUL in a body string (422), in an id and in a search parameter (400)', async () => {
    const body = businessInvoice();
    const nulInBody = await postJson('/v1/invoices', { ...body, buyerReference: 'PO\u00004711' });
    expect(nulInBody.status).toBe(422);
    expect((await nulInBody.json()).errors).toEqual([expect.objectContaining({ rule: 'FF-TEXT-CONTROL', path: '/buyerReference' })]);
    expect((await api('/v1/invoices/123456785:invoice:A%00B')).status).toBe(400);
    expect((await api('/v1/invoices/123456785:invoice:A%00B/history')).status).toBe(400);
    const search = await api('/v1/invoices?invoiceNumber=A%00B');
    expect(search.status).toBe(400);
    expect((await search.json()).errors[0].rule).toBe('FF-CONTROL-CHARACTER');
  });

  it('refuses invalid UTF-8 in a JSON body with 400 instead of reading U+FFFD', async () => {
    const text = Buffer.from(JSON.stringify({ ...businessInvoice(), buyerReference: 'PO-REPLACE' }));
    const at = text.indexOf('REPLACE');
    text[at] = 0xc3; // a lead byte followed by an ASCII byte: not UTF-8
    const res = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].rule).toBe('FF-UTF8');
    const agreement = await api('/v1/agreements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) });
    expect(agreement.status).toBe(400);
  });

  it('holds a rules dry-run invoice to the same limits', async () => {
    const res = await postJson('/v1/rules/evaluate', { invoice: { ...businessInvoice(), supplier: { name: 'S'.repeat(50_000) } } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([expect.objectContaining({ rule: 'FF-LENGTH', path: '/invoice/supplier/name' })]);
  });

  it('refuses a repeated or unknown search parameter with 400 instead of dropping the filter', async () => {
    const repeated = await api('/v1/invoices?invoiceNumber=a&invoiceNumber=b');
    expect(repeated.status).toBe(400);
    expect((await repeated.json()).errors[0]).toMatchObject({ rule: 'FF-QUERY-REPEATED', path: 'query/invoiceNumber' });
    expect((await api('/v1/invoices?invoicenumber=a')).status).toBe(400);
    const one = await api(`/v1/invoices?invoiceNumber=${encodeURIComponent('no-such-number')}`);
    expect(one.status).toBe(200);
    expect((await one.json()).invoices).toEqual([]);
  });
});

describe('internals (defect 5)', () => {
  it('the rules API names rule files relative to the rules folder', async () => {
    const text = await (await api('/v1/rules')).text();
    expect(text).toContain('.yaml');
    expect(text).not.toContain(resolve('rules'));
    expect(text).not.toContain(process.cwd());
  });
});
