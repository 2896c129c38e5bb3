/** The invoice's Peppol tracks from its responses: latest transport and MLS; the business status respects BIS 63a finality. */
import { describe, expect, it } from 'vitest';
import { peppolStatuses, type PeppolResponse } from '../../../archive/peppol-responses.js';

const r = (kind: PeppolResponse['kind'], code: string, minute: number): PeppolResponse => ({ kind, code, reason: null, at: `2026-11-03T10:${String(minute).padStart(2, '0')}:00.000Z` });

describe('peppolStatuses', () => {
  it('is empty without responses', () => {
    expect(peppolStatuses([])).toEqual({ transportStatus: null, mlsStatus: null, businessStatus: null });
  });

  it('takes the latest transport and MLS, and follows the buyer through AB, IP, UQ to AP and PD', () => {
    const responses = [r('transport', 'sent', 0), r('mls', 'AB', 1), r('invoice_response', 'AB', 2), r('invoice_response', 'IP', 3), r('invoice_response', 'UQ', 4), r('invoice_response', 'AP', 5)];
    expect(peppolStatuses(responses)).toEqual({ transportStatus: 'sent', mlsStatus: 'AB', businessStatus: 'AP' });
    expect(peppolStatuses([...responses, r('invoice_response', 'PD', 6)]).businessStatus).toBe('PD');
  });

  it('keeps a final RE or AP against a later non-final response', () => {
    expect(peppolStatuses([r('invoice_response', 'RE', 1), r('invoice_response', 'IP', 2), r('invoice_response', 'AP', 3)]).businessStatus).toBe('RE');
    expect(peppolStatuses([r('invoice_response', 'AP', 1), r('invoice_response', 'UQ', 2)]).businessStatus).toBe('AP');
  });
});
