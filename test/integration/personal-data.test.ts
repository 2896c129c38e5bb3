/**
 * Personal data (issue 9, item 5): the real product, run through the consumer and business flows against real
 * servers on 127.0.0.1 (SMTP refusing one address with a 5xx that echoes it, an HTTP SMS gateway refusing one number
 * with an answer that echoes it), keeps the e-mail addresses, phone numbers, fødselsnummer and account numbers of the
 * invoices out of everything but the archive's documents: what it logs (the `log` option and the console), every
 * workflow history (as the API serves it, raw, and from the engine, encrypted and decrypted), the archived events
 * and receipts the API shows, and /metrics. Masked forms (`k***@example.no`) are what support may see.
 *
 * The same run checks the payload codec where it matters: the engine's history holds no clear payload, the API and
 * the Temporal UI's codec endpoint decrypt it for the people who may read it.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { decodedHistory } from '../../engine/history-payloads.js';
import { EncryptionCodec } from '../../engine/payload-codec.js';
import { loadPayloadKeys } from '../../engine/payload-keys.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { freePort } from '../support/free-port.js';
import { businessInvoice, consumerInvoice, UNREGISTERED_BUYER_ORG, uniqueNumber } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';
import { onSdkLog } from '../support/sdk-log.js';
import { startSmsGateway } from '../support/sms-gateway-server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait-for.js';

// Synthetic identifiers from the shared vectors: a fødselsnummer, a synthetic (Tenor) one, an account number.
const vectors = JSON.parse(readFileSync('/work/shared/vectors/norwegian-identifiers.json', 'utf8')) as { group: string; input: string }[];
const vector = (group: string) => vectors.find((v) => v.group === group)!.input;
const FNR = vector('fnr valid');
const SYNTHETIC_FNR = vector('fnr synthetic (Tenor, month+80)');
const ACCOUNT = vector('kontonr valid');
const ACCOUNT_FORMATTED = vector('kontonr valid (dots)');
const REFUSED_EMAIL = 'gone@example.no';
const REFUSED_PHONE = '+4747112233';

/** Every clear-text form of the personal data in the invoices below. */
const PERSONAL = [
  'kari@example.no',
  REFUSED_EMAIL,
  'faktura@bergenbygg.example',
  '+4791234567',
  '91234567',
  '912 34 567',
  REFUSED_PHONE,
  '47112233',
  '471 12 233',
  FNR,
  SYNTHETIC_FNR,
  ACCOUNT,
  ACCOUNT_FORMATTED,
  '8601 11 17947',
];

let product: Product;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let dataDir: string;
const logged: string[] = [];
const sdkLogged: string[] = [];
let stopSdkLog: (() => void) | undefined;

beforeAll(async () => {
  // The console as well as the log option: the SDK's runtime logger and anything else that prints.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(format(...args));
      original(...args);
    });
  }
  // The SDK's runtime logger at WARN, as npm start runs it: activity failures with their messages.
  stopSdkLog = onSdkLog((entry) => sdkLogged.push(`[${entry.level}] ${entry.message} ${entry.meta === undefined ? '' : format(entry.meta)}`));
  [smtp, sms] = await Promise.all([startSmtpSink({ refuse: [REFUSED_EMAIL] }), startSmsGateway({ token: 'gw-token', refuse: [REFUSED_PHONE] })]);
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-personal-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_PORT: String(await freePort()),
    // With its UI, so the dev server gets the codec endpoint.
    TEMPORAL_UI_PORT: String(await freePort()),
    SMTP_URL: smtp.url,
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_TOKEN: 'gw-token',
    CALLBACK_SECRET: 'callback-secret-for-tests-0123456789',
    RULES_DIR: 'rules',
    AGREEMENT_WAIT: 'PT2S',
  });
  product = await startProduct(config, { workflowBundle: { code: inject('workflowBundle') }, log: (message, meta) => logged.push(`${message} ${meta ? JSON.stringify(meta) : ''}`) });
});

