/**
 * An SMS gateway, in our words: send one text to one mobile number under a client reference, get the gateway's
 * message id; delivery reports come back later (docs/sms-gateway.md). The HTTP gateway (SMS_GATEWAY_URL) and the
 * outbox of the embedded default both implement it; configuration picks one (channels/sms/select.ts).
 */
import { createHash } from 'node:crypto';

export interface SmsMessage {
  /** Alphanumeric sender id (max 11 characters, GSM 03.38) or a number: SMS_SENDER. */
  sender: string;
  /** E.164, e.g. +4791234567. */
  recipient: string;
  text: string;
  /** Our idempotency key: the same reference twice is one message at the gateway. */
  reference: string;
  /** The invoice it concerns: for our own filing (the outbox), never sent to a gateway. */
  invoiceId?: string;
}

export interface SmsSent {
  messageId: string;
  /** What the gateway said on acceptance, e.g. `accepted` or `queued`. */
  status: string;
}

export type SmsDeliveryStatus = 'delivered' | 'failed' | 'expired';

export interface SmsDeliveryReport {
  messageId: string;
  reference?: string;
  status: SmsDeliveryStatus;
  /** ISO 8601, when the operator reported it. */
  at: string;
  /** The operator's or gateway's reason for a failure, e.g. `unknown_subscriber`. */
  errorCode?: string;
}

export interface SmsGateway {
  /** `http` or `outbox`: shown in receipts so support knows whether a text really left. */
  readonly kind: 'http' | 'outbox';
  send(message: SmsMessage): Promise<SmsSent>;
}

/** The gateway could not be reached or did not answer usefully: retried with backoff. Never quotes the gateway. */
export class SmsGatewayError extends Error {
  constructor(readonly code: string) {
    super(`SMS gateway failed (${code})`);
    this.name = 'SmsGatewayError';
  }
}

/** A client reference from our delivery key: stable across retries, short enough for any gateway (≤ 40). */
export function smsReference(key: string): string {
  return `ff-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/**
 * A Norwegian mobile number as E.164 (+47 and 8 digits; mobile numbers start with 4 or 9, Nkom's numbering plan),
 * or undefined when it is not one we can text. Foreign numbers in international form are kept as given.
 */
export function mobileNumber(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const compact = phone.replace(/[\s().-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (/^[49]\d{7}$/.test(international)) return `+47${international}`;
  if (/^\+47\d{8}$/.test(international)) return /^\+47[49]/.test(international) ? international : undefined;
  if (/^\+[1-9]\d{6,14}$/.test(international)) return international;
  return undefined;
}
