/**
 * eFaktura agreement requests of the embedded default: they land in the outbox as the provider would have
 * received them. (Look-up and delivery moved to channels/efaktura/: the EfakturaProvider interface, its
 * sandbox and issuer-service implementations, and the channel over them.)
 */
import type { Db } from '../archive/database.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import { ChannelUnavailable } from './channel.js';

export interface AgreementRequestInput {
  invoiceId: string;
  supplierOrg: string;
  supplierName: string;
  customerNumber: string;
  via: 'auto' | 'sms' | 'email';
  phone?: string;
  email?: string;
}

export class SandboxEfakturaChannel {
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  /** SMS when a mobile number is known, else e-mail (Visma AutoInvoice practice, DOMAIN.md §6). */
  async requestAgreement(input: AgreementRequestInput): Promise<{ via: 'sms' | 'email' }> {
    const via = input.via === 'auto' ? (input.phone ? 'sms' : input.email ? 'email' : undefined) : input.via;
    if (!via || (via === 'sms' && !input.phone) || (via === 'email' && !input.email)) {
      throw new ChannelUnavailable('AgreementMissing', 'no mobile number or e-mail address to send an eFaktura agreement request to');
    }
    await this.db.query(
      `INSERT INTO agreements (supplier_org, customer_number, status, via, source) VALUES ($1, $2, 'requested', $3, 'request')
       ON CONFLICT (supplier_org, customer_number) DO NOTHING`,
      [input.supplierOrg, input.customerNumber, via],
    );
    const text = `${input.supplierName} vil sende deg eFaktura. Godta avtalen i nettbanken eller Vipps.`;
    await putOutboxMessage(this.db, this.dataDir, {
      channel: 'efaktura-agreement',
      messageKey: `${input.invoiceId}:agreement-request`,
      invoiceId: input.invoiceId,
      mediaType: 'application/json',
      filename: `${safeFileName(input.invoiceId)}.agreement-request.json`,
      content: JSON.stringify({ via, to: via === 'sms' ? input.phone : input.email, supplierOrg: input.supplierOrg, customerNumber: input.customerNumber, text }, null, 2),
    });
    return { via };
  }
}
