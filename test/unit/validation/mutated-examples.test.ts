// Official examples with one mistake each, submitted as an ERP's EHF XML: the answer names exactly the fatal rules the
// official validators name for that document, and no finding of ours in between. The expected ids come from the rule
// texts (CEN EN 16931 1.3.16, Peppol BIS Billing 3.0.21), not from a run of our code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { isFatal, type ValidationIssue } from '../../../validation/issue.js';
import { validateSubmission, type OfficialValidator } from '../../../validation/submission.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const read = (file: string) => readFileSync(join(conformance, file), 'utf8');
const base = read('openpeppol-bis-billing-3.0.21-examples/base-example.xml');
const creditNote = read('openpeppol-bis-billing-3.0.21-examples/base-creditnote-correction.xml');
const norwegian = read('openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml');

const official: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;

function mutated(document: string, pattern: RegExp | string, replacement: string): string {
  const result = document.replace(pattern, replacement);
  if (result === document) throw new Error(`the mutation ${pattern} changes nothing`);
  return result;
}

const cases: [string, string, string[]][] = [
  ['a line amount that is not quantity × price, so the sums break', mutated(base, /(<cac:InvoiceLine>[\s\S]*?<cbc:LineExtensionAmount currencyID="EUR">)[^<]*/, '$11.00'), ['BR-CO-10', 'BR-S-08', 'PEPPOL-EN16931-R120']],
  ['no buyer reference (and no order reference)', mutated(base, /<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, ''), ['PEPPOL-EN16931-R003']],
  ['an unknown currency code', mutated(base, /<cbc:DocumentCurrencyCode>EUR/, '<cbc:DocumentCurrencyCode>XXX'), ['BR-CO-15', 'PEPPOL-EN16931-R051']],
  ['an invoice type code outside the code list', mutated(base, /<cbc:InvoiceTypeCode>380/, '<cbc:InvoiceTypeCode>999'), ['BR-CL-01', 'PEPPOL-EN16931-P0100']],
  ['a payment means code outside the code list', mutated(base, /<cbc:PaymentMeansCode([^>]*)>[^<]*/, '<cbc:PaymentMeansCode$1>999'), ['BR-CL-16']],
  ['a seller country that does not exist', mutated(base, /(<cac:AccountingSupplierParty>[\s\S]*?<cbc:IdentificationCode>)[A-Z]+/, '$1XX'), ['BR-CL-14']],
  ['an endpoint scheme outside the EAS list', mutated(base, /schemeID="0088"/, 'schemeID="9999"'), ['BR-CL-25', 'PEPPOL-EN16931-CL008']],
  ['a VAT total that is not the sum of the breakdown', mutated(base, /(<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="EUR">)[^<]*/, '$19999.00'), ['BR-CO-14', 'BR-CO-15']],
  ['an amount due that does not follow from the totals', mutated(base, /(<cbc:PayableAmount currencyID="EUR">)[^<]*/, '$11.00'), ['BR-CO-16']],
  ['no issue date: the UBL schema rejects it before any rule runs', mutated(base, /<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, ''), ['UBL-XSD']],
  ['a Norwegian VAT number with a wrong check digit', mutated(norwegian, 'NO123456785MVA', 'NO123456784MVA'), ['NO-R-001']],
  ['a credit note whose type code is an invoice type', mutated(creditNote, /<cbc:CreditNoteTypeCode>381/, '<cbc:CreditNoteTypeCode>380'), ['BR-CL-01', 'PEPPOL-EN16931-P0101']],
];

const fatalRules = (issues: ValidationIssue[]) => [...new Set(issues.filter(isFatal).map((issue) => issue.rule))].sort();

describe('mutated official examples are rejected with the official rule ids', () => {
  it.each(cases)('%s', async (_, xml, rules) => {
    const result = await validateSubmission({ mediaType: 'application/xml', content: xml }, official);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(fatalRules(result.issues)).toEqual(rules);
    expect(result.issues).toEqual((await validateUblOfficial(xml)).issues);
  });

  it('refuses a DOCTYPE with our own rule before any parser or official layer reads the document', async () => {
    const xxe = base.replace('<Invoice ', '<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice ').replace('<cbc:Note>', '<cbc:Note>&x;');
    expect(await validateSubmission({ mediaType: 'application/xml', content: xxe }, official)).toEqual({
      valid: false,
      issues: [expect.objectContaining({ rule: 'FF-XML-DOCTYPE', severity: 'fatal' })],
    });
  });

  it('accepts the examples themselves', async () => {
    for (const xml of [base, creditNote, norwegian]) expect((await validateSubmission({ mediaType: 'application/xml', content: xml }, official)).valid).toBe(true);
  });
});
