// Every invoice our other tests generate (the ERP bodies of the end-to-end tests, the benchmark's invoices, the PDF
// tests' model invoices) passes the official validation through the pipeline the API runs, with no fatal issue and no
// warning but the documented one: PEPPOL-EN16931-R010 for buyers without a Peppol address, consumers and businesses
// we know no endpoint for (validation/submission.ts, forBuyersOutsidePeppol). buildUbl's own cases are in ubl-builder-official.test.ts.
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { sampleInvoiceBody, type SampleVariant } from '../../../ehf/official-sample-invoices.js';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { checkInvoice } from '../../../invoice/checks.js';
import type { Invoice, Totals } from '../../../invoice/model.js';
import { validateSubmission, type OfficialValidator } from '../../../validation/submission.js';
import { businessInvoice, consumerInvoice, UNREGISTERED_BUYER_ORG } from '../../support/invoices.js';
import { manyLines, sampleCreditNote, sampleInvoice, sampleTotals } from '../documents/sample-invoice.js';

const official: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;
const CONSUMER_WARNINGS = ['PEPPOL-EN16931-R010'];

const bodies: [string, unknown, string[]][] = [
  ['a business invoice (end-to-end tests)', businessInvoice('T-1'), []],
  ['a business invoice to a buyer outside Peppol', businessInvoice('T-2', UNREGISTERED_BUYER_ORG), []],
  [
    'a business buyer known by name and address only (no Peppol address: e-mail or print)',
    (() => {
      const body = businessInvoice('T-3');
      const { taxId: _, ...buyer } = body.buyer;
      return { ...body, buyer: { ...buyer, kind: 'business', address: { street: 'Storgatan 1', postalCode: '11122', city: 'Stockholm', country: 'SE' } } };
    })(),
    ['PEPPOL-EN16931-R010'],
  ],
  ['a consumer invoice with e-mail, phone and address', consumerInvoice('K-1'), CONSUMER_WARNINGS],
  ['a consumer invoice with a postal address only', consumerInvoice('K-2', { email: false, phone: false }), CONSUMER_WARNINGS],
  ['a consumer invoice with nothing to reach the consumer by', consumerInvoice('K-3', { email: false, phone: false, address: false }), CONSUMER_WARNINGS],
  ...(['standard', 'categories', 'reverse-charge', 'credit-note'] as SampleVariant[]).flatMap((variant): [string, unknown, string[]][] =>
    [1, 3, 100].map((lines) => [`the benchmark's ${variant} invoice, ${lines} line(s)`, sampleInvoiceBody(lines, variant), []]),
  ),
];

describe('the ERP bodies our tests send pass the pipeline the API runs', () => {
  it.each(bodies)('%s', async (_, body, warnings) => {
    const result = await validateSubmission({ mediaType: 'application/json', content: JSON.stringify(body) }, official);
    expect(result.valid ? result.warnings.map((issue) => issue.rule) : result.issues).toEqual(warnings);
  });
});

const models: [string, Invoice, Totals][] = [
  ['the PDF tests’ invoice, with its hand-written totals', sampleInvoice(), sampleTotals()],
  ['the PDF tests’ credit note', sampleCreditNote().invoice, sampleCreditNote().totals],
  ['the PDF tests’ 40-line invoice', manyLines(40).invoice, manyLines(40).totals],
];

describe('the model invoices our document tests render pass our checks and the official rules', () => {
  it.each(models)('%s', async (_, invoice, totals) => {
    expect(checkInvoice(invoice, totals)).toEqual([]);
    expect((await validateUblOfficial(buildUbl(invoice, totals))).issues).toEqual([]);
  });
});
