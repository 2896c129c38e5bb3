/**
 * Asks a consumer for an eFaktura agreement where they will see it: by SMS when a mobile number is known, else by
 * e-mail (Visma AutoInvoice practice, DOMAIN.md §6), each with a signed link to our agreement page
 * (api/routes/agreement-page.ts). Once per invoice: the request's key `<invoice id>:agreement-request` finds an
 * earlier send (its receipt), the SMS gateway gets a client reference derived from it (a retried send is the same
 * message there), and the e-mail a Message-ID derived from it.
 */
import { agreementBranch, recordAgreementRequested, type AgreementScope } from '../../archive/agreements.js';
import { recordReceipt } from '../../archive/channel-receipts.js';
import type { Db } from '../../archive/database.js';
import { findDelivery } from '../../archive/deliveries.js';
import type { Invoice } from '../../invoice/model.js';
import type { SignedLinks } from '../../public-pages/signed-link.js';
import { ChannelUnavailable, type Receipt } from '../channel.js';
import type { OutgoingMail } from '../email.js';
import { maskPhone } from '../masking.js';
import { receiptFor } from '../receipt.js';
import { mobileNumber, smsReference, type SmsGateway } from '../sms/gateway.js';
import { agreementMail, agreementSms } from './texts.js';

/** The e-mail channel's transport, as the request needs it (EmailChannel implements it). */
export interface AgreementMailer {
  readonly fromAddress: string;
  sendMessage(mail: OutgoingMail): Promise<Record<string, string>>;
}

export interface AgreementRequesterOptions {
  db: Db;
  sms: SmsGateway;
  /** SMS_SENDER. */
  smsSender: string;
  mailer: AgreementMailer;
  links: SignedLinks;
  /** PUBLIC_BASE_URL. */
  publicBaseUrl: string;
  scope: AgreementScope;
  /** How long the page link works: well past the wait (P3D), since a late "yes" still counts for later invoices. */
  linkDays?: number;
}

export type AgreementVia = 'auto' | 'sms' | 'email';

/** The agreement page's path under PUBLIC_BASE_URL. */
export const AGREEMENT_PAGE_PATH = '/avtale';

export function agreementRequestKey(invoiceId: string): string {
  return `${invoiceId}:agreement-request`;
}

export class AgreementRequester {
  constructor(private readonly options: AgreementRequesterOptions) {}

  async request(invoiceId: string, invoice: Invoice, via: AgreementVia): Promise<{ via: 'sms' | 'email'; receipt: Receipt }> {
    const { db } = this.options;
    const key = agreementRequestKey(invoiceId);
    const earlier = await findDelivery(db, key);
    if (earlier) return { via: earlier.details.via === 'email' ? 'email' : 'sms', receipt: earlier };

    // An agreement is kept per supplier and customer number (DOMAIN.md §6: Visma requires the customer number first).
    if (!invoice.buyer.customerNumber) throw new ChannelUnavailable('AgreementMissing', 'no customer number to keep an eFaktura agreement under');
    const phone = mobileNumber(invoice.buyer.phone ?? invoice.buyer.contact?.phone);
    const email = invoice.buyer.email ?? invoice.buyer.contact?.email;
    const chosen = via === 'auto' ? (phone ? 'sms' : email ? 'email' : undefined) : via;
    if (!chosen || (chosen === 'sms' && !phone) || (chosen === 'email' && !email)) {
      throw new ChannelUnavailable('AgreementMissing', 'no mobile number or e-mail address to send an eFaktura agreement request to');
    }
    const supplierOrg = invoice.supplier.taxId ?? '';
    const supplierName = invoice.supplier.name;
    const branch = agreementBranch(this.options.scope, invoice.branch);
    const link = this.link(invoiceId);
    // Recorded before sending: a consumer who answers at once finds the request (and a retry changes nothing).
    await recordAgreementRequested(db, supplierOrg, branch, invoice.buyer.customerNumber, chosen);

    let details: Record<string, string>;
    if (chosen === 'sms') {
      const reference = smsReference(key);
      const sent = await this.options.sms.send({ sender: this.options.smsSender, recipient: phone!, text: agreementSms(supplierName, link), reference, invoiceId });
      details = { to: maskPhone(phone!), messageId: sent.messageId, reference, gateway: this.options.sms.kind, gatewayStatus: sent.status };
    } else {
      const content = agreementMail(supplierName, invoice.buyer.name, link, this.options.mailer.fromAddress, invoice.supplier.contact?.email);
      details = await this.options.mailer.sendMessage({ key, invoiceId, to: email!, content });
    }
    const receipt = receiptFor('efaktura', key, { kind: 'agreement-request', via: chosen, branch, supplierName, ...details });
    return { via: chosen, receipt: await recordReceipt(db, invoiceId, key, 'requested', receipt) };
  }

  /** The page link: the token names the invoice whose request it answers; nothing else authorises it. */
  private link(invoiceId: string): string {
    const days = this.options.linkDays ?? 30;
    const token = this.options.links.sign({ purpose: 'agreement', subject: invoiceId, expiresAt: new Date(Date.now() + days * 24 * 3600_000) });
    return `${this.options.publicBaseUrl}${AGREEMENT_PAGE_PATH}/${token}`;
  }
}
