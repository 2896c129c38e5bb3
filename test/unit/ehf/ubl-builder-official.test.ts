/**
 * What buildUbl writes passes the official validation (UBL 2.1 XSD, CEN EN 16931 and Peppol BIS 3.0.21
 * Schematron, run by ehf/official-validation.ts): our own documents, every VAT category, and each official example
 * after a parse → build round trip.
 */
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { parseUbl } from '../../../ehf/ubl-parser.js';
import { checkInvoice } from '../../../invoice/checks.js';
import { parseInvoiceJson } from '../../../invoice/json-input.js';
import type { Invoice } from '../../../invoice/model.js';
import { computeTotals } from '../../../invoice/totals.js';
import { isFatal } from '../../../validation/issue.js';
import { clearvoBody, line, norwegianInvoice, officialExamples } from '../invoice/fixtures.js';
import { richInvoice } from './rich-invoice.js';

const buyerWith = (changes: Partial<Invoice['buyer']>) => ({ ...norwegianInvoice().buyer, ...changes });

const ours: [string, Invoice][] = [
  ['a plain Norwegian invoice', norwegianInvoice()],
  ['an invoice using most of the model', richInvoice()],
  ['a credit note using most of the model', richInvoice({ documentType: 'creditNote', typeCode: '381' })],
  ['mixed 25/15/12 % with Z and E', norwegianInvoice({ lines: [line(), line({ id: '2', vatRate: 15 }), line({ id: '3', vatRate: 12 }), line({ id: '4', taxCode: 'Z', vatRate: 0 }), line({ id: '5', taxCode: 'E', vatRate: 0 })] })],
  ['not subject to VAT (O)', norwegianInvoice({ supplier: { ...norwegianInvoice().supplier, vatId: undefined, vatRegistered: false }, lines: [line({ taxCode: 'O', vatRate: 0 })] })],
  ['reverse charge (AE)', norwegianInvoice({ buyer: buyerWith({ vatId: 'NO987654325MVA' }), lines: [line({ taxCode: 'AE', vatRate: 0 })] })],
  ['export (G)', norwegianInvoice({ lines: [line({ taxCode: 'G', vatRate: 0 })] })],
  ['intra-community supply (K)', norwegianInvoice({ buyer: buyerWith({ vatId: 'SE556677889901' }), delivery: { date: '2026-06-10', address: { country: 'SE' } }, lines: [line({ taxCode: 'K', vatRate: 0 })] })],
  ['a negative invoice', norwegianInvoice({ lines: [line({ quantity: -2 })], dueDate: undefined })],
  ['rounding edge cases with prepaid and rounding amounts', norwegianInvoice({ lines: [line({ quantity: 3, unitPrice: 0.335 }), line({ id: '2', quantity: 7, unitPrice: 0.7, vatRate: 15 })], prepaidAmount: 1, roundingAmount: 0.03 })],
];

describe('buildUbl output passes the official validation', () => {
  it.each(ours)('%s, with no warning either', async (_, invoice) => {
    const totals = computeTotals(invoice);
    expect(checkInvoice(invoice, totals)).toEqual([]);
    const { issues } = await validateUblOfficial(buildUbl(invoice, totals));
    expect(issues).toEqual([]);
  });

  it('the Clearvo body with valid org numbers, from JSON to EHF', async () => {
    const body = JSON.parse(JSON.stringify(clearvoBody()).replaceAll('987654321', '123456785').replaceAll('BUYERNO001', '987654325'));
    const invoice = parseInvoiceJson(body).invoice!;
    const { issues } = await validateUblOfficial(buildUbl(invoice, computeTotals(invoice)));
    expect(issues.filter(isFatal)).toEqual([]);
    // NO-R-002 (warning) because the body does not say whether the seller is in Foretaksregisteret.
    expect(issues.map((i) => i.rule)).toContain('NO-R-002');
  });

  it.each(officialExamples())('$name, parsed and rebuilt', async ({ xml }) => {
    const invoice = parseUbl(xml).invoice!;
    const { issues } = await validateUblOfficial(buildUbl(invoice, computeTotals(invoice)));
    expect(issues.filter(isFatal)).toEqual([]);
  });
});
