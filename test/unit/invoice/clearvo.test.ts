/**
 * Seed 004: the Clearvo example body, read from ../shared/seeds. Its supplier 987654321 fails MOD11 and its buyer
 * `BUYERNO001` is no org number, so we reject it with the Peppol rule ids; with valid org numbers it passes.
 */
import { describe, expect, it } from 'vitest';
import { checkInvoice } from '../../../invoice/checks.js';
import { parseInvoiceJson } from '../../../invoice/json-input.js';
import { computeTotals } from '../../../invoice/totals.js';
import { isFatal } from '../../../validation/issue.js';
import { clearvoBody } from './fixtures.js';

function validate(body: unknown) {
  const parsed = parseInvoiceJson(body);
  expect(parsed.issues.filter(isFatal)).toEqual([]);
  const totals = computeTotals(parsed.invoice!);
  return { invoice: parsed.invoice!, totals, issues: [...parsed.issues, ...checkInvoice(parsed.invoice!, totals)] };
}

describe('the Clearvo example body (seed 004)', () => {
  it('parses as our JSON, tolerating its extra fields', () => {
    const { invoice, totals } = validate(clearvoBody());
    expect(invoice.invoiceNumber).toBe('NO-INV-2026-001');
    expect(invoice.supplier).toMatchObject({ taxId: '987654321', endpointId: '987654321', endpointSchemeId: '0192' });
    expect(invoice.buyer).toMatchObject({ kind: 'business', taxId: 'BUYERNO001', endpointId: 'BUYERNO001' });
    expect(totals.payableAmount).toBe(6250); // 5 × 1000 + 25 %
  });

  it('is rejected: neither org number passes PEPPOL-COMMON-R041, so neither does the VAT id (NO-R-001)', () => {
    const fatal = validate(clearvoBody())
      .issues.filter(isFatal)
      .map((i) => `${i.rule} ${i.path}`)
      .sort();
    expect(fatal).toEqual(
      [
        'NO-R-001 /supplier/vatId',
        'PEPPOL-COMMON-R041 /buyer/endpointId',
        'PEPPOL-COMMON-R041 /buyer/taxId',
        'PEPPOL-COMMON-R041 /supplier/endpointId',
        'PEPPOL-COMMON-R041 /supplier/taxId',
      ].sort(),
    );
    const supplierIssue = validate(clearvoBody()).issues.find((i) => i.path === '/supplier/taxId')!;
    expect(supplierIssue.message).toContain('987654321');
    expect(supplierIssue.message).toMatch(/check digit/);
  });

  it('is accepted once both org numbers are valid (123456785, 987654325)', () => {
    const fixed = JSON.parse(JSON.stringify(clearvoBody()).replaceAll('987654321', '123456785').replaceAll('BUYERNO001', '987654325'));
    const { issues, invoice } = validate(fixed);
    expect(issues.filter(isFatal)).toEqual([]);
    expect(invoice.supplier.vatId).toBe('NO123456785MVA');
    // What remains are warnings an ERP should see: Foretaksregisteret unknown, no account to pay to.
    expect(issues.map((i) => i.rule).sort()).toEqual(['FF-PAYMENT-ACCOUNT', 'NO-R-002']);
  });
});
