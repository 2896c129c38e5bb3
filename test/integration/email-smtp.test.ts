/**
 * The e-mail channel over a real SMTP server on 127.0.0.1 (test/support/smtp-sink.ts), with the record of its sends in
 * the test PostgreSQL (archive/mail-sends.ts).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Db } from '../../archive/database.js';
import { ChannelUnavailable, type DeliveryRequest } from '../../channels/channel.js';
import { EmailChannel, EmailTransportError } from '../../channels/email.js';
import { archiveInvoice } from '../support/archived-invoice.js';
import { businessInvoice, uniqueNumber } from '../support/invoices.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { sampleInvoice, sampleTotals } from '../unit/documents/sample-invoice.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let db: Db;
beforeAll(async () => {
  smtp = await startSmtpSink({ refuse: ['gone@example.no'], deferOnce: ['busy@example.no'] });
  db = connect(inject('databaseUrl'), 2);
});
afterAll(async () => {
  await smtp?.stop();
  await db?.end();
});

const sentAt = new Date('2026-12-07T09:15:00Z');
const channel = () => new EmailChannel({ smtpUrl: smtp.url, from: 'fakturaflyt <faktura@fakturaflyt.example>', db, now: () => sentAt });

/** A delivery request for an invoice archived under its own number (the record of sends belongs to an invoice). */
async function request(to: string): Promise<DeliveryRequest> {
  const { id } = await archiveInvoice(db, businessInvoice(uniqueNumber('MAIL')));
  const invoice = sampleInvoice();
  invoice.buyer.email = to;
  return { invoiceId: id, deliveryKey: `${id}:email`, invoice, totals: sampleTotals(), ehfXml: '<Invoice/>', pdf: Buffer.from('%PDF-1.7 test') };
}

/** RFC 2047 encoded words, as nodemailer writes a non-ASCII display name. */
const decodeWords = (s: string) =>
  s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
const header = (raw: string, name: string) => decodeWords(new RegExp(`^${name}: ((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '');

describe('e-mail over SMTP', () => {
  it('reads right: From the supplier at our address, Reply-To the supplier, Date of sending, Norwegian amounts, both parts, PDF and XML', async () => {
    const receipt = await channel().deliver(await request('kari@example.no'));
    const mail = smtp.received.find((m) => m.to.includes('kari@example.no'))!;
    expect(mail.from).toBe('faktura@fakturaflyt.example');
    expect(header(mail.raw, 'From')).toBe('Fjordkraft Rørlegger AS <faktura@fakturaflyt.example>');
    expect(header(mail.raw, 'Reply-To')).toBe('faktura@fjordkraft-ror.no');
    expect(new Date(header(mail.raw, 'Date')).toISOString()).toBe(sentAt.toISOString());
    expect(header(mail.raw, 'Subject')).toBe('Faktura 2026-0042 fra Fjordkraft Rørlegger AS');
    expect(mail.raw).toContain('19 867,88 NOK');
    expect(mail.raw).toContain('15.02.2026');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.raw).toMatch(/Content-Type: application\/pdf; name=invoice-2026-0042\.[0-9a-f]{8}\.pdf/);
    expect(mail.raw).toMatch(/Content-Type: application\/xml; name=invoice-2026-0042\.[0-9a-f]{8}\.xml/);
    // The receipt: the Message-ID sent, the recipient masked, the server's answer.
    expect(header(mail.raw, 'Message-ID')).toBe(receipt.details.messageId);
    expect(receipt.details).toMatchObject({ to: 'k***@example.no', sentAt: sentAt.toISOString(), smtpResponse: expect.stringMatching(/^250 /) });
  });

  it('a permanent refusal (550) is RecipientRefused, for the next channel; no address in what we keep', async () => {
    const err = await channel().deliver(await request('gone@example.no')).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelUnavailable);
    expect(err.type).toBe('RecipientRefused');
    expect(err.message).toContain('550');
    expect(err.message).not.toContain('gone@');
  });

  it('a temporary refusal (451) is retried, and the retry delivers', async () => {
    const busy = await request('busy@example.no');
    const err = await channel().deliver(busy).catch((e) => e);
    expect(err).toBeInstanceOf(EmailTransportError);
    expect(err.responseCode).toBe(451);
    const receipt = await channel().deliver(busy);
    expect(receipt.details.to).toBe('b***@example.no');
    // The 451 sent nothing: the retry is a first send, not one that may have arrived twice.
    expect(receipt.details.note).toBeUndefined();
    expect(smtp.received.filter((m) => m.to.includes('busy@example.no'))).toHaveLength(1);
  });
});

describe('a send the worker did not live to archive (issue 9, item 3)', () => {
  const messagesWith = (messageId: string) => smtp.received.filter((m) => m.raw.includes(messageId));

  it('a retry after the server accepted the message reports that send and sends nothing', async () => {
    const sent = await request('ola@example.no');
    const first = await channel().deliver(sent);
    // The crash came before the delivery was archived: the activity runs again, in a new worker.
    const again = await channel().deliver(sent);
    expect(again.details).toEqual(first.details);
    expect(messagesWith(first.details.messageId!)).toHaveLength(1);
    const { rows } = await db.query('SELECT state, attempts FROM mail_sends WHERE message_key = $1', [sent.deliveryKey]);
    expect(rows).toEqual([{ state: 'sent', attempts: 1 }]);
  });

  it('a send cut off before the server\'s answer was recorded is sent again, and the receipt says it may be there twice', async () => {
    const cut = await request('per@example.no');
    // What a worker killed during the SMTP transaction leaves behind.
    await db.query(`INSERT INTO mail_sends (message_key, invoice_id, state) VALUES ($1, $2, 'sending')`, [cut.deliveryKey, cut.invoiceId]);
    const receipt = await channel().deliver(cut);
    expect(receipt.details.note).toMatch(/may have it twice, with the same Message-ID/);
    expect(messagesWith(receipt.details.messageId!)).toHaveLength(1);
    const { rows } = await db.query('SELECT state, attempts FROM mail_sends WHERE message_key = $1', [cut.deliveryKey]);
    expect(rows).toEqual([{ state: 'sent', attempts: 2 }]);
  });

  it('a refusal leaves no note behind', async () => {
    const gone = await request('gone@example.no');
    await channel().deliver(gone).catch(() => undefined);
    expect((await db.query('SELECT 1 FROM mail_sends WHERE message_key = $1', [gone.deliveryKey])).rowCount).toBe(0);
  });
});
