/**
 * The embedded eFaktura provider (EFAKTURA_PROVIDER=sandbox, the default): the same interface as the issuer
 * service, over the `efaktura_consumers` table and the outbox. A user plays the consumer through
 * PUT /v1/sandbox/efaktura/consumers/{customerNumber}: `consent` is eFaktura 2.0's "Ja takk til alle" (the
 * look-up finds the consumer), `blocked` the consumer's reservation against this issuer (on the blacklist),
 * DOMAIN.md §1.2. Claims land in the outbox as the service would have received them, one message per
 * consignment id, so a consignment id used twice is refused as the service does (error 209).
 */
import type { Db } from '../../archive/database.js';
import { putOutboxMessage, safeFileName } from '../../archive/outbox.js';
import {
  DuplicateConsignment,
  EfakturaRefused,
  type Consignment,
  type ConsignmentStatus,
  type EfakturaProvider,
  type InvoiceStatus,
  type ReceiverLookup,
  type ReceiverQuery,
} from './provider.js';

const IDENTIFIER_PREFIX = 'sandbox-';

export class SandboxEfakturaProvider implements EfakturaProvider {
  readonly kind = 'sandbox' as const;
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

  /** The sandbox knows consumers by the issuer's customer number only: it has no register of persons. */
  async getEfakturaIdentifiers(query: ReceiverQuery): Promise<ReceiverLookup> {
    if (!query.customerNumber) return { found: false };
    const consumer = await this.getConsumer(query.customerNumber);
    // A consumer who blocked the issuer still has an identifier; the blacklist says they do not want us.
    if (consumer && (consumer.consent || consumer.blocked)) return { found: true, efakturaIdentifier: `${IDENTIFIER_PREFIX}${query.customerNumber}` };
    return { found: false };
  }

  async getBlackList(_issuer: string): Promise<string[]> {
    const r = await this.db.query<{ customer_number: string }>('SELECT customer_number FROM efaktura_consumers WHERE blocked ORDER BY customer_number');
    return r.rows.map((row) => `${IDENTIFIER_PREFIX}${row.customer_number}`);
  }

  async addInvoices(consignment: Consignment): Promise<void> {
    const [claim, ...more] = consignment.claims;
    // One claim per consignment is all the channel sends; the outbox keeps one message per consignment.
    if (!claim || more.length) throw new EfakturaRefused('FF-SANDBOX-1', 'the sandbox takes consignments of exactly one invoice');
    const { created } = await putOutboxMessage(this.db, this.dataDir, {
      channel: 'efaktura',
      messageKey: consignmentKey(consignment.consignmentId),
      invoiceId: claim.invoiceId,
      mediaType: 'application/json',
      filename: `${safeFileName(consignment.consignmentId)}.json`,
      content: JSON.stringify(
        {
          consignmentId: consignment.consignmentId,
          issuer: { orgNumber: consignment.issuer, name: claim.issuerName },
          receiver: claim.receiver,
          invoiceNumber: claim.invoiceNumber,
          kid: claim.kid,
          creditAccount: claim.creditAccount,
          amount: claim.amount,
          minimumAmount: claim.minimumAmount,
          currency: 'NOK',
          dueDate: claim.dueDate,
          presentationUrl: claim.presentationUrl,
        },
        null,
        2,
      ),
    });
    if (!created) throw new DuplicateConsignment(consignment.consignmentId);
  }

  /** The sandbox processes a consignment the moment it takes it. */
  async getConsignmentStatus(_issuer: string, consignmentId: string): Promise<ConsignmentStatus> {
    return { state: (await this.claim(consignmentId)) ? 'processed' : 'unknown' };
  }

  async getInvoiceStatus(_issuer: string, consignmentId: string, invoiceNumber: string): Promise<InvoiceStatus> {
    const claim = await this.claim(consignmentId);
    if (!claim || claim.invoiceNumber !== invoiceNumber) throw new EfakturaRefused('FF-SANDBOX-2', 'no such invoice in this consignment');
    if (claim.cancelled) return { state: 'cancelled' };
    return 'efakturaIdentifier' in claim.receiver ? { state: 'accepted', efakturaIdentifier: claim.receiver.efakturaIdentifier } : { state: 'accepted' };
  }

  async cancelInvoice(issuer: string, consignmentId: string, _invoiceNumber: string): Promise<void> {
    await this.cancelConsignment(issuer, consignmentId);
  }

  /** A cancellation is a message to the provider too: it lands in the outbox beside the claim. */
  async cancelConsignment(_issuer: string, consignmentId: string): Promise<void> {
    const claim = await this.claim(consignmentId);
    if (!claim) throw new EfakturaRefused('FF-SANDBOX-2', 'no such consignment');
    await putOutboxMessage(this.db, this.dataDir, {
      channel: 'efaktura-cancellation',
      messageKey: `${consignmentKey(consignmentId)}:cancel`,
      invoiceId: claim.invoiceId,
      mediaType: 'application/json',
      filename: `${safeFileName(consignmentId)}.cancel.json`,
      content: JSON.stringify({ consignmentId, cancelled: true }),
    });
  }

  /** The claim of a consignment and whether it was cancelled since (its cancellation message), in one query. */
  private async claim(consignmentId: string): Promise<{ invoiceId: string; invoiceNumber: string; receiver: Record<string, string>; cancelled: boolean } | undefined> {
    const key = consignmentKey(consignmentId);
    const r = await this.db.query<{ invoice_id: string; content: Buffer; cancelled: boolean }>(
      'SELECT invoice_id, content, EXISTS (SELECT 1 FROM outbox WHERE message_key = $2) AS cancelled FROM outbox WHERE message_key = $1',
      [key, `${key}:cancel`],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const claim = JSON.parse(row.content.toString('utf8'));
    return { invoiceId: row.invoice_id, invoiceNumber: claim.invoiceNumber, receiver: claim.receiver, cancelled: row.cancelled };
  }
}

function consignmentKey(consignmentId: string): string {
  return `efaktura-consignment:${consignmentId}`;
}

