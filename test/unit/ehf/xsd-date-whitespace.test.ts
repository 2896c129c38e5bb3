// Issue 8, defect 1: XSD collapses white space around xs:date (and xs:time) values, so Xerces (phive, the Peppol
// validators) accepts `<cbc:IssueDate> 2017-11-13 </cbc:IssueDate>`. Where Peppol checks the date's form
// (PEPPOL-EN16931-F001) that rule reports it; where nothing does (PaymentDueDate), the document is valid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { validateUblXsd } from '../../../ehf/official-xsd.js';
import { isFatal, type ValidationIssue } from '../../../validation/issue.js';
import { validateSubmission, type OfficialValidator } from '../../../validation/submission.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const norwegian = readFileSync(join(conformance, 'openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml'), 'utf8');
const official: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;
const fatalRules = (issues: ValidationIssue[]) => [...new Set(issues.filter(isFatal).map((i) => i.rule))].sort();

function mutated(pattern: RegExp, replacement: string): string {
  const result = norwegian.replace(pattern, replacement);
  if (result === norwegian) throw new Error(`the mutation ${pattern} changes nothing`);
  return result;
}

/** A PaymentDueDate (BT-9's place in a credit note, allowed in an invoice too) that no Peppol or CEN rule checks. */
const withPaymentDueDate = (value: string) => mutated(/(<cbc:PaymentMeansCode[^>]*>[^<]*<\/cbc:PaymentMeansCode>)/, `$1<cbc:PaymentDueDate>${value}</cbc:PaymentDueDate>`);

describe('white space around dates (XSD whiteSpace="collapse")', () => {
  it('the example itself is valid, with and without a PaymentDueDate', async () => {
    expect(fatalRules((await validateUblOfficial(norwegian)).issues)).toEqual([]);
    expect(fatalRules((await validateUblOfficial(withPaymentDueDate('2013-07-20'))).issues)).toEqual([]);
  });

  it.each([
    ['spaces', ' 2013-07-20 '],
    ['line breaks and indentation', '\n\t\t2013-07-20\n\t'],
    ['a character reference and CR LF', '&#32;2013-07-20\r\n'],
    ['a CDATA section', '<![CDATA[ 2013-07-20 ]]>'],
  ])('a PaymentDueDate with %s is schema-valid and the document is accepted', async (_, value) => {
    const xml = withPaymentDueDate(value);
    expect(validateUblXsd(xml)).toEqual([]);
    const result = await validateSubmission({ mediaType: 'application/xml', content: xml }, official);
    expect(result.valid ? [] : result.issues).toEqual([]);
  });

  it.each([
    ['IssueDate', /<cbc:IssueDate>2013-06-30</, '<cbc:IssueDate>\n  2013-06-30\n<'],
    ['DueDate', /<cbc:DueDate>2013-07-20</, '<cbc:DueDate> 2013-07-20 <'],
    ['a line period StartDate', /(<cac:InvoiceLine>[\s\S]*?<cbc:StartDate>)2013-06-01</, '$1 2013-06-01<'],
    ['ActualDeliveryDate', /<cbc:ActualDeliveryDate>2013-06-15</, '<cbc:ActualDeliveryDate>2013-06-15\t<'],
  ])('white space around %s is reported by PEPPOL-EN16931-F001, not the schema', async (_, pattern, replacement) => {
    const xml = mutated(pattern, replacement);
    const { issues } = await validateUblOfficial(xml);
    expect(fatalRules(issues)).toEqual(['PEPPOL-EN16931-F001']);
    expect(issues.filter((i) => i.rule === 'PEPPOL-EN16931-F001')).toHaveLength(1);
    const result = await validateSubmission({ mediaType: 'application/xml', content: xml }, official);
    expect(result.valid ? [] : fatalRules(result.issues)).toEqual(['PEPPOL-EN16931-F001']);
  });

  it('a value that is no date even with its white space collapsed stays a schema error', () => {
    const issues = validateUblXsd(withPaymentDueDate(' 2013 -07-20 '));
    expect(issues.map((i) => [i.rule, i.severity])).toEqual([['UBL-XSD', 'fatal']]);
    expect(issues[0]!.message).toContain("'xs:date'");
  });

  it('other schema errors in the same document are still reported after the dates are collapsed', () => {
    const xml = withPaymentDueDate(' 2013-07-20 ').replace(/<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, '');
    const issues = validateUblXsd(xml);
    expect(issues.map((i) => i.rule)).toEqual(['UBL-XSD']);
    expect(issues[0]!.message).toContain('IssueDate');
    expect(issues[0]!.message).not.toContain('xs:date');
  });
});
