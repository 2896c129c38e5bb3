/**
 * Round trip over the official Peppol BIS Billing 3.0.21 examples (read in place from ../shared/conformance) and
 * the OpenPEPPOL Norwegian example: each parses; computeTotals reproduces its LegalMonetaryTotal and TaxTotal;
 * buildUbl(parse(x)) has the same totals and parses to the same invoice; and our checks accept it as an ERP's EHF.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { parseUbl } from '../../../ehf/ubl-parser.js';
import type { Invoice, Totals } from '../../../invoice/model.js';
import { checkInvoice } from '../../../invoice/checks.js';
import { computeTotals } from '../../../invoice/totals.js';
import { isFatal } from '../../../validation/issue.js';
import { NORWEGIAN_EXAMPLE, officialExamples } from '../invoice/fixtures.js';
import { orderViolations } from './schema-order.js';

const examples = [...officialExamples(), { name: 'Norwegian-example-1.xml', xml: readFileSync(NORWEGIAN_EXAMPLE, 'utf8') }];

function parsed(xml: string): Invoice {
  const result = parseUbl(xml);
  expect(result.issues.filter(isFatal)).toEqual([]);
  return result.invoice!;
}

/** What the document itself states, in the shape of our Totals. */
function stated(invoice: Invoice) {
  const supplied = invoice.suppliedTotals!;
  return {
    lineExtensionAmount: supplied.lineExtensionAmount,
    allowanceTotalAmount: supplied.allowanceTotalAmount ?? 0,
    chargeTotalAmount: supplied.chargeTotalAmount ?? 0,
    taxExclusiveAmount: supplied.taxExclusiveAmount,
    taxAmount: supplied.taxAmount,
    taxInclusiveAmount: supplied.taxInclusiveAmount,
    prepaidAmount: invoice.prepaidAmount ?? 0,
    roundingAmount: invoice.roundingAmount ?? 0,
    payableAmount: supplied.payableAmount,
    vatBreakdown: supplied.vatBreakdown,
    lineNetAmounts: invoice.lines.map((line) => line.lineNetAmount),
  };
}

describe.each(examples)('$name', ({ xml }) => {
  it('parses without a fatal issue', () => {
    const result = parseUbl(xml);
    expect(result.issues.filter(isFatal)).toEqual([]);
    expect(result.invoice!.lines.length).toBeGreaterThan(0);
  });

  it('computeTotals reproduces its LegalMonetaryTotal and TaxTotal', () => {
    const invoice = parsed(xml);
    const totals: Totals = computeTotals(invoice);
    expect(totals).toEqual(stated(invoice));
  });

  it('buildUbl(parse(x)) yields the same totals, in schema order', () => {
    const invoice = parsed(xml);
    const totals = computeTotals(invoice);
    const rebuiltXml = buildUbl(invoice, totals);
    expect(orderViolations(rebuiltXml)).toEqual([]);
    const rebuilt = parsed(rebuiltXml);
    expect(computeTotals(rebuilt)).toEqual(totals);
    expect(stated(rebuilt)).toEqual(stated(invoice));
  });

  it('buildUbl(parse(x)) parses back to the same invoice', () => {
    const invoice = parsed(xml);
    const rebuilt = parsed(buildUbl(invoice, computeTotals(invoice)));
    expect(rebuilt).toEqual(invoice);
  });
});

describe('our checks on the official examples, accepted as an ERP would send them', () => {
  it.each(examples)('$name: no fatal finding but a made-up IBAN', ({ name, xml }) => {
    const invoice = parsed(xml);
    const fatal = checkInvoice(invoice, computeTotals(invoice)).filter(isFatal);
    // vat-category-E/O/Z.xml pay to SE1212341234123412, whose MOD 97-10 check digits are wrong: an error we want.
    const expected = /^vat-category-[EOZ]\.xml$/.test(name) ? ['FF-IBAN /payment/iban'] : [];
    expect(fatal.map((i) => `${i.rule} ${i.path}`)).toEqual(expected);
  });
});
