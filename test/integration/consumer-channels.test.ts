/**
 * The consumer paths end to end against real servers on 127.0.0.1, configured as the README says: an HTTP SMS
 * gateway, SMTP (refusing one address for good), SFTP (the print house), the API, the Temporal dev server and
 * PostgreSQL. Not found → SMS agreement request → the link opened and accepted on the agreement page → eFaktura;
 * no answer in the wait → e-mail with PDF and XML; SMTP 550 → print over SFTP.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getAgreement } from '../../archive/agreements.js';
import { listOutbox } from '../../archive/outbox.js';
import { AgreementRequester } from '../../channels/agreement-request/requester.js';
import { SftpPrintProvider } from '../../channels/print/sftp-provider.js';
import { refreshPrintStatuses } from '../../channels/print/status-refresh.js';
import { HttpSmsGateway } from '../../channels/sms/http-gateway.js';
import { loadConfig } from '../../main/config.js';
import { SignedLinks } from '../../public-pages/signed-link.js';
import { parseSubmission } from '../../validation/submission.js';
import { startProduct, type Product } from '../../main/product.js';
import { testEngine, type TestEngine } from '../support/engine.js';
import { consumerInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';
import { startSftpServer } from '../support/sftp-server.js';
import { startSmsGateway } from '../support/sms-gateway-server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { waitFor } from '../support/wait-for.js';

const CALLBACK_SECRET = 'callback-secret-for-tests-0123456789';
const LINK_SECRET = 'link-secret-for-tests-0123456789abcdef';
let product: Product;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sftp: Awaited<ReturnType<typeof startSftpServer>>;
let dataDir: string;
let publicBaseUrl: string;

/** Its own dev server, or the cluster of `npm run test:cluster` (test/support/engine.ts). */
let engine: TestEngine;
beforeAll(async () => {
  engine = await testEngine();
  [sms, smtp, sftp] = await Promise.all([startSmsGateway({ token: 'gw-token' }), startSmtpSink({ refuse: ['gone@example.no'] }), startSftpServer()]);
  mkdirSync(join(sftp.root, 'jobs'));
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-consumer-'));
  const port = await portOutsideEphemeralRange();
  publicBaseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    ...engine.env,
    TEMPORAL_UI_PORT: '0',
    RULES_DIR: 'rules',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'fakturaflyt <faktura@fakturaflyt.example>',
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_TOKEN: 'gw-token',
    SMS_SENDER: 'Fjordvarme',
    CALLBACK_SECRET,
    LINK_SECRET,
    PRINT_PROVIDER: 'sftp',
    PRINT_SFTP_URL: sftp.url('/jobs', `?fingerprint=${encodeURIComponent(sftp.fingerprint)}`),
    AGREEMENT_SCOPE: 'branch',
    // Long enough for the page to be answered, short enough for the no-answer path.
    AGREEMENT_WAIT: 'PT8S',
  });
  product = await startProduct(config, { workflowBundle: { code: inject('workflowBundle') }, taskQueue: engine.taskQueue, log: () => undefined });
});

