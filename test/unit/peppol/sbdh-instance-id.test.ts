/** The SBDH instance id: UUID-shaped, the same for the same invoice (retries), another for a deliberate resend. */
import { describe, expect, it } from 'vitest';
import { SBDH_INSTANCE_ID, sbdhInstanceId } from '../../../channels/peppol/sbdh-instance-id.js';

// Vectors computed independently (Python hashlib: sha256 of the name, first 16 bytes, version 8 and variant 10 bits).
const VECTORS = [
  ['123456785:invoice:2026-0042', 0, '1e37cbac-a195-88c0-9d35-363c513d62ff'],
  ['123456785:invoice:2026-0042', 1, 'a7d266ce-3a15-8c42-af15-cf2ef47be444'],
] as const;

describe('sbdhInstanceId', () => {
  it.each(VECTORS)('%s, resend %i → %s', (invoiceId, resend, expected) => {
    expect(sbdhInstanceId(invoiceId, resend)).toBe(expected);
  });

  it('is a version 8 UUID, stable per invoice, distinct per invoice and per resend', () => {
    const first = sbdhInstanceId('123456785:invoice:A-1');
    expect(first).toMatch(SBDH_INSTANCE_ID);
    expect(first[14]).toBe('8');
    expect('89ab').toContain(first[19]);
    expect(sbdhInstanceId('123456785:invoice:A-1')).toBe(first);
    expect(sbdhInstanceId('123456785:invoice:A-2')).not.toBe(first);
    expect(sbdhInstanceId('123456785:creditNote:A-1')).not.toBe(first);
    const resends = new Set([0, 1, 2, 3].map((n) => sbdhInstanceId('123456785:invoice:A-1', n)));
    expect(resends.size).toBe(4);
  });

  it('refuses a resend number that is not a whole number ≥ 0', () => {
    expect(() => sbdhInstanceId('x', -1)).toThrow(RangeError);
    expect(() => sbdhInstanceId('x', 1.5)).toThrow(RangeError);
  });
});
