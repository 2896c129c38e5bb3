/**
 * The SBDH instance identifier of an invoice's Peppol transmission: derived from the invoice, never random, so a retried
 * hand-off carries the same id and the access point recognises it (phoss-ap detects duplicates on the SBDH
 * InstanceIdentifier; phase4-peppol-standalone#6: an application-level retry must keep it). A deliberate resend by
 * support is a new transmission: it derives a new id from the invoice and the resend number.
 *
 * Shape: a UUID (8-4-4-4-12 lowercase hex, RFC 9562 version 8 "custom", variant 10), as phoss-ap generates its own
 * random ones; the bits are the first 128 of SHA-256 over a fixed prefix, the invoice id and the resend number.
 *
 * Examples (test vectors in test/unit/peppol/sbdh-instance-id.test.ts):
 *   sbdhInstanceId('123456785:invoice:2026-0042')    → the same value on every call and every machine
 *   sbdhInstanceId('123456785:invoice:2026-0042', 1) → another value, also stable
 */
import { createHash } from 'node:crypto';

export function sbdhInstanceId(invoiceId: string, resend = 0): string {
  if (!Number.isInteger(resend) || resend < 0) throw new RangeError(`resend must be a whole number ≥ 0, not ${resend}`);
  // resend 0 is the invoice's first transmission; the suffix only for resends keeps the two spaces apart.
  const name = resend === 0 ? `fakturaflyt:sbdh:${invoiceId}` : `fakturaflyt:sbdh:${invoiceId}:resend:${resend}`;
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const SBDH_INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
