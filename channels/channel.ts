/**
 * One small interface for every delivery channel: deliver a document with an idempotency key and get a
 * receipt. Receiver look-ups are channel-specific (Peppol participant, eFaktura consumer) and live on the
 * channel that has them. Real providers and the local ones of the embedded default both implement this.
 */
import type { Invoice, Totals } from '../invoice/model.js';
import type { Channel } from '../routing/plan.js';

export interface DeliveryRequest {
  invoiceId: string;
  /** `<invoice id>:<channel>`: the same key twice must never deliver twice. */
  deliveryKey: string;
  invoice: Invoice;
  totals: Totals;
  ehfXml: string;
  pdf: Uint8Array;
  /** eFaktura: the consumer accepted an agreement request for this invoice. */
  agreementAccepted?: boolean;
  /** Called while a channel waits on its provider (Peppol: polling the access point; eFaktura: polling the consignment), so the activity heartbeats. */
  heartbeat?: () => void;
}

export interface Receipt {
  channel: Channel;
  receiptId: string;
  at: string;
  /** Provider-facing facts for support (message id, file name); never the receiver's address. */
  details: Record<string, string>;
}

export interface DeliveryChannel {
  readonly channel: Channel;
  deliver(request: DeliveryRequest): Promise<Receipt>;
}

/** The receiver cannot be reached on this channel; retrying will not help, the next channel of the plan may. */
export class ChannelUnavailable extends Error {
  constructor(
    readonly type: 'ReceiverNotRegistered' | 'ConsumerBlocked' | 'NoEmailAddress' | 'RecipientRefused' | 'NoPostalAddress' | 'AgreementMissing' | 'ClaimRejected',
    message: string,
  ) {
    super(message);
    this.name = 'ChannelUnavailable';
  }
}
