/**
 * What the outside world shares with the invoice workflow: its input, its state, the signals and queries
 * the API uses, and the search attributes support searches by. Imported by the workflow and by the API.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Channel, Plan } from '../routing/plan.js';

export const TASK_QUEUE = 'invoices';

/** References only: the invoice itself (personal data) stays in the archive. */
export interface InvoiceLifecycleInput {
  invoiceId: string;
  source: DocumentRef;
}

export interface DocumentRef {
  documentId: string;
  sha256: string;
}

export type InvoiceStatus =
  | 'received'
  | 'rejected'
  | 'routing'
  | 'awaiting_agreement'
  | 'delivering'
  | 'delivered'
  | 'failed'
  | 'cancelled';

export const FINAL_STATUSES: readonly InvoiceStatus[] = ['rejected', 'delivered', 'failed', 'cancelled'];

export type Stage = 'validate' | 'convert' | 'route' | 'deliver' | 'agreement' | 'archive' | 'done';

export interface DeliveryAttempt {
  channel: Channel;
  outcome: 'delivered' | 'unavailable' | 'agreement_rejected' | 'agreement_timeout';
  /** Error type or receipt id: never an address. */
  detail: string;
}

export interface InvoiceState {
  status: InvoiceStatus;
  stage: Stage;
  ruleId?: string;
  rulesVersion?: string;
  plan?: Plan;
  channel?: Channel;
  /** When the agreement wait ends (ISO timestamp), while awaiting_agreement. */
  awaitingAgreementUntil?: string;
  attempts: DeliveryAttempt[];
}

export type AgreementDecision = 'accepted' | 'rejected';

export interface AgreementDecidedPayload {
  status: AgreementDecision;
  /** Who decided: the eFaktura provider's callback, support, or an API client. */
  source: string;
}

/** A decision for the consumer (provider callback): taken whenever it arrives, also before the invoice starts waiting. */
export const agreementDecidedSignal = defineSignal<[AgreementDecidedPayload]>('agreementDecided');
/** A decision for this invoice (support): accepted only while the invoice waits, so the caller learns what happened. */
export const decideAgreementUpdate = defineUpdate<AgreementDecision, [AgreementDecidedPayload]>('decideAgreement');
export const stateQuery = defineQuery<InvoiceState>('state');

export const searchAttributes = {
  status: defineSearchAttributeKey('InvoiceStatus', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('InvoiceChannel', SearchAttributeType.KEYWORD),
  supplierOrg: defineSearchAttributeKey('SupplierOrg', SearchAttributeType.KEYWORD),
  invoiceNumber: defineSearchAttributeKey('InvoiceNumber', SearchAttributeType.KEYWORD),
  documentType: defineSearchAttributeKey('DocumentType', SearchAttributeType.KEYWORD),
  customerKind: defineSearchAttributeKey('CustomerKind', SearchAttributeType.KEYWORD),
  routingRule: defineSearchAttributeKey('RoutingRule', SearchAttributeType.KEYWORD),
} as const;

/** Error types a channel raises when it cannot serve this receiver: the workflow moves to the next step. */
export const CHANNEL_UNAVAILABLE = ['ReceiverNotRegistered', 'ConsumerBlocked', 'NoEmailAddress', 'RecipientRefused', 'NoPostalAddress', 'AgreementMissing', 'ClaimRejected'] as const;
export const INVALID_INVOICE = 'InvalidInvoice';
