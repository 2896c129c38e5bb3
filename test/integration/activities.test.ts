/**
 * The activities against real PostgreSQL and the local channels (outbox mode, no SMTP): a retried delivery
 * never delivers twice, the e-mail is a real RFC 822 message with the PDF and the EHF attached, and nothing the
 * activities hand back to the workflow carries the invoice's personal data.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import { getDocument } from '../../archive/documents.js';
import { startPdfRenderPool } from '../../documents/pdf-render-pool.js';
import { connect, type Db } from '../../archive/database.js';
import { listOutbox } from '../../archive/outbox.js';
import { AgreementRequester } from '../../channels/agreement-request/requester.js';
import { EfakturaChannel } from '../../channels/efaktura/efaktura-channel.js';
import { SandboxEfakturaProvider } from '../../channels/efaktura/sandbox-provider.js';
import { SignedLinks } from '../../public-pages/signed-link.js';
import { EmailChannel } from '../../channels/email.js';
import { LocalPeppolChannel } from '../../channels/peppol-local.js';
import { LocalPrintChannel } from '../../channels/print-local.js';
import { OutboxSmsGateway } from '../../channels/sms/outbox-gateway.js';
import { type OfficialValidator } from '../../validation/submission.js';
import { verdictBasis } from '../../validation/verdict-basis.js';
import { businessInvoice, consumerInvoice, uniqueNumber } from '../support/invoices.js';
import { archiveInvoice } from '../support/archived-invoice.js';
import { longestStall } from '../support/event-loop-stall.js';

let db: Db;
let dataDir: string;
let activities: ReturnType<typeof createActivities>;
const mock = new MockActivityEnvironment();
/** MockActivityEnvironment.run returns unknown; keep each activity's own result type. */
const env = { run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => mock.run(fn, ...args) as Promise<R> };

beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-activities-'));
  activities = createActivities(activityDeps());
});

function activityDeps(): ActivityDeps {
  return {
    db,
    channels: {
      peppol: new LocalPeppolChannel(db, dataDir),
      efaktura: sandboxEfaktura(),
      email: new EmailChannel({ from: 'test <faktura@fakturaflyt.invalid>', db, dataDir }),
      print: new LocalPrintChannel(db, dataDir),
    },
    agreementRequests: agreementRequests(),
    route: (facts) => ({ ruleId: `kind-${facts.customer.kind}`, rulesVersion: 'rs-test', plan: { steps: [{ channel: 'email' }, { channel: 'print' }] } }),
  };
}

function sandboxEfaktura(): EfakturaChannel {
  return new EfakturaChannel({ provider: new SandboxEfakturaProvider(db, dataDir), db, links: new SignedLinks(Buffer.alloc(32, 7)), publicBaseUrl: 'http://127.0.0.1:3000' });
}

function agreementRequests(): AgreementRequester {
  const mailer = new EmailChannel({ from: 'test <faktura@fakturaflyt.invalid>', db, dataDir });
  return new AgreementRequester({ db, sms: new OutboxSmsGateway(db, dataDir), smsSender: 'Test', mailer, links: new SignedLinks(Buffer.alloc(32, 7)), publicBaseUrl: 'http://127.0.0.1:3000', scope: 'all' });
}

