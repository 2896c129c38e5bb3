/**
 * End to end, as an ERP uses it: the HTTP API against the Temporal dev server, real PostgreSQL and a real SMTP
 * server on loopback. Every wait is for a condition (a status), never a fixed sleep.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson } from '../../api/canonical-json.js';
import { sha256Hex } from '../../archive/documents.js';
import { listOutbox } from '../../archive/outbox.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { runSend } from '../../main/send-cli.js';
import { testEngine, type TestEngine } from '../support/engine.js';
import { adminKey, productClient } from '../support/product-client.js';
import { businessInvoice, clearvoExample, consumerInvoice, PEPPOL_BUYER_ORG, SUPPLIER_ORG, UNREGISTERED_BUYER_ORG, uniqueNumber } from '../support/invoices.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait-for.js';

const examples = new URL('../../../shared/conformance/openpeppol-bis-billing-3.0.21-examples/', import.meta.url);

let product: Product;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let dataDir: string;

/** Its own dev server, or the cluster of `npm run test:cluster` (test/support/engine.ts). */
let engine: TestEngine;
beforeAll(async () => {
  engine = await testEngine();
  smtp = await startSmtpSink();
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-api-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    ...engine.env,
    TEMPORAL_UI_PORT: '0',
    SMTP_URL: smtp.url,
    RULES_DIR: 'rules',
  });
  product = await startProduct(config, { workflowBundle: { code: inject('workflowBundle') }, taskQueue: engine.taskQueue, log: () => undefined });
});