afterAll(async () => {
  await product?.stop();
  await Promise.all([smtp?.stop(), sms?.stop()]);
  vi.restoreAllMocks();
  stopSdkLog?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const { api, invoicePath, submit, invoiceIn } = productClient(() => product.url, () => product.db);
const finalState = (id: string) => invoiceIn(id, ['delivered', 'failed', 'rejected']);

/** The base64 `data` of every payload in a proto-JSON tree, as text: clear text hides there from a plain search. */
function payloadTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => payloadTexts(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') out.push(Buffer.from(o.data, 'base64').toString('utf8'));
    Object.values(o).forEach((v) => payloadTexts(v, out));
  }
  return out;
}

/** Every payload object of a proto-JSON history, with where it sits; search attributes are not payloads of ours. */
function payloadsOf(value: unknown, path = '', out: { path: string; encoding: string }[] = []): { path: string; encoding: string }[] {
  if (Array.isArray(value)) value.forEach((v, i) => payloadsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (o.metadata && typeof o.metadata === 'object' && typeof o.metadata.encoding === 'string') out.push({ path, encoding: Buffer.from(o.metadata.encoding, 'base64').toString() });
    else for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') payloadsOf(v, `${path}.${k}`, out);
  }
  return out;
}

function expectNoPersonalData(where: string, text: string) {
  const found = PERSONAL.filter((value) => text.toLowerCase().includes(value.toLowerCase()));
  expect(found, `${where} holds personal data in clear text`).toEqual([]);
}

describe('personal data stays out of histories, logs and metrics', () => {
  const ids: Record<string, string> = {};
  let codec: EncryptionCodec;

  beforeAll(async () => {
    codec = new EncryptionCodec(await loadPayloadKeys(undefined, dataDir));
    const efakturaCustomer = uniqueNumber('C');
    expect((await api(`/v1/sandbox/efaktura/consumers/${efakturaCustomer}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: true }) })).status).toBe(200);
    const withId = (body: ReturnType<typeof consumerInvoice>, nationalId: string) => ({ ...body, buyer: { ...body.buyer, nationalId } });
    const refusedMail = consumerInvoice(uniqueNumber('C'), { phone: false });
    refusedMail.buyer.email = REFUSED_EMAIL;
    const refusedPhone = consumerInvoice(uniqueNumber('C'), { email: false });
    refusedPhone.buyer.phone = REFUSED_PHONE;
    const refusedBusiness = businessInvoice(uniqueNumber('B2B'), UNREGISTERED_BUYER_ORG);
    refusedBusiness.buyer.email = REFUSED_EMAIL;
    const bodies = {
      peppol: businessInvoice(),
      businessEmail: businessInvoice(uniqueNumber('B2B'), UNREGISTERED_BUYER_ORG),
      businessSmtp5xxThenPrint: refusedBusiness,
      efaktura: withId(consumerInvoice(efakturaCustomer), FNR),
      agreementBySms: withId(consumerInvoice(uniqueNumber('C')), SYNTHETIC_FNR),
      agreementByEmail: consumerInvoice(uniqueNumber('C'), { phone: false }),
      agreementSmtp5xxThenPrint: refusedMail,
      smsRefusedThenPrint: refusedPhone,
    };
    for (const [name, body] of Object.entries(bodies)) ids[name] = await submit(body);
    const finals: Record<string, { status: string; channel: string }> = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, await finalState(id)])));
    // The flows went where this test means them to go, so the scan below covers each of them.
    expect(Object.fromEntries(Object.entries(finals).map(([name, s]) => [name, `${s.status}/${s.channel}`]))).toEqual({
      peppol: 'delivered/peppol',
      businessEmail: 'delivered/email',
      businessSmtp5xxThenPrint: 'delivered/print',
      efaktura: 'delivered/efaktura',
      agreementBySms: 'delivered/email',
      agreementByEmail: 'delivered/email',
      agreementSmtp5xxThenPrint: 'delivered/print',
      smsRefusedThenPrint: 'delivered/print',
    });
    expect(sms.messages.some((m) => m.recipient === '+4791234567')).toBe(true);
    expect(smtp.received.some((m) => m.to.includes('kari@example.no') && m.raw.includes('/avtale/'))).toBe(true);
  });

  it('the invoices as the API shows them: state, deliveries with receipts, archived events, search', async () => {
    for (const [name, id] of Object.entries(ids)) {
      expectNoPersonalData(`GET invoice (${name})`, await (await api(invoicePath(id))).text());
      const history = await (await api(`${invoicePath(id)}/history`)).text();
      expectNoPersonalData(`GET history (${name})`, history);
    }
    const search = await api(`/v1/invoices?supplierOrg=123456785&limit=100`);
    expect(search.status).toBe(200);
    expectNoPersonalData('search', await search.text());
    // The archived rows behind them, straight from the archive.
    const deliveries = await product.db.query('SELECT * FROM deliveries WHERE invoice_id = ANY($1)', [Object.values(ids)]);
    const events = await product.db.query('SELECT * FROM invoice_events WHERE invoice_id = ANY($1)', [Object.values(ids)]);
    expect(deliveries.rowCount).toBeGreaterThan(Object.keys(ids).length);
    expect(events.rowCount).toBeGreaterThan(Object.keys(ids).length);
    expectNoPersonalData('deliveries rows', JSON.stringify(deliveries.rows));
    expectNoPersonalData('invoice_events rows', JSON.stringify(events.rows));
  });

  it('the provider answers that echo a recipient are stored masked', async () => {
    const timelineOf = async (id: string) => JSON.stringify((await (await api(`${invoicePath(id)}/history`)).json()).timeline);
    // The SMTP server's 550 names the address; support reads the reply with the address masked.
    expect(await timelineOf(ids.businessSmtp5xxThenPrint!)).toContain('the mail server refused the recipient (550): 550 5.1.1 <g***@example.no>: mailbox unavailable');
    // The SMS gateway's refusal names the number: masked the same way.
    expect(await timelineOf(ids.smsRefusedThenPrint!)).toContain('the SMS gateway refused the recipient (invalid_recipient): +********33 is not a mobile number');
  });

  it('every workflow history: raw as the API serves it, from the engine encrypted, and decrypted with the keys', async () => {
    for (const [name, id] of Object.entries(ids)) {
      const served = JSON.parse(await (await api(`${invoicePath(id)}/history?format=temporal`)).text());
      expectNoPersonalData(`raw history via API (${name})`, JSON.stringify(served) + payloadTexts(served).join('\n'));

      const stored = await product.client.workflow.getHandle(id).fetchHistory();
      const storedJson = JSON.parse(historyToJSON(stored));
      expectNoPersonalData(`engine history (${name})`, JSON.stringify(storedJson) + payloadTexts(storedJson).join('\n'));
      const decrypted = JSON.parse(historyToJSON(await decodedHistory(stored, codec)));
      expectNoPersonalData(`decrypted engine history (${name})`, JSON.stringify(decrypted) + payloadTexts(decrypted).join('\n'));
    }
  });

  it('what the product logged and printed, and /metrics', async () => {
    expect(logged.length).toBeGreaterThan(5);
    expectNoPersonalData('logs', logged.join('\n'));
    // The fallbacks above failed activities on purpose (SMTP 5xx, SMS refused): the SDK logged them.
    expect(sdkLogged.some((line) => /RecipientRefused|refused the recipient/.test(line))).toBe(true);
    expectNoPersonalData('SDK logs', sdkLogged.join('\n'));
    const metrics = await api('/metrics');
    expect(metrics.status).toBe(200);
    expectNoPersonalData('metrics', await metrics.text());
  });

  it('the payload codec: the engine holds no clear payload; the API and the UI codec endpoint decrypt', async () => {
    const id = ids.peppol!;
    const stored = JSON.parse(historyToJSON(await product.client.workflow.getHandle(id).fetchHistory()));
    const payloads = payloadsOf(stored);
    // Inputs, activity arguments and results: the workflow and each of its activities put some there.
    expect(payloads.length).toBeGreaterThan(5);
    // Markers carry the SDK's own bookkeeping in clear (a patch's id, a local activity's sequence number, type and
    // times); what our code puts there — the local activity's result — goes through the codec like the rest.
    const bookkeeping = (path: string) => /markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(path);
    expect(payloads.filter((p) => p.encoding !== 'binary/encrypted' && !bookkeeping(p.path))).toEqual([]);
    expect(payloads.some((p) => /markerRecordedEventAttributes\.details\.result\./.test(p.path) && p.encoding === 'binary/encrypted')).toBe(true);

    // The API decrypts for support: the raw history holds the clear payloads, the timeline reads the validation result.
    const served = JSON.parse(await (await api(`${invoicePath(id)}/history?format=temporal`)).text());
    const servedEncodings = payloadsOf(served).map((p) => p.encoding);
    expect(servedEncodings).toContain('json/plain');
    expect(servedEncodings).not.toContain('binary/encrypted');
    const timeline = (await (await api(`${invoicePath(id)}/history`)).json()).timeline.map((e: { summary: string }) => e.summary);
    expect(timeline).toContain('validateInvoice completed: the verdict given at submission stands (same checks and rule sets), 0 warning(s)');

    // The dev server's UI was told where the codec endpoint is, and the endpoint decrypts what the engine holds.
    expect(product.codecEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const settings = await waitFor('the Temporal UI settings', async () => {
      const res = await fetch(`${product.temporalUiUrl}/api/v1/settings`).catch(() => undefined);
      return res?.ok ? res.json() : undefined;
    });
    expect(settings.Codec.Endpoint).toBe(product.codecEndpoint);
    const started = stored.events[0].workflowExecutionStartedEventAttributes.input.payloads;
    const res = await fetch(`${product.codecEndpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: product.temporalUiUrl! },
      body: JSON.stringify({ payloads: started }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(product.temporalUiUrl);
    const decoded = (await res.json()).payloads;
    expect(Buffer.from(decoded[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(decoded[0].data, 'base64').toString()).toContain(id);
  });

  it('failure messages and stack traces travel encrypted; the API shows the message, without the stack', async () => {
    const id = ids.businessSmtp5xxThenPrint!;
    const failuresOf = (history: { events: Record<string, any>[] }) =>
      // A failed activity, or a failed first attempt as a local activity (its marker, issue 12).
      history.events.map((e) => e.activityTaskFailedEventAttributes?.failure ?? e.markerRecordedEventAttributes?.failure).filter(Boolean) as Record<string, any>[];
    const stored = failuresOf(JSON.parse(historyToJSON(await product.client.workflow.getHandle(id).fetchHistory())));
    expect(stored.length).toBeGreaterThan(0);
    for (const failure of stored) {
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace ?? '').toBe('');
      expect(Buffer.from(failure.encodedAttributes.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
      expect(failure.applicationFailureInfo.type).toBeTruthy(); // the type stays readable: the workflow decides by it
    }
    const served = failuresOf(JSON.parse(await (await api(`${invoicePath(id)}/history?format=temporal`)).text()));
    expect(served.map((f) => f.message)).toContainEqual(expect.stringMatching(/refused the recipient \(550\)/));
    expect(served.every((f) => f.encodedAttributes === undefined && f.stackTrace === undefined)).toBe(true);
    const timeline = (await (await api(`${invoicePath(id)}/history`)).json()).timeline.map((e: { summary: string }) => e.summary);
    expect(timeline).toContainEqual(expect.stringMatching(/failed \(RecipientRefused\): the mail server refused the recipient/));
  });
});
