/**
 * E-mail: real SMTP through nodemailer when SMTP_URL is set; otherwise the message is rendered to an .eml
 * file in the outbox. The invoice PDF and the EHF XML are attached. Each SMTP send is recorded as the server accepts
 * it (archive/mail-sends.ts), so a retry after a crash reports that send instead of sending again; the Message-ID
 * derives from the delivery key, so a resend in the remaining window is recognisable as the same message.
 * SMTP_URL carries TLS and authentication (README "E-mail"): `smtp://user:pass@host:587` upgrades with STARTTLS
 * when offered, `?requireTLS=true` insists on it, `smtps://host:465` is TLS from the first byte.
 * The agreement request's e-mail goes the same way (sendMessage), so it reaches a person whenever invoices do.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Db } from '../archive/database.js';
import { beginMailSend, forgetMailSend, markMailSent } from '../archive/mail-sends.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { invoiceMail, senderAddress, type MailContent } from './email-message.js';
import { maskEmail, maskText } from './masking.js';
import { receiptFor } from './receipt.js';

export interface EmailChannelOptions {
  smtpUrl?: string;
  from: string;
  db: Db;
  dataDir?: string;
  /** The Date header: the moment of sending (a test may fix it). */
  now?: () => Date;
}

export interface OutgoingMail {
  /** Idempotency key: the Message-ID and the outbox row derive from it. */
  key: string;
  invoiceId: string;
  to: string;
  content: MailContent;
  attachments?: SendMailOptions['attachments'];
}

export class EmailChannel implements DeliveryChannel {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  private readonly outbox: boolean;
  /** MAIL_FROM's address: every message is sent from it, under the supplier's name. */
  readonly fromAddress: string;

  constructor(private readonly options: EmailChannelOptions) {
    this.outbox = !options.smtpUrl;
    this.fromAddress = senderAddress(options.from);
    // Timeouts well inside the activity's 2 minutes: a hung server must fail the attempt, not race its retry.
    this.transport = options.smtpUrl
      ? nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as SMTPTransport.Options)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice, totals } = request;
    const to = invoice.buyer.email ?? invoice.buyer.contact?.email;
    if (!to) throw new ChannelUnavailable('NoEmailAddress', 'the buyer has no e-mail address');
    const base = safeFileName(`${invoice.documentType}-${invoice.invoiceNumber}`);
    const details = await this.sendMessage({
      key: request.deliveryKey,
      invoiceId: request.invoiceId,
      to,
      content: invoiceMail(invoice, totals, this.fromAddress),
      attachments: [
        { filename: `${base}.pdf`, content: Buffer.from(request.pdf), contentType: 'application/pdf' },
        { filename: `${base}.xml`, content: request.ehfXml, contentType: 'application/xml' },
      ],
    });
    return receiptFor('email', request.deliveryKey, details);
  }

  /** Sends one message; the receipt details hold the Message-ID, the masked recipient and the server's masked answer. */
  async sendMessage(mail: OutgoingMail): Promise<Record<string, string>> {
    const domain = this.fromAddress.slice(this.fromAddress.lastIndexOf('@') + 1) || 'fakturaflyt';
    const messageId = `<${createHash('sha256').update(mail.key).digest('hex').slice(0, 32)}@${domain}>`;
    const date = (this.options.now ?? (() => new Date()))();
    const { content } = mail;
    // Over SMTP, a send the server accepted before a crash is found, not repeated (archive/mail-sends.ts).
    const earlier = this.outbox ? undefined : await beginMailSend(this.options.db, mail.key, mail.invoiceId);
    if (earlier?.sent) return earlier.sent;
    const info = await this.send(mail.key, {
      from: content.from,
      ...(content.replyTo ? { replyTo: content.replyTo } : {}),
      to: mail.to,
      subject: content.subject,
      messageId,
      date,
      text: content.text,
      html: content.html,
      attachments: mail.attachments,
    });
    const details: Record<string, string> = { to: maskEmail(mail.to), messageId, sentAt: date.toISOString() };
    if (this.outbox) {
      const { row } = await putOutboxMessage(this.options.db, this.options.dataDir, {
        channel: 'email',
        messageKey: mail.key,
        invoiceId: mail.invoiceId,
        mediaType: 'message/rfc822',
        filename: `${safeFileName(mail.key)}.eml`,
        content: info.message as Buffer,
      });
      return { ...details, outboxId: row.id };
    }
    // The server's answer may echo the address: masked (channels/masking.ts).
    const sent = {
      ...details,
      smtpResponse: maskText(String(info.response ?? '')),
      ...(earlier?.interrupted ? { note: 'sent again after an interrupted send: the recipient may have it twice, with the same Message-ID' } : {}),
    };
    await markMailSent(this.options.db, mail.key, sent);
    return sent;
  }

  /**
   * A recipient the server refuses for good (5xx) is a fallback case; other failures are retried. The refusal
   * keeps the server's reply for support ("mailbox unavailable", "rejected as spam"), masked: it usually echoes
   * the address (README "Personal data"). A retried failure never quotes the server.
   */
  private async send(key: string, message: SendMailOptions): Promise<{ message?: unknown; response?: string }> {
    try {
      return await this.transport.sendMail(message);
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; response?: string };
      // The server said no: nothing went out. Without an answer (a dropped connection) it may have, so the note stays.
      if (!this.outbox && e.responseCode !== undefined) await forgetMailSend(this.options.db, key);
      // 5xx is the server's final no (RFC 5321 §4.2.1); 4xx says "try later". EENVELOPE without a code: no valid recipient.
      if ((e.responseCode !== undefined && e.responseCode >= 500) || (e.code === 'EENVELOPE' && e.responseCode === undefined)) {
        const reply = typeof e.response === 'string' && e.response ? `: ${maskText(e.response.slice(0, 300))}` : '';
        throw new ChannelUnavailable('RecipientRefused', `the mail server refused the recipient (${e.responseCode ?? e.code})${reply}`);
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