afterAll(async () => {
  await product?.stop();
  await smtp?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const { api, postJson, invoicePath, submit, invoiceIn } = productClient(() => product.url, () => product.db);
const finalState = (id: string, statuses = ['delivered', 'failed', 'rejected']) => invoiceIn(id, statuses);

const statusOf = (id: string, status: string) => invoiceIn(id, [status]);

describe('health', () => {
  it('answers with the state of the archive and the engine', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
    expect((await res.json()).checks).toMatchObject({ database: 'ok', temporal: 'ok' });
  });

  it('works on the archive as its own role, not as the superuser of DATABASE_URL', async () => {
    expect((await product.db.query('SELECT current_user')).rows[0].current_user).toBe('fakturaflyt_app');
  });

  it('reports the official rule-set versions it validates with', async () => {
    expect(await (await api('/v1/validation')).json()).toMatchObject({ ubl: '2.1', cen: '1.3.16', peppol: '3.0.21' });
  });
});

describe('submitting invoices', () => {
  it('starts the workflow eagerly: the engine hands its first task back with the start, to the worker beside the API', async () => {
    const eagerStarts = async () => {
      const text = await (await api('/metrics')).text();
      return Number(/^fakturaflyt_workflow_starts_total\{eager="true"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const before = await eagerStarts();
    const id = await submit(businessInvoice());
    expect((await finalState(id)).status).toBe('delivered');
    expect(await eagerStarts()).toBe(before + 1);
  });

  it('carries a B2B invoice to Peppol, with plan, rule, receipt, documents and history', async () => {
    const id = await submit(businessInvoice());
    expect(id).toMatch(new RegExp(`^${SUPPLIER_ORG}:invoice:B2B-`));
    const state = await finalState(id);
    expect(state.status).toBe('delivered');
    expect(state.channel).toBe('peppol');
    expect(state.rule.id).toEqual(expect.any(String));
    expect(state.rule.rulesVersion).toMatch(/^rs-/);
    expect(state.deliveries).toHaveLength(1);
    expect(state.deliveries[0]).toMatchObject({ channel: 'peppol', receiptId: expect.stringMatching(/^peppol-/) });

    const xml = await (await api(`${invoicePath(id)}/document`)).text();
    expect(xml).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>');
    expect(xml).toContain(`NO${SUPPLIER_ORG}MVA`);
    const pdf = await api(`${invoicePath(id)}/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // The archive says `delivered` before the workflow's last task completes; on a real cluster that gap is visible.
    const history = await waitFor('the workflow completed in the history', async () => {
      const h = await (await api(`${invoicePath(id)}/history`)).json();
      return h.timeline.some((e: { summary: string }) => e.summary === 'invoice workflow completed') ? h : undefined;
    });
    const summaries = history.timeline.map((e: { summary: string }) => e.summary);
    // The API validated the document before it accepted it; the workflow's validate stage takes that verdict.
    expect(summaries).toEqual(expect.arrayContaining(['validateInvoice completed: the verdict given at submission stands (same checks and rule sets), 0 warning(s)', 'convertInvoice completed', 'routeInvoice completed', 'deliverInvoice completed', 'invoice workflow completed']));
    // The channel's receipt is in the archived timeline too, between the attempt and its outcome.
    expect(history.archive.map((e: { type: string }) => e.type)).toEqual(['validated', 'converted', 'routed', 'delivering', 'receipt', 'delivered']);
    const raw = await api(`${invoicePath(id)}/history?format=temporal`);
    const rawJson = JSON.parse(await raw.text());
    expect(rawJson.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    // The history carries references, not the invoice: no buyer name, no e-mail address, no account number.
    const text = JSON.stringify(rawJson);
    const decoded = rawJson.events
      .flatMap((e: any) => [e.workflowExecutionStartedEventAttributes?.input, e.activityTaskScheduledEventAttributes?.input, e.activityTaskCompletedEventAttributes?.result])
      .flatMap((p: any) => p?.payloads ?? [])
      .filter((p: any) => typeof p.data === 'string')
      .map((p: any) => Buffer.from(p.data, 'base64').toString('utf8'))
      .join('\n');
    for (const secret of ['Bergen Bygg', 'faktura@bergenbygg.example', '86011117947', 'Kaigaten']) {
      expect(text).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
  });

  it('returns the same id for the same document, 409 for the same number with other content, and delivers once', async () => {
    const body = businessInvoice();
    const first = await postJson('/v1/invoices', body);
    expect(first.status).toBe(202);
    const { id } = await first.json();
    const again = await postJson('/v1/invoices', JSON.parse(JSON.stringify(body)));
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(id);
    const changed = await postJson('/v1/invoices', { ...body, dueDate: '2026-12-24' });
    expect(changed.status).toBe(409);
    await finalState(id);
    const afterDelivery = await postJson('/v1/invoices', body);
    expect(afterDelivery.status).toBe(200);
    const deliveries = await product.db.query('SELECT count(*)::int AS n FROM deliveries WHERE invoice_id = $1', [id]);
    expect(deliveries.rows[0].n).toBe(1);
    const outbox = await listOutbox(product.db, { invoiceId: id });
    expect(outbox).toHaveLength(1);
  });

  it('two identical submissions at the same moment make one invoice, one workflow and one delivery', async () => {
    const body = businessInvoice();
    const answers = await Promise.all([postJson('/v1/invoices', body), postJson('/v1/invoices', body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
    const ids = await Promise.all(answers.map(async (r) => (await r.json()).id));
    expect(ids[0]).toBe(ids[1]);
    await finalState(ids[0]);
    const deliveries = await product.db.query('SELECT count(*)::int AS n FROM deliveries WHERE invoice_id = $1', [ids[0]]);
    expect(deliveries.rows[0].n).toBe(1);
    const runs = await product.client.workflow.list({ query: `WorkflowId = '${ids[0]}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
  });

  it('an invoice archived but never started (a crash before Temporal) is started by the retry, with or without Idempotency-Key', async () => {
    for (const key of [undefined, uniqueNumber('idem')]) {
      const body = businessInvoice();
      const content = JSON.stringify(body);
      const id = `${SUPPLIER_ORG}:invoice:${body.invoiceNumber}`;
      // What a crash between the archive insert and the workflow start leaves behind.
      await product.db.query(
        `INSERT INTO invoices (id, supplier_org, document_type, invoice_number, issue_date, customer_kind, payable_amount, currency, source_sha256, idempotency_key, status, stage, retain_until)
         VALUES ($1, $2, 'invoice', $3, '2026-11-02', 'business', 2123.75, 'NOK', $4, $5, 'received', 'validate', '2031-12-31')`,
        [id, SUPPLIER_ORG, body.invoiceNumber, sha256Hex(canonicalJson(JSON.parse(content))), key ?? null],
      );
      const retry = await postJson('/v1/invoices', body, key ? { 'Idempotency-Key': key } : {});
      expect(retry.status).toBe(200);
      expect((await finalState(id)).status).toBe('delivered');
    }
  });

  it('honours the Idempotency-Key header', async () => {
    const key = uniqueNumber('idem');
    const body = businessInvoice();
    const first = await postJson('/v1/invoices', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const second = await postJson('/v1/invoices', body, { 'Idempotency-Key': key });
    expect(second.status).toBe(200);
    const other = await postJson('/v1/invoices', businessInvoice(), { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
  });

  it('rejects the literal Clearvo example with rule ids, and accepts it once the org numbers are valid', async () => {
    const res = await postJson('/v1/invoices', clearvoExample);
    expect(res.status).toBe(422);
    const { errors } = await res.json();
    const fatal = errors.filter((e: { severity: string }) => e.severity === 'fatal');
    expect(fatal.length).toBeGreaterThan(0);
    for (const e of fatal) expect(e).toEqual({ rule: expect.any(String), severity: 'fatal', message: expect.any(String), path: expect.any(String) });
    expect(fatal.map((e: { path: string }) => e.path).join(' ')).toMatch(/supplier/);
    expect(fatal.map((e: { path: string }) => e.path).join(' ')).toMatch(/buyer/);

    const fixed = structuredClone(clearvoExample) as any;
    fixed.invoiceNumber = uniqueNumber('CLEARVO');
    fixed.supplier.taxId = SUPPLIER_ORG;
    fixed.supplier.endpointId = `0192:${SUPPLIER_ORG}`;
    fixed.buyer.taxId = UNREGISTERED_BUYER_ORG;
    fixed.buyer.endpointId = `0192:${UNREGISTERED_BUYER_ORG}`;
    const accepted = await postJson('/v1/invoices', fixed);
    expect(accepted.status, JSON.stringify(await accepted.clone().json())).toBe(202);
  });

  it('accepts EHF XML as is: an official Peppol example', async () => {
    const xml = readFileSync(new URL('base-example.xml', examples), 'utf8').replace(/<cbc:ID>Snippet1<\/cbc:ID>/, `<cbc:ID>${uniqueNumber('XML')}</cbc:ID>`);
    const res = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(202);
    const state = await finalState(json.id);
    expect(['delivered', 'failed']).toContain(state.status);
    expect(await (await api(`${invoicePath(json.id)}/document`)).text()).toBe(xml);
  });

  it('returns the warnings an invoice was accepted with, in the 202 and in the 200 for the same document again (FF-KID in XML)', async () => {
    // A numeric PaymentID under SEPA credit transfer that passes neither KID rule: kept as remittance text, with a warning.
    const xml = readFileSync(new URL('base-example.xml', examples), 'utf8')
      .replace(/<cbc:ID>Snippet1<\/cbc:ID>/, `<cbc:ID>${uniqueNumber('KID')}</cbc:ID>`)
      .replace('<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>', '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>')
      .replace('<cbc:PaymentID>Snippet1</cbc:PaymentID>', '<cbc:PaymentID>0003434323213231</cbc:PaymentID>');
    const post = () => api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    const kidWarning = { rule: 'FF-KID', severity: 'warning', path: '/Invoice/cac:PaymentMeans/cbc:PaymentID', message: expect.stringContaining('MOD10 and MOD11') };
    const first = await post();
    const accepted = await first.json();
    expect(first.status, JSON.stringify(accepted)).toBe(202);
    expect(accepted.warnings).toContainEqual(kidWarning);
    const again = await post();
    const repeated = await again.json();
    expect(again.status).toBe(200);
    expect(repeated.id).toBe(accepted.id);
    expect(repeated.warnings).toEqual(accepted.warnings);
    expect((await (await api(invoicePath(accepted.id))).json()).warnings).toContainEqual(kidWarning);
    await finalState(accepted.id);
  });

  it('answers malformed, oversized and unsupported bodies with 4xx and our error shape', async () => {
    const badJson = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"documentType": "invoice",' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).errors[0].rule).toBe('FF-JSON-SYNTAX');
    const badXml = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<Invoice><unclosed></Invoice>' });
    expect(badXml.status).toBe(400);
    expect((await badXml.json()).errors[0].rule).toBe('FF-XML-SYNTAX');
    const entity = await api('/v1/invoices', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>',
    });
    expect([400, 422]).toContain(entity.status);
    const huge = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(11 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    const text = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    const longNumber = await postJson('/v1/invoices', businessInvoice('N'.repeat(1100)));
    expect(longNumber.status).toBe(422);
    // The length limits are checked before anything reads the invoice (docs/invoice-json.md "Length limits").
    expect((await longNumber.json()).errors).toContainEqual(expect.objectContaining({ rule: 'FF-LENGTH', path: '/invoiceNumber' }));
    const deep = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(20_000) + ']'.repeat(20_000) });
    expect([400, 422]).toContain(deep.status);
    expect((await api('/v1/invoices?limit=abc')).status).toBe(400);
    const missing = await api(invoicePath('nope:invoice:1'));
    expect(missing.status).toBe(404);
    expect((await api('/health')).status).toBe(200);
  });
});

describe('npx fakturaflyt send', () => {
  it('sends a folder of invoice files, one line per file, and says which were refused', async () => {
    const folder = join(dataDir, 'to-send');
    await mkdir(folder, { recursive: true });
    const good = businessInvoice(uniqueNumber('SEND'));
    await writeFile(join(folder, 'a-good.json'), JSON.stringify(good));
    await writeFile(join(folder, 'b-bad.json'), JSON.stringify({ ...businessInvoice(uniqueNumber('SEND')), lines: [] }));
    await writeFile(join(folder, 'notes.txt'), 'not an invoice');
    let out = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (out += t), env: { FAKTURAFLYT_URL: product.url, FAKTURAFLYT_API_KEY: await adminKey(product.db) } };
    expect(await runSend(['send', folder], io), out).toBe(1);
    const id = `${SUPPLIER_ORG}:invoice:${good.invoiceNumber}`;
    expect(out).toContain(`a-good.json: 202 ${id} received`);
    expect(out).toMatch(/b-bad\.json: 422 .*BR-16/);
    expect(out).not.toContain('notes.txt');
    expect(out).toContain('1 of 2 accepted');
    out = '';
    expect(await runSend(['send', join(folder, 'a-good.json')], io)).toBe(0);
    expect(out).toContain(`a-good.json: 200 ${id}`);
  });
});

describe('consumers and eFaktura agreements', () => {
  it('sends eFaktura at once to a consumer who consented', async () => {
    const customer = uniqueNumber('C');
    await api(`/v1/sandbox/efaktura/consumers/${customer}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: true }) });
    const id = await submit(consumerInvoice(customer));
    const state = await finalState(id);
    expect(state.channel).toBe('efaktura');
    const claims = await listOutbox(product.db, { invoiceId: id, channel: 'efaktura' });
    expect(JSON.parse(claims[0]!.content.toString())).toMatchObject({ kid: '123450006788', creditAccount: '86011117947', currency: 'NOK' });
  });

  it('waits for the agreement, and an acceptance from the provider reaches the waiting invoice → eFaktura', async () => {
    const customer = uniqueNumber('C');
    const id = await submit(consumerInvoice(customer));
    const waiting = await statusOf(id, 'awaiting_agreement');
    expect(waiting.awaitingAgreementUntil).toEqual(expect.any(String));
    // Without SMS_GATEWAY_URL the agreement request's SMS lands in the outbox.
    const requests = await listOutbox(product.db, { invoiceId: id, channel: 'sms' });
    expect(JSON.parse(requests[0]!.content.toString())).toMatchObject({ recipient: '+4791234567', text: expect.stringContaining('Fjordvarme AS') });
    const res = await postJson('/v1/agreements', { supplierOrg: SUPPLIER_ORG, customerNumber: customer, status: 'accepted' });
    expect((await res.json()).invoicesReached).toEqual([id]);
    const state = await finalState(id);
    expect(state.channel).toBe('efaktura');
    // A late decision gets an honest answer.
    const late = await postJson(`${invoicePath(id)}/agreement`, { status: 'accepted' });
    expect(late.status).toBe(409);
    expect((await late.json()).message).toMatch(/already delivered by efaktura/);
  });

  it('a rejected agreement falls back to e-mail over real SMTP, with the PDF and the EHF attached', async () => {
    const customer = uniqueNumber('C');
    const id = await submit(consumerInvoice(customer, { phone: false }));
    await statusOf(id, 'awaiting_agreement');
    const res = await postJson(`${invoicePath(id)}/agreement`, { status: 'rejected' });
    expect(res.status).toBe(202);
    const state = await finalState(id);
    expect(state.channel).toBe('email');
    const mail = await waitFor('the e-mail', async () => smtp.received.find((m) => m.raw.includes(state.invoiceNumber)));
    expect(mail.to).toEqual(['kari@example.no']);
    expect(mail.raw).toMatch(/Content-Type: application\/pdf/);
    expect(mail.raw).toMatch(/Content-Type: application\/xml/);
  });

  it('a consumer without e-mail whose agreement is rejected gets print', async () => {
    const customer = uniqueNumber('C');
    const id = await submit(consumerInvoice(customer, { email: false }));
    await statusOf(id, 'awaiting_agreement');
    await postJson('/v1/agreements', { supplierOrg: SUPPLIER_ORG, customerNumber: customer, status: 'rejected' });
    const state = await finalState(id);
    expect(state.channel).toBe('print');
    const printed = await listOutbox(product.db, { invoiceId: id, channel: 'print' });
    expect(printed[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('support', () => {
  it('finds invoices by number, supplier and status', async () => {
    const body = businessInvoice();
    const id = await submit(body);
    await finalState(id);
    const byNumber = await (await api(`/v1/invoices?invoiceNumber=${body.invoiceNumber}`)).json();
    expect(byNumber.invoices.map((i: { id: string }) => i.id)).toEqual([id]);
    const delivered = await (await api(`/v1/invoices?supplierOrg=${SUPPLIER_ORG}&status=delivered&channel=peppol`)).json();
    expect(delivered.invoices.map((i: { id: string }) => i.id)).toContain(id);
    expect(delivered.invoices.every((i: { status: string; channel: string }) => i.status === 'delivered' && i.channel === 'peppol')).toBe(true);
  });

  it('registers a Peppol participant in the local registry so the next invoice goes by EHF', async () => {
    const org = '995525828';
    const put = await api(`/v1/sandbox/peppol/participants/0192:${org}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Test AS' }) });
    expect(put.status).toBe(200);
    const id = await submit(businessInvoice(uniqueNumber('B2B'), org));
    expect((await finalState(id)).channel).toBe('peppol');
    expect(PEPPOL_BUYER_ORG).not.toBe(org);
  });
});

describe('routing rules', () => {
  it('shows the active version with its rules, and the versions in the archive', async () => {
    const rules = await (await api('/v1/rules')).json();
    expect(rules.active.version).toMatch(/^rs-[0-9a-f]{12}$/);
    expect(rules.active.rules.map((r: { id: string }) => r.id)).toContain('consumer-agreement');
    expect(rules.active.rules.at(-1).id).toBe('default');
    expect(rules.rejected).toBeNull();
    expect(rules.versions.map((v: { version: string }) => v.version)).toContain(rules.active.version);
  });

  it('dry-runs facts and invoices with a trace of every rule tried and the facts it read', async () => {
    const res = await postJson('/v1/rules/evaluate', { facts: { customer: { kind: 'consumer' }, efaktura: { status: 'blocked' } } });
    const decision = await res.json();
    expect(decision.ruleId).toBe('consumer-declined');
    expect(decision.plan.steps.map((s: { channel: string }) => s.channel)).toEqual(['email', 'print']);
    const tried = decision.trace.map((t: { ruleId: string; matched: boolean }) => `${t.ruleId}:${t.matched}`);
    expect(tried.at(-1)).toBe('consumer-declined:true');
    expect(decision.trace[0].facts).toEqual([{ path: 'customer.kind', value: 'consumer' }]);

    const byInvoice = await (await postJson('/v1/rules/evaluate', { invoice: businessInvoice(), lookups: { peppol: { registered: true, acceptsDocumentType: true } } })).json();
    expect(byInvoice.ruleId).toBe('business-peppol');

    const wrong = await postJson('/v1/rules/evaluate', { facts: { customer: { knid: 'consumer' } } });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).errors[0].message).toMatch(/Did you mean 'customer.kind'/);
  });

  it('tells which recent invoices a candidate rule set would route differently', async () => {
    const id = await submit(businessInvoice());
    await finalState(id);
    const current = await (await api('/v1/rules')).json();
    const files = await Promise.all(
      current.active.files.map(async (f: { name: string }) => ({ name: f.name, text: readFileSync(join('rules', f.name), 'utf8') })),
    );
    const candidate = files.map((f) => (f.name === 'routing.yaml' ? { ...f, text: f.text.replace('then: [peppol, email, print]', 'then: [peppol, print]') } : f));
    const report = await (await postJson('/v1/rules/what-if', { files: candidate })).json();
    expect(report.currentVersion).toBe(current.active.version);
    expect(report.planChanged).toBeGreaterThan(0);
    const transition = report.transitions.find((t: { from: { ruleId: string } }) => t.from.ruleId === 'business-peppol');
    expect(transition.examples).toContain(id);

    const broken = await postJson('/v1/rules/what-if', { files: [{ name: 'routing.yaml', text: 'rules: [' }] });
    expect(broken.status).toBe(422);
    expect((await broken.json()).errors[0].path).toMatch(/routing\.yaml:\d+:\d+/);
  });
});
