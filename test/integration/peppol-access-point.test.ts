/**
 * End to end with PEPPOL_AP=phoss-ap, configured as the README says: the product (Temporal dev server, PostgreSQL,
 * worker, API) hands EHF to an AP on 127.0.0.1 that speaks phoss-ap's outbound contract, falls back to e-mail on
 * NOT_SERVICED, and shows what comes later — the MLS the poller reads from the AP, and the responses pushed to
 * POST /v1/peppol/responses (our JSON and UBL ApplicationResponses) — on GET /v1/invoices/{id} and in its history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sbdhInstanceId } from '../../channels/peppol/sbdh-instance-id.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { invoiceResponse, messageLevelResponse } from '../support/application-responses.js';
import { testEngine, type TestEngine } from '../support/engine.js';
import { businessInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';
import { startPhossApServer, type PhossApServer } from '../support/phoss-ap-server.js';
import { productClient } from '../support/product-client.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'callback-secret-for-tests';
/** Valid MOD11 numbers no other test uses, registered here through the sandbox API. */
const NOT_SERVICED_ORG = '910000012';
const RETRYING_ORG = '910000020';

let product: Product;
let ap: PhossApServer;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let dataDir: string;

/** Its own dev server, or the cluster of `npm run test:cluster` (test/support/engine.ts). */
let engine: TestEngine;
beforeAll(async () => {
  engine = await testEngine();
  ap = await startPhossApServer({ token: 'ap-token' });
  smtp = await startSmtpSink();
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-peppol-ap-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    ...engine.env,
    TEMPORAL_UI_PORT: '0',
    SMTP_URL: smtp.url,
    RULES_DIR: 'rules',
    PEPPOL_AP: 'phoss-ap',
    PEPPOL_AP_URL: ap.url,
    PEPPOL_AP_TOKEN: 'ap-token',
    CALLBACK_SECRET: SECRET,
  });
  product = await startProduct(config, {
    workflowBundle: { code: inject('workflowBundle') },
    taskQueue: engine.taskQueue,
    log: () => undefined,
    peppol: { poll: { firstIntervalMs: 50, maxIntervalMs: 200, maxWaitMs: 10_000 }, mlsPollEveryMs: 100 },
  });
  for (const org of [NOT_SERVICED_ORG, RETRYING_ORG]) {
    const put = await api(`/v1/sandbox/peppol/participants/0192:${org}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Test AS' }) });
    expect(put.status).toBe(200);
  }
  ap.behaviours.set(`0192:${NOT_SERVICED_ORG}`, { kind: 'not_serviced' });
  ap.behaviours.set(`0192:${RETRYING_ORG}`, { kind: 'retry_then_sent', afterPolls: 3 });
});

afterAll(async () => {
  await product?.stop();
  await ap?.stop();
  await smtp?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const { api, postJson, invoicePath, submit, invoiceIn } = productClient(() => product.url, () => product.db);
const finalState = (id: string) => invoiceIn(id, ['delivered', 'failed', 'rejected']);
const invoice = async (id: string) => (await api(invoicePath(id))).json();
const respond = (body: unknown, auth = `Bearer ${SECRET}`) => postJson('/v1/peppol/responses', body, { authorization: auth });
const respondXml = (xml: string) => api('/v1/peppol/responses', { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${SECRET}` }, body: xml });

