/**
 * EN 16931 arithmetic vectors. Each expected figure is worked out by hand in the comment beside it, so a failure
 * says which rule (BR-CO-10…17) the code broke.
 */
import { describe, expect, it } from 'vitest';
import type { AllowanceCharge } from '../../../invoice/model.js';
import { computeTotals, lineNetAmount } from '../../../invoice/totals.js';
import { line, norwegianInvoice } from './fixtures.js';

const allowance = (amount: number, extra: Partial<AllowanceCharge> = {}): AllowanceCharge => ({ charge: false, amount, reason: 'Rabatt', ...extra });
const charge = (amount: number, extra: Partial<AllowanceCharge> = {}): AllowanceCharge => ({ charge: true, amount, reason: 'Frakt', ...extra });

describe('line net amount (BT-131)', () => {
  it('is quantity × price / base quantity, rounded once', () => {
    expect(lineNetAmount(line({ quantity: 10, unitPrice: 200, baseQuantity: 2 }))).toBe(1000);
    // 3 × 9.99 / 12 = 2.4975 → 2.50 (price per dozen)
    expect(lineNetAmount(line({ quantity: 3, unitPrice: 9.99, baseQuantity: 12 }))).toBe(2.5);
    // 3 × 0.335 = 1.005 → 1.01, half away from zero
    expect(lineNetAmount(line({ quantity: 3, unitPrice: 0.335 }))).toBe(1.01);
    expect(lineNetAmount(line({ quantity: -3, unitPrice: 0.335 }))).toBe(-1.01);
    // 7 × 0.7 = 4.8999999999999995 in doubles
    expect(lineNetAmount(line({ quantity: 7, unitPrice: 0.7 }))).toBe(4.9);
  });

  it('adds line charges and subtracts line allowances', () => {
    // 10 × 410 + 1 − 101 = 4000 (Allowance-example.xml line 1)
    const net = lineNetAmount(line({ quantity: 10, unitPrice: 410, allowanceCharges: [charge(1), allowance(101)] }));
    expect(net).toBe(4000);
  });

  it('treats a missing or non-positive base quantity as 1', () => {
    expect(lineNetAmount(line({ quantity: 2, unitPrice: 50, baseQuantity: 0 }))).toBe(100);
  });
});

