/**
 * Local eFaktura B2C provider for the embedded default. Consumers are played through the API
 * (PUT /v1/sandbox/efaktura/consumers/{customerNumber}): `consent` is eFaktura 2.0's "Ja takk til alle",
 * `blocked` the consumer's reservation against this issuer (DOMAIN.md §1.2). Invoices land in the outbox as the
 * provider would have received them. Agreement requests reach the consumer themselves (channels/agreement-request/).
 */
import type { Db } from '../archive/database.js';
import { getAgreement } from '../archive/agreements.js';
import type { EfakturaStatus } from '../routing/facts.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { deliverToOutbox } from './outbox-delivery.js';

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

  async lookup(supplierOrg: string, customerNumber: string | undefined, branch = ''): Promise<EfakturaStatus> {
    if (!customerNumber) return 'not_found';
    const consumer = await this.getConsumer(customerNumber);
    if (consumer?.blocked) return 'blocked';
    if (consumer?.consent) return 'found';
    const agreement = await getAgreement(this.db, supplierOrg, branch, customerNumber);
    switch (agreement?.status) {
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
