/** The e-mail channel over a real SMTP server on 127.0.0.1 (test/support/smtp-sink.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../archive/database.js';
import { ChannelUnavailable, type DeliveryRequest } from '../../../channels/channel.js';
import { EmailChannel, EmailTransportError } from '../../../channels/email.js';
import { startSmtpSink } from '../../support/smtp-sink.js';
import { sampleInvoice, sampleTotals } from '../documents/sample-invoice.js';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink({ refuse: ['gone@example.no'], deferOnce: ['busy@example.no'] });
});
afterAll(() => smtp?.stop());

const sentAt = new Date('2026-12-07T09:15:00Z');
const channel = () => new EmailChannel({ smtpUrl: smtp.url, from: 'fakturaflyt <faktura@fakturaflyt.example>', db: undefined as unknown as Db, now: () => sentAt });

function request(to: string, key: string): DeliveryRequest {
  const invoice = sampleInvoice();
  invoice.buyer.email = to;
  return { invoiceId: key, deliveryKey: `${key}:email`, invoice, totals: sampleTotals(), ehfXml: '<Invoice/>', pdf: Buffer.from('%PDF-1.7 test') };
}

/** RFC 2047 encoded words, as nodemailer writes a non-ASCII display name. */
const decodeWords = (s: string) =>
  s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
const header = (raw: string, name: string) => decodeWords(new RegExp(`^${name}: ((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '');

describe('e-mail over SMTP', () => {
  it('reads right: From the supplier at our address, Reply-To the supplier, Date of sending, Norwegian amounts, both parts, PDF and XML', async () => {
    const receipt = await channel().deliver(request('kari@example.no', '123456785:invoice:E-1'));
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
    const err = await channel().deliver(request('gone@example.no', '123456785:invoice:E-2')).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelUnavailable);
    expect(err.type).toBe('RecipientRefused');
    expect(err.message).toContain('550');
    expect(err.message).not.toContain('gone@');
  });

  it('a temporary refusal (451) is retried, and the retry delivers', async () => {
    const err = await channel().deliver(request('busy@example.no', '123456785:invoice:E-3')).catch((e) => e);
    expect(err).toBeInstanceOf(EmailTransportError);
    expect(err.responseCode).toBe(451);
    const receipt = await channel().deliver(request('busy@example.no', '123456785:invoice:E-3'));
    expect(receipt.details.to).toBe('b***@example.no');
    expect(smtp.received.filter((m) => m.to.includes('busy@example.no'))).toHaveLength(1);
  });
});