describe('computeTotals', () => {
  it('mixed 25/15/12 % rates: one breakdown per rate, VAT rounded per breakdown (BR-CO-17)', () => {
    const totals = computeTotals(
      norwegianInvoice({
        lines: [
          line({ id: '1', quantity: 3, unitPrice: 199.9, vatRate: 25 }), // 599.70 → VAT 149.925 → 149.93
          line({ id: '2', quantity: 2, unitPrice: 49.95, vatRate: 15 }), // 99.90 → VAT 14.985 → 14.99
          line({ id: '3', quantity: 1, unitPrice: 1234.56, vatRate: 12 }), // 1234.56 → VAT 148.1472 → 148.15
        ],
      }),
    );
    expect(totals.lineNetAmounts).toEqual([599.7, 99.9, 1234.56]);
    expect(totals.vatBreakdown).toEqual([
      { category: 'S', rate: 25, taxableAmount: 599.7, taxAmount: 149.93 },
      { category: 'S', rate: 15, taxableAmount: 99.9, taxAmount: 14.99 },
      { category: 'S', rate: 12, taxableAmount: 1234.56, taxAmount: 148.15 },
    ]);
    expect(totals.lineExtensionAmount).toBe(1934.16);
    expect(totals.taxExclusiveAmount).toBe(1934.16);
    expect(totals.taxAmount).toBe(313.07);
    expect(totals.taxInclusiveAmount).toBe(2247.23);
    expect(totals.payableAmount).toBe(2247.23);
  });

  it('rounds VAT per category and rate, not per line', () => {
    // Per line: 3 × round2(0.025) = 0.09. Per breakdown (BR-CO-17): round2(0.30 × 25 %) = round2(0.075) = 0.08.
    const totals = computeTotals(
      norwegianInvoice({ lines: ['1', '2', '3'].map((id) => line({ id, quantity: 1, unitPrice: 0.1 })) }),
    );
    expect(totals.vatBreakdown).toEqual([{ category: 'S', rate: 25, taxableAmount: 0.3, taxAmount: 0.08 }]);
    expect(totals.taxInclusiveAmount).toBe(0.38);
  });

  it('allowances and charges on both levels (BR-CO-11…13, BR-S-08)', () => {
    const totals = computeTotals(
      norwegianInvoice({
        // line: 10 × 100 − 50 + 20 = 970
        lines: [line({ quantity: 10, unitPrice: 100, allowanceCharges: [allowance(50), charge(20)] }), line({ id: '2', unitPrice: 80, vatRate: 15 })],
        allowanceCharges: [
          allowance(100, { taxCode: 'S', vatRate: 25 }),
          charge(50, { taxCode: 'S', vatRate: 25 }),
          allowance(8, { taxCode: 'S', vatRate: 15, percentage: 10, baseAmount: 80 }),
        ],
      }),
    );
    expect(totals.lineNetAmounts).toEqual([970, 80]);
    expect(totals.lineExtensionAmount).toBe(1050);
    expect(totals.allowanceTotalAmount).toBe(108);
    expect(totals.chargeTotalAmount).toBe(50);
    expect(totals.taxExclusiveAmount).toBe(992); // 1050 − 108 + 50
    expect(totals.vatBreakdown).toEqual([
      { category: 'S', rate: 25, taxableAmount: 920, taxAmount: 230 }, // 970 − 100 + 50
      { category: 'S', rate: 15, taxableAmount: 72, taxAmount: 10.8 }, // 80 − 8
    ]);
    expect(totals.taxAmount).toBe(240.8);
    expect(totals.payableAmount).toBe(1232.8);
  });

  it('zero-rated and exempt lines: own breakdowns, no VAT, reasons only where allowed (BR-Z-10, BR-E-10)', () => {
    const totals = computeTotals(
      norwegianInvoice({
        lines: [
          line({ id: '1', unitPrice: 200 }),
          line({ id: '2', unitPrice: 500, taxCode: 'Z', vatRate: 0 }),
          line({ id: '3', unitPrice: 300, taxCode: 'E', vatRate: 0 }),
        ],
      }),
    );
    expect(totals.vatBreakdown).toEqual([
      { category: 'S', rate: 25, taxableAmount: 200, taxAmount: 50 },
      { category: 'Z', rate: 0, taxableAmount: 500, taxAmount: 0 },
      { category: 'E', rate: 0, taxableAmount: 300, taxAmount: 0, exemptionReason: 'Unntatt fra merverdiavgift, jf. merverdiavgiftsloven kapittel 3' },
    ]);
    expect(totals.taxAmount).toBe(50);
    expect(totals.payableAmount).toBe(1050);
  });

  it('gives AE, K, G and O their VATEX codes (BR-AE-10, BR-IC-10, BR-G-10, BR-O-10)', () => {
    const codes = (['AE', 'K', 'G', 'O'] as const).map((taxCode) => computeTotals(norwegianInvoice({ lines: [line({ taxCode, vatRate: 0 })] })).vatBreakdown[0]!.exemptionReasonCode);
    expect(codes).toEqual(['VATEX-EU-AE', 'VATEX-EU-IC', 'VATEX-EU-G', 'VATEX-EU-O']);
  });

  it('uses the ERP exemption reason when given', () => {
    const totals = computeTotals(
      norwegianInvoice({
        lines: [line({ taxCode: 'E', vatRate: 0 })],
        vatExemptions: [{ category: 'E', exemptionReasonCode: 'VATEX-EU-132-1A' }],
      }),
    );
    expect(totals.vatBreakdown[0]).toEqual({ category: 'E', rate: 0, taxableAmount: 1000, taxAmount: 0, exemptionReasonCode: 'VATEX-EU-132-1A' });
  });

  it('groups an O allowance with O lines, whatever rate field it carries', () => {
    const totals = computeTotals(
      norwegianInvoice({ lines: [line({ taxCode: 'O', vatRate: 0 })], allowanceCharges: [allowance(100, { taxCode: 'O' })] }),
    );
    expect(totals.vatBreakdown).toHaveLength(1);
    expect(totals.vatBreakdown[0]!.taxableAmount).toBe(900);
  });

  it('prepaid and rounding amounts (BR-CO-16), as in the OpenPEPPOL Norwegian example', () => {
    // 1436.50 + VAT 365.28 = 1801.78; − 1000 prepaid + 0.22 rounding = 802.00
    const totals = computeTotals(
      norwegianInvoice({
        lines: [
          line({ id: '1', unitPrice: 1273, allowanceCharges: [allowance(12), charge(12)] }),
          line({ id: '2', quantity: -1, unitPrice: 3.96, vatRate: 15 }),
          line({ id: '3', quantity: 2, unitPrice: 2.48, vatRate: 15 }),
          line({ id: '4', quantity: -1, unitPrice: 25, taxCode: 'E', vatRate: 0 }),
          line({ id: '5', quantity: 250, unitPrice: 0.75 }),
        ],
        allowanceCharges: [charge(100, { taxCode: 'S', vatRate: 25 }), allowance(100, { taxCode: 'S', vatRate: 25 })],
        prepaidAmount: 1000,
        roundingAmount: 0.22,
      }),
    );
    expect(totals.vatBreakdown.map((g) => [g.category, g.rate, g.taxableAmount, g.taxAmount])).toEqual([
      ['S', 25, 1460.5, 365.13], // 365.125 → 365.13
      ['S', 15, 1, 0.15],
      ['E', 0, -25, 0],
    ]);
    expect(totals.taxInclusiveAmount).toBe(1801.78);
    expect(totals.prepaidAmount).toBe(1000);
    expect(totals.roundingAmount).toBe(0.22);
    expect(totals.payableAmount).toBe(802);
  });

  it('a credit note: positive amounts credit the buyer', () => {
    const totals = computeTotals(norwegianInvoice({ documentType: 'creditNote', typeCode: '381', lines: [line({ quantity: 2, unitPrice: 499.5 })] }));
    expect(totals.taxExclusiveAmount).toBe(999);
    expect(totals.taxAmount).toBe(249.75);
    expect(totals.payableAmount).toBe(1248.75);
  });

  it('a negative invoice: rounding stays symmetric', () => {
    // −1325 × 25 % = −331.25 (base-negative-inv-correction.xml)
    const totals = computeTotals(
      norwegianInvoice({
        lines: [line({ quantity: -7, unitPrice: 400 }), line({ id: '2', quantity: 3, unitPrice: 500 })],
        allowanceCharges: [charge(-25, { taxCode: 'S', vatRate: 25 })],
      }),
    );
    expect(totals.lineExtensionAmount).toBe(-1300);
    expect(totals.chargeTotalAmount).toBe(-25);
    expect(totals.taxAmount).toBe(-331.25);
    expect(totals.payableAmount).toBe(-1656.25);
  });

  it('ignores ERP-supplied figures (checks.ts compares them)', () => {
    const totals = computeTotals(norwegianInvoice({ suppliedTotals: { payableAmount: 1 }, lines: [line({ lineNetAmount: 5 })] }));
    expect(totals.lineNetAmounts).toEqual([1000]);
    expect(totals.payableAmount).toBe(1250);
  });
});
