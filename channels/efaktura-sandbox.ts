/**
 * Local eFaktura B2C provider for the embedded default. Consumers are played through the API
 * (PUT /v1/sandbox/efaktura/consumers/{customerNumber}): `consent` is eFaktura 2.0's "Ja takk til alle",
 * `blocked` the consumer's reservation against this issuer (DOMAIN.md §1.2). Agreement requests and invoices
 * land in the outbox as the provider would have received them.
 */
import type { Db } from '../archive/database.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import type { EfakturaStatus } from '../routing/facts.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { deliverToOutbox } from './outbox-delivery.js';

export interface AgreementRequestInput {
  invoiceId: string;
  supplierOrg: string;
  supplierName: string;
  customerNumber: string;
  via: 'auto' | 'sms' | 'email';
  phone?: string;
  email?: string;
}

export class SandboxEfakturaChannel implements DeliveryChannel {
  readonly channel = 'efaktura' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async setConsumer(customerNumber: string, consent: boolean, blocked: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO efaktura_consumers (customer_number, consent, blocked) VALUES ($1, $2, $3)
       ON CONFLICT (customer_number) DO UPDATE SET consent = EXCLUDED.consent, blocked = EXCLUDED.blocked, updated_at = now()`,
      [customerNumber, consent, blocked],
    );
  }

  async getConsumer(customerNumber: string): Promise<{ consent: boolean; blocked: boolean } | undefined> {
    const r = await this.db.query('SELECT consent, blocked FROM efaktura_consumers WHERE customer_number = $1', [customerNumber]);
    return r.rows[0];
  }

  async lookup(supplierOrg: string, customerNumber: string | undefined): Promise<EfakturaStatus> {
    if (!customerNumber) return 'not_found';
    const consumer = await this.getConsumer(customerNumber);
    if (consumer?.blocked) return 'blocked';
    if (consumer?.consent) return 'found';
    const agreement = await this.db.query<{ status: string }>('SELECT status FROM agreements WHERE supplier_org = $1 AND customer_number = $2', [supplierOrg, customerNumber]);
    switch (agreement.rows[0]?.status) {
      case 'accepted':
        return 'agreement_accepted';
      case 'rejected':
        return 'agreement_rejected';
      case 'requested':
        return 'agreement_pending';
      default:
        return 'not_found';
    }
  }

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

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice, totals } = request;
    const supplierOrg = invoice.supplier.taxId ?? '';
    const status = await this.lookup(supplierOrg, invoice.buyer.customerNumber);
    if (status === 'blocked') throw new ChannelUnavailable('ConsumerBlocked', 'the consumer has blocked eFaktura from this issuer');
    if (status !== 'found' && status !== 'agreement_accepted' && !request.agreementAccepted) {
      throw new ChannelUnavailable('AgreementMissing', `no eFaktura consent or agreement (${status})`);
    }
    // What the eFaktura service needs to present the claim in the online bank (DOMAIN.md §1.4).
    const claim = {
      issuer: { orgNumber: supplierOrg, name: invoice.supplier.name },
      customerNumber: invoice.buyer.customerNumber,
      invoiceNumber: invoice.invoiceNumber,
      documentType: invoice.documentType,
      kid: invoice.payment?.kid,
      creditAccount: invoice.payment?.account ?? invoice.payment?.iban,
      amount: totals.payableAmount,
      currency: invoice.currency,
      dueDate: invoice.dueDate,
    };
    return deliverToOutbox(this.db, this.dataDir, 'efaktura', request, { mediaType: 'application/json', extension: 'json', content: JSON.stringify(claim, null, 2) });
  }
}