afterAll(async () => {
  await db?.end();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const archived = (body: unknown, verdictBasis: string | null = null) => archiveInvoice(db, body, verdictBasis);

describe('activities', () => {
  it('validate reuses the verdict the API stored for this document with the same checks and rules, and validates again otherwise', async () => {
    const validatedXml: string[] = [];
    const official: OfficialValidator = async (xml) => (validatedXml.push(xml), []);
    const withRules = createActivities({ db, channels: { peppol: new LocalPeppolChannel(db, dataDir), efaktura: sandboxEfaktura(), email: new EmailChannel({ from: 'test <faktura@fakturaflyt.invalid>', db, dataDir }), print: new LocalPrintChannel(db, dataDir) }, agreementRequests: agreementRequests(), route: () => { throw new Error('not routed here'); }, official });

    const same = await archived(consumerInvoice(uniqueNumber('C')), verdictBasis(true));
    expect(await env.run(withRules.validateInvoice, { invoiceId: same.id, source: same.source })).toEqual({ warnings: 0, verdict: 'reused' });
    expect(validatedXml).toHaveLength(0);

    const earlierRules = await archived(consumerInvoice(uniqueNumber('C')), `${verdictBasis(true)} (an earlier setup)`);
    const unrecorded = await archived(consumerInvoice(uniqueNumber('C')));
    for (const { id, source } of [earlierRules, unrecorded]) {
      expect(await env.run(withRules.validateInvoice, { invoiceId: id, source })).toMatchObject({ verdict: 'validated' });
    }
    expect(validatedXml).toHaveLength(2);
  });

  it('validate, convert, route and deliver by e-mail; a retried delivery returns the first receipt and sends nothing more', async () => {
    const { id, source } = await archived(consumerInvoice(uniqueNumber('C')));
    await env.run(activities.validateInvoice, { invoiceId: id, source });
    const documents = await env.run(activities.convertInvoice, { invoiceId: id });
    expect(documents.ehf.sha256).toMatch(/^[0-9a-f]{64}$/);
    const decision = await env.run(activities.routeInvoice, { invoiceId: id });
    expect(decision).toMatchObject({ ruleId: 'kind-consumer', rulesVersion: 'rs-test', efakturaReady: false });

    const input = { invoiceId: id, channel: 'email' as const, agreementAccepted: false, ...documents };
    const first = await env.run(activities.deliverInvoice, input);
    const second = await env.run(activities.deliverInvoice, input);
    expect(second.receiptId).toBe(first.receiptId);
    const outbox = await listOutbox(db, { invoiceId: id, channel: 'email' });
    expect(outbox).toHaveLength(1);
    const eml = outbox[0]!.content.toString('utf8');
    expect(eml).toMatch(/^To: kari@example\.no$/m);
    expect(eml).toMatch(/Content-Type: application\/pdf;\s+name="?[^"\s]+\.pdf/);
    expect(eml).toMatch(/Content-Type: application\/xml;\s+name="?[^"\s]+\.xml/);
    const files = await readdir(join(dataDir, 'outbox', 'email'));
    expect(files).toHaveLength(1);
    expect(await readFile(join(dataDir, 'outbox', 'email', files[0]!), 'utf8')).toBe(eml);

    // What goes back into the workflow history: references and receipts only.
    const returned = JSON.stringify([documents, decision, first]);
    for (const secret of ['Kari', 'kari@example.no', '+4791234567', '86011117947', 'Lien 3']) expect(returned).not.toContain(secret);
  });

  it('prepare and deliverAndRecord archive the timeline in order — the receipt before `delivered` — and a retry writes nothing twice', async () => {
    const { id, source } = await archived(consumerInvoice(uniqueNumber('C')), verdictBasis(false));
    const prepared = await env.run(activities.prepareInvoice, { invoiceId: id, source });
    if ('rejected' in prepared) throw new Error(`rejected: ${prepared.rejected.join(', ')}`);
    const input = {
      invoiceId: id,
      channel: 'email' as const,
      agreementAccepted: false,
      ehf: prepared.ehf,
      pdf: prepared.pdf,
      before: { state: { status: 'delivering' as const, stage: 'deliver' as const }, events: [{ seq: 4, type: 'delivering', detail: { channel: 'email' } }] },
      deliveredSeq: 5,
    };
    const first = await env.run(activities.deliverAndRecord, input);
    const again = await env.run(activities.deliverAndRecord, input); // a retry after a crash: the key finds the delivery
    expect(again).toEqual(first);
    const events = (await db.query('SELECT seq, type FROM invoice_events WHERE invoice_id = $1 ORDER BY id', [id])).rows;
    expect(events).toEqual([
      { seq: 1, type: 'validated' },
      { seq: 2, type: 'converted' },
      { seq: 3, type: 'routed' },
      { seq: 4, type: 'delivering' },
      { seq: null, type: 'receipt' },
      { seq: 5, type: 'delivered' },
    ]);
    const { rows } = await db.query('SELECT status, stage, channel FROM invoices WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'delivered', stage: 'done', channel: 'email' });
  });

  it('refuses a channel the receiver cannot be reached on with a typed, non-retryable failure', async () => {
    const { id, source } = await archived(consumerInvoice(uniqueNumber('C'), { email: false }));
    await env.run(activities.validateInvoice, { invoiceId: id, source });
    const documents = await env.run(activities.convertInvoice, { invoiceId: id });
    await expect(env.run(activities.deliverInvoice, { invoiceId: id, channel: 'email', agreementAccepted: false, ...documents })).rejects.toMatchObject({
      type: 'NoEmailAddress',
      nonRetryable: true,
    });
    await expect(env.run(activities.deliverInvoice, { invoiceId: id, channel: 'peppol', agreementAccepted: false, ...documents })).rejects.toMatchObject({
      type: 'ReceiverNotRegistered',
    });
  });

  it('prepares an invoice of 5,000 lines (the limit) with the event loop free: our checks, the UBL and the PDF on worker threads', async () => {
    const body = businessInvoice(uniqueNumber('BIG'));
    body.lines = Array.from({ length: 5000 }, (_, i) => ({ ...body.lines[0]!, description: `Linje ${i} ${'x'.repeat(60)}` }));
    const { id, source } = await archived(body, verdictBasis(false)); // the verdict the API gave: our parse and UBL remain
    const pdfPool = startPdfRenderPool();
    const pooled = createActivities({ ...activityDeps(), renderPdf: (invoice, totals) => pdfPool.render(invoice, totals) });
    let prepared: unknown;
    const longestGap = await longestStall(async () => {
      prepared = await env.run(pooled.prepareInvoice, { invoiceId: id, source });
    }).finally(() => pdfPool.close());
    expect(prepared).toMatchObject({ ruleId: 'kind-business', warnings: 0 });
    // In place, parsing and building the UBL of 5,000 lines alone hold the loop for ~0.7 s on this machine.
    expect(longestGap).toBeLessThan(400);
    const ehf = await getDocument(db, id, 'ehf');
    expect((ehf!.content.toString('utf8').match(/<cac:InvoiceLine>/g) ?? []).length).toBe(5000);
  });

  it('rejects an archived source whose hash does not match the reference', async () => {
    const { id, source } = await archived(consumerInvoice(uniqueNumber('C')));
    await expect(env.run(activities.validateInvoice, { invoiceId: id, source: { ...source, sha256: '0'.repeat(64) } })).rejects.toMatchObject({ type: 'InvalidInvoice' });
  });

  it('keeps archived documents immutable', async () => {
    const { id } = await archived(consumerInvoice(uniqueNumber('C')));
    await expect(db.query("UPDATE documents SET content = 'x' WHERE invoice_id = $1", [id])).rejects.toThrow(/immutable/);
    await expect(db.query('DELETE FROM documents WHERE invoice_id = $1', [id])).rejects.toThrow(/must be kept until 2031-12-31/);
  });
});