afterAll(async () => {
  await product?.stop();
  await Promise.all([sms?.stop(), smtp?.stop(), sftp?.stop()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * The API's port must be known before start (PUBLIC_BASE_URL names it), and stay free until the API binds it: the
 * dev server the product starts first takes ports of its own from the OS's ephemeral range, so ours is outside it.
 */
async function portOutsideEphemeralRange(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

const { api, invoicePath, submit, invoiceIn } = productClient(() => product.url, () => product.db);
const finalState = (id: string) => invoiceIn(id, ['delivered', 'failed', 'rejected']);
const linkIn = (text: string) => {
  const links = text.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  return links[0]!.replace(/[.,]$/, '');
};

describe('consumer delivery', () => {
  it('not found → SMS agreement request → accepted on the agreement page → eFaktura; the SMS delivery report reaches the receipt', async () => {
    const customer = uniqueNumber('C');
    const id = await submit({ ...consumerInvoice(customer), branch: 'bergen' });
    const text = await waitFor('the agreement SMS', async () => sms.messages.find((m) => m.recipient === '+4791234567'));
    expect(text).toMatchObject({ sender: 'Fjordvarme', text: expect.stringMatching(/^Fjordvarme AS vil sende deg eFaktura/) });
    const link = linkIn(text.text);
    expect(link.startsWith(`${publicBaseUrl}/avtale/`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Fjordvarme AS vil sende fakturaene sine til deg som eFaktura');
    const tampered = await fetch(`${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    expect(tampered.status).toBe(404);

    // A link of ours whose time ran out: its own page and 410.
    const expired = new SignedLinks(Buffer.from(LINK_SECRET)).sign({ purpose: 'agreement', subject: id, expiresAt: new Date(Date.now() - 1000) });
    const gone = await fetch(`${publicBaseUrl}/avtale/${expired}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('Lenken er utløpt');

    const answer = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accepted' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Takk!');

    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'efaktura' });
    // AGREEMENT_SCOPE=branch: the consumer said yes to the Bergen branch only.
    expect((await getAgreement(product.db, SUPPLIER_ORG, 'bergen', customer))?.status).toBe('accepted');
    expect(await getAgreement(product.db, SUPPLIER_ORG, 'oslo', customer)).toBeUndefined();

    const request = state.deliveries.find((d: { details: { kind?: string } }) => d.details.kind === 'agreement-request');
    expect(request.details).toMatchObject({ via: 'sms', to: '+47 9** ** *67', messageId: expect.stringMatching(/^gw-/), gateway: 'http', branch: 'bergen' });

    // A retried request activity (the same invoice) finds the send and texts nobody again.
    const retry = new AgreementRequester({
      db: product.db,
      sms: new HttpSmsGateway({ url: sms.url, token: 'gw-token' }),
      smsSender: 'Fjordvarme',
      mailer: { fromAddress: 'x@y.no', sendMessage: () => Promise.reject(new Error('no e-mail expected')) },
      links: new SignedLinks(Buffer.from(LINK_SECRET)),
      publicBaseUrl,
      scope: 'branch',
    });
    const { invoice } = parseSubmission({ mediaType: 'application/json', content: JSON.stringify({ ...consumerInvoice(customer), branch: 'bergen' }) });
    expect((await retry.request(id, invoice!, 'auto')).receipt.details.messageId).toBe(request.details.messageId);
    expect(sms.messages.filter((m) => m.recipient === '+4791234567')).toHaveLength(1);

    // The gateway's delivery report: refused without the callback secret, recorded with it.
    expect((await sms.report(`${product.url}/v1/sms/delivery-reports`, 'wrong', request.details.messageId, 'delivered')).status).toBe(401);
    const reported = await sms.report(`${product.url}/v1/sms/delivery-reports`, CALLBACK_SECRET, request.details.messageId, 'delivered');
    expect(await reported.json()).toEqual({ recorded: 1, unknown: [] });
    const after = await (await api(invoicePath(id))).json();
    expect(after.deliveries.find((d: { details: { kind?: string } }) => d.details.kind === 'agreement-request').details.deliveryStatus).toBe('delivered');
    const history = await (await api(`${invoicePath(id)}/history`)).json();
    expect(history.archive.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['receipt', 'sms_delivery_report']));
    expect(JSON.stringify(history)).not.toContain('91234567');
  });

  it('no answer in the wait → e-mail with PDF and XML that reads right; an SMTP 550 → print over SFTP with the manifest', async () => {
    const waited = await submit(consumerInvoice(uniqueNumber('C'), { phone: false }));
    const refused = consumerInvoice(uniqueNumber('C'), { phone: false });
    refused.buyer.email = 'gone@example.no';
    const printed = await submit(refused);

    // The agreement request by e-mail: the page link is its only URL.
    const request = await waitFor('the agreement e-mail', async () => smtp.received.find((m) => m.to.includes('kari@example.no') && m.raw.includes('/avtale/')));
    expect(request.raw).toMatch(/vil sende deg eFaktura/);
    // Quoted-printable as mail clients read it: soft line breaks joined, =XX decoded.
    const readable = Buffer.from(request.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    const links = new Set(readable.match(/https?:\/\/[^\s"<>]+/g));
    expect(links.size).toBe(1);
    const page = await fetch([...links][0]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Fjordvarme AS vil sende fakturaene sine til deg som eFaktura');

    const byEmail = await finalState(waited);
    expect(byEmail).toMatchObject({ status: 'delivered', channel: 'email' });
    const receipt = byEmail.deliveries.find((d: { channel: string }) => d.channel === 'email');
    const mail = smtp.received.find((m) => m.raw.includes(receipt.details.messageId))!;
    expect(mail.raw).toMatch(/^From: Fjordvarme AS <faktura@fakturaflyt\.example>/m);
    expect(Math.abs(Date.parse(/^Date: (.*)$/m.exec(mail.raw)![1]!) - Date.parse(receipt.details.sentAt))).toBeLessThan(1000);
    expect(mail.raw).toContain('2 123,75 NOK');
    expect(mail.raw).toContain('30.11.2026');
    expect(mail.raw).toMatch(/Content-Type: application\/pdf/);
    expect(mail.raw).toMatch(/Content-Type: application\/xml/);
    expect(receipt.details).toMatchObject({ to: 'k***@example.no', smtpResponse: expect.stringMatching(/^250 /) });

    const byPrint = await finalState(printed);
    expect(byPrint).toMatchObject({ status: 'delivered', channel: 'print' });
    const job = byPrint.deliveries.find((d: { channel: string }) => d.channel === 'print').details;
    expect(job).toMatchObject({ provider: 'sftp', jobStatus: 'accepted', to: '5030 NO' });
    const files = readdirSync(join(sftp.root, 'jobs')).filter((f) => f.startsWith(job.jobId));
    expect(files.sort()).toEqual([`${job.jobId}.json`, `${job.jobId}.pdf`]);
    const manifest = JSON.parse(readFileSync(join(sftp.root, 'jobs', `${job.jobId}.json`), 'utf8'));
    expect(manifest).toMatchObject({ jobId: job.jobId, recipient: { name: 'Kari Nordmann', addressLines: ['Lien 3'], postalCode: '5030', city: 'Bergen' }, document: { pages: Number(job.pages) } });
    expect(readFileSync(join(sftp.root, 'jobs', `${job.jobId}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    // The print house reports the letter posted; the next status round puts it into the receipt and the history.
    writeFileSync(join(sftp.root, 'jobs', `${job.jobId}.status.json`), JSON.stringify({ jobId: job.jobId, status: 'posted', at: '2026-11-03T10:00:00Z' }));
    expect(await refreshPrintStatuses(product.db, new SftpPrintProvider(sftp.url('/jobs')))).toBeGreaterThanOrEqual(1);
    const posted = await (await api(invoicePath(printed))).json();
    expect(posted.deliveries.find((d: { channel: string }) => d.channel === 'print').details).toMatchObject({ jobStatus: 'posted', jobStatusAt: '2026-11-03T10:00:00Z' });
    const printHistory = await (await api(`${invoicePath(printed)}/history`)).json();
    expect(printHistory.archive.find((e: { type: string }) => e.type === 'print_status').detail).toMatchObject({ jobStatus: 'posted' });
    // Nothing of it went to the local print folder.
    expect(await listOutbox(product.db, { invoiceId: printed, channel: 'print' })).toEqual([]);
  });
});
