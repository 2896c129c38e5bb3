// Issue 8, defect 2, as a property: on an ERP's XML with its amounts moved around the official tolerances (line net
// ± 0.03, taxable and VAT ± 1, totals consistent or off by a cent), our own arithmetic checks report exactly the
// official arithmetic rule ids the official CEN and Peppol Schematron report — no more, no fewer.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { Decimal } from '../../../invoice/money.js';
import { isFatal, type ValidationIssue } from '../../../validation/issue.js';
import { validateSubmission } from '../../../validation/submission.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const base = readFileSync(join(conformance, 'openpeppol-bis-billing-3.0.21-examples/base-example.xml'), 'utf8');

const ARITHMETIC = new Set(['PEPPOL-EN16931-R120', 'BR-S-08', 'BR-CO-17', 'BR-CO-10', 'BR-CO-13', 'BR-CO-14', 'BR-CO-15', 'BR-CO-16']);
const arithmetic = (issues: ValidationIssue[]) => [...new Set(issues.filter((i) => isFatal(i) && ARITHMETIC.has(i.rule)).map((i) => i.rule))].sort();

const cents = (from: number, to: number) => fc.integer({ min: from, max: to }).map((n) => Decimal.of(n).dividedBy(100, 2));
const amount = (d: Decimal) => d.toFixed(2);

function replaceOnce(xml: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(xml)) throw new Error(`${pattern} matches nothing`);
  return xml.replace(pattern, replacement);
}

// base-example: line 1 is 7 × 400 = 2800, line 2 −1500, a charge of 25; S 25 %.
const documents = fc
  .record({
    line: cents(-3, 3),
    taxable: fc.constantFrom(-100, -99, -50, 0, 50, 99, 100).map((n) => Decimal.of(n).dividedBy(100, 2)),
    tax: fc.constantFrom(-100, -99, -30, -1, 0, 1, 30, 99, 100).map((n) => Decimal.of(n).dividedBy(100, 2)),
    slips: fc.array(fc.constantFrom('lines', 'exclusive', 'taxTotal', 'inclusive', 'payable'), { maxLength: 2 }),
  })
  .map(({ line, taxable, tax, slips }) => {
    const slip = (name: string) => ((slips as string[]).includes(name) ? Decimal.of('0.01') : Decimal.ZERO);
    const lineNet = Decimal.of(2800).plus(line);
    const taxableAmount = Decimal.of(1325).plus(line).plus(taxable);
    const taxAmount = taxableAmount.times(25).dividedBy(100, 2).plus(tax);
    const lines = Decimal.of(1300).plus(line).plus(slip('lines'));
    const exclusive = lines.plus(25).plus(slip('exclusive'));
    const taxTotal = taxAmount.plus(slip('taxTotal'));
    const inclusive = exclusive.plus(taxTotal).plus(slip('inclusive'));
    const payable = inclusive.plus(slip('payable'));
    let xml = base;
    xml = replaceOnce(xml, /(<cbc:LineExtensionAmount currencyID= "EUR">)2800</, `$1${amount(lineNet)}<`);
    xml = replaceOnce(xml, /(<cbc:TaxableAmount currencyID="EUR">)1325</, `$1${amount(taxableAmount)}<`);
    xml = replaceOnce(xml, /(<cac:TaxSubtotal>\s*<cbc:TaxableAmount[^<]*<\/cbc:TaxableAmount>\s*<cbc:TaxAmount currencyID="EUR">)331.25</, `$1${amount(taxAmount)}<`);
    xml = replaceOnce(xml, /(<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="EUR">)331.25</, `$1${amount(taxTotal)}<`);
    xml = replaceOnce(xml, /(<cac:LegalMonetaryTotal>\s*<cbc:LineExtensionAmount currencyID="EUR">)1300</, `$1${amount(lines)}<`);
    xml = replaceOnce(xml, /(<cbc:TaxExclusiveAmount currencyID="EUR">)1325</, `$1${amount(exclusive)}<`);
    xml = replaceOnce(xml, /(<cbc:TaxInclusiveAmount currencyID="EUR">)1656.25</, `$1${amount(inclusive)}<`);
    xml = replaceOnce(xml, /(<cbc:PayableAmount currencyID="EUR">)1656.25</, `$1${amount(payable)}<`);
    return xml;
  });

describe('our arithmetic checks agree with the official ones around their tolerances', () => {
  it('reports the same official arithmetic rule ids as the official rules, on a fixed seed', async () => {
    const verdicts = new Set<string>();
    await fc.assert(
      fc.asyncProperty(documents, async (xml) => {
        const theirs = arithmetic((await validateUblOfficial(xml)).issues);
        verdicts.add(theirs.join(' ') || 'accepted');
        const result = await validateSubmission({ mediaType: 'application/xml', content: xml }); // our checks alone
        expect(arithmetic(result.valid ? result.warnings : result.issues)).toEqual(theirs);
      }),
      { seed: 20261207, numRuns: 40 },
    );
    // The documents fall on both sides of the tolerances: some accepted, some rejected for several different rules.
    expect(verdicts.has('accepted')).toBe(true);
    expect(verdicts.size).toBeGreaterThan(4);
  }, 120_000);
});