describe('Peppol through phoss-ap', () => {
  it('delivers the EHF through the AP with its ids on the invoice; the MLS and Invoice Responses that come later show on it', async () => {
    const body = businessInvoice(uniqueNumber('AP'));
    const id = await submit(body);
    const sbdh = sbdhInstanceId(id);
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol', transportStatus: 'sent', mlsStatus: null, businessStatus: null });
    const tx = ap.transactions.get(sbdh)!;
    expect(tx.body).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>');
    expect(state.deliveries).toHaveLength(1);
    expect(state.deliveries[0].receipt).toEqual({ sbdhInstanceId: sbdh, as4MessageId: tx.as4MessageId, accessPoint: 'phoss-ap', receiver: '0192:987654325' });
    expect(state.responses).toEqual([{ kind: 'transport', code: 'sent', reason: null, at: expect.any(String) }]);

    // The receiving AP rejects it later (MLS RE): the poller reads it from the AP; the invoice stays delivered.
    ap.setMls(sbdh, 'received_re');
    const rejected = await waitFor('MLS RE on the invoice', async () => {
      const json = await invoice(id);
      return json.mlsStatus === 'RE' ? json : undefined;
    });
    expect(rejected).toMatchObject({ status: 'delivered', channel: 'peppol' });

    // Callbacks need CALLBACK_SECRET.
    const ab = { sbdhInstanceId: sbdh, kind: 'invoice_response', code: 'AB', at: '2026-11-03T09:00:00Z' };
    expect(Date.now()).toBeGreaterThan(Date.parse('2026-11-06T00:00:00Z'));
    expect((await respond(ab, '')).status).toBe(401);
    expect((await respond(ab, 'Bearer not-the-secret')).status).toBe(401);

    // Our JSON; the same again is recorded once.
    const first = await respond(ab);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ invoiceId: id, sbdhInstanceId: sbdh, recorded: true });
    const repeat = await respond(ab);
    expect(repeat.status).toBe(200);
    expect((await repeat.json()).recorded).toBe(false);
    const bad = await respond({ ...ab, code: 'XX' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { rule: string }) => e.rule)).toEqual(['FF-PEPPOL-RESPONSE-CODE']);
    expect((await respond({ ...ab, sbdhInstanceId: sbdhInstanceId('no such invoice') })).status).toBe(404);

    // The MLR itself, forwarded later with its reason, fills in the reason of the MLS the poller recorded.
    expect((await respondXml(messageLevelResponse({ sbdhInstanceId: sbdh, code: 'RE', reasonCode: 'BV' }))).status).toBe(200);
    // The buyer's Invoice Response, by invoice number and supplier.
    const ir = await respondXml(invoiceResponse({ invoiceNumber: body.invoiceNumber, supplierOrg: SUPPLIER_ORG, code: 'RE', reasonCode: 'REF', reason: 'Ukjent bestilling', date: '2026-11-05' }));
    expect(ir.status).toBe(201);

    const after = await invoice(id);
    expect(after).toMatchObject({ status: 'delivered', transportStatus: 'sent', mlsStatus: 'RE', businessStatus: 'RE' });
    // In time order (`at`); the responses' own times are in the test's past, the transport and MLS times are now.
    expect(after.responses.map((r: { kind: string; code: string; reason: string | null }) => [r.kind, r.code, r.reason])).toEqual([
      ['invoice_response', 'AB', null],
      ['invoice_response', 'RE', 'REF Ukjent bestilling'],
      ['transport', 'sent', null],
      ['mls', 'RE', 'BV'],
    ]);
    const history = await (await api(`${invoicePath(id)}/history`)).json();
    const summaries = history.timeline.map((e: { summary: string }) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining(['Peppol MLS RE: rejected by the receiving access point', 'Invoice Response RE: rejected by the buyer (REF Ukjent bestilling)']));
    expect(history.archive.filter((e: { type: string }) => e.type === 'peppol_response')).toHaveLength(3);
    expect(ap.duplicateSubmits).toBe(0);
    expect([...ap.transactions.values()].filter((t) => t.custom1 === id)).toHaveLength(1);
  });

  it('falls back to e-mail when the receiving AP answers PEPPOL:NOT_SERVICED', async () => {
    const id = await submit(businessInvoice(uniqueNumber('NS'), NOT_SERVICED_ORG));
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'email', transportStatus: 'PEPPOL:NOT_SERVICED' });
    expect(state.deliveries.map((d: { channel: string }) => d.channel)).toEqual(['email']);
    expect(smtp.received.some((m) => m.raw.includes(`Faktura ${id.split(':')[2]}`))).toBe(true);
  });

  it('waits out a 422 while the AP retries, and delivers when its status says sent', async () => {
    const id = await submit(businessInvoice(uniqueNumber('RT'), RETRYING_ORG));
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol', transportStatus: 'sent' });
    expect(state.deliveries[0].receipt).toEqual({ sbdhInstanceId: sbdhInstanceId(id), accessPoint: 'phoss-ap', receiver: `0192:${RETRYING_ORG}` });
  });

  it('answers 503 on the callback endpoint when no CALLBACK_SECRET is configured', async () => {
    // Covered by the app built without a secret: the route exists, and is switched off.
    const { createApp } = await import('../../api/app.js');
    const app = createApp({ db: product.db, log: () => undefined, bodyLimit: '1mb' } as never);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const address = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${address.port}/v1/peppol/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{}' });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toBe('callbacks_not_configured');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
