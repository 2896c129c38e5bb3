/**
 * E-mail: real SMTP through nodemailer when SMTP_URL is set; otherwise the message is rendered to an .eml
 * file in the outbox. The invoice PDF and the EHF XML are attached. The Message-ID derives from the delivery
 * key, so a resend after a crash between SMTP's acceptance and our receipt is recognisable as the same message.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Db } from '../archive/database.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { receiptFor } from './receipt.js';

export interface EmailChannelOptions {
  smtpUrl?: string;
  from: string;
  db: Db;
  dataDir?: string;
}

export class EmailChannel implements DeliveryChannel {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  private readonly outbox: boolean;

  constructor(private readonly options: EmailChannelOptions) {
    this.outbox = !options.smtpUrl;
    // Timeouts well inside the activity's 2 minutes: a hung server must fail the attempt, not race its retry.
    this.transport = options.smtpUrl
      ? nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as SMTPTransport.Options)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice, totals } = request;
    const to = invoice.buyer.email ?? invoice.buyer.contact?.email;
    if (!to) throw new ChannelUnavailable('NoEmailAddress', 'the buyer has no e-mail address');
    const title = invoice.documentType === 'creditNote' ? 'Kreditnota' : 'Faktura';
    const messageId = `<${createHash('sha256').update(request.deliveryKey).digest('hex').slice(0, 32)}@fakturaflyt>`;
    const base = safeFileName(`${invoice.documentType}-${invoice.invoiceNumber}`);
    const info = await this.send({
      from: this.options.from,
      to,
      subject: `${title} ${invoice.invoiceNumber} fra ${invoice.supplier.name}`,
      messageId,
      date: new Date(`${invoice.issueDate}T08:00:00Z`),
      text: [
        `${title} ${invoice.invoiceNumber} fra ${invoice.supplier.name}.`,
        `Å betale: ${totals.payableAmount.toFixed(2)} ${invoice.currency}${invoice.dueDate ? `, forfall ${invoice.dueDate}` : ''}.`,
        invoice.payment?.kid ? `KID: ${invoice.payment.kid}` : '',
        'Fakturaen er vedlagt som PDF og som EHF (XML).',
      ].filter(Boolean).join('\n'),
      attachments: [
        { filename: `${base}.pdf`, content: Buffer.from(request.pdf), contentType: 'application/pdf' },
        { filename: `${base}.xml`, content: request.ehfXml, contentType: 'application/xml' },
      ],
    });
    if (this.outbox) {
      const { row } = await putOutboxMessage(this.options.db, this.options.dataDir, {
        channel: 'email',
        messageKey: request.deliveryKey,
        invoiceId: request.invoiceId,
        mediaType: 'message/rfc822',
        filename: `${safeFileName(request.deliveryKey)}.eml`,
        content: info.message as Buffer,
      });
      return receiptFor('email', request.deliveryKey, { messageId, outboxId: row.id });
    }
    return receiptFor('email', request.deliveryKey, { messageId, smtpResponse: String(info.response ?? '') });
  }

  /** A recipient the server refuses for good (5xx) is a fallback case; other failures are retried. Neither quotes the server's reply, which names the address. */
  private async send(message: SendMailOptions): Promise<{ message?: unknown; response?: string }> {
    try {
      return await this.transport.sendMail(message);
    } catch (err) {
      const e = err as { responseCode?: number; code?: string };
      if (e.code === 'EENVELOPE' || (e.responseCode !== undefined && e.responseCode >= 500)) {
        throw new ChannelUnavailable('RecipientRefused', `the mail server refused the recipient (${e.responseCode ?? e.code})`);
      }
      throw new EmailTransportError(e.code ?? 'SMTP', e.responseCode);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** An SMTP failure that may pass (connection, 4xx): retried by the activity. Its message never quotes the server. */
export class EmailTransportError extends Error {
  constructor(readonly code: string, readonly responseCode?: number) {
    super(`SMTP delivery failed (${code}${responseCode ? ` ${responseCode}` : ''})`);
    this.name = 'EmailTransportError';
  }
}
