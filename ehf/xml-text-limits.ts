/**
 * Length limits for the text of an EHF/UBL document from outside, checked in one linear pass over the XML text before
 * the XML reader builds anything (issue 9, defect 1: one over-long name must not reach the PDF typesetting). The
 * limits are those of our invoice JSON (invoice/text-limits.ts) by UBL element: identifiers ≤ 200, codes, dates and
 * numbers ≤ 50, names and address lines ≤ 300, descriptions ≤ 1,000, notes ≤ 5,000, URIs ≤ 2,000, attribute values
 * ≤ 300; an embedded attachment (cbc:EmbeddedDocumentBinaryObject) is bounded by BODY_LIMIT only. Lengths count the
 * characters as written (an entity reference such as `&amp;` counts as written), without surrounding white space.
 *
 * The same pass holds the document's shape to two limits (issue 9, hostile input): nesting deeper than XML_DEPTH_LIMIT
 * (FF-XML-DEPTH; a UBL invoice is about 8 deep) and more than LINES_LIMIT invoice or credit note lines (FF-LINES-LIMIT,
 * as for our JSON). It is linear and needs no well-formed input, so the API runs it before any XML parser.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';
import { LENGTH_RULE } from '../invoice/text-limits.js';
import { LINES_LIMIT } from '../invoice/json-shape-limits.js';

export const XML_DEPTH_LIMIT = 64;

const BY_ELEMENT: Readonly<Record<string, number>> = {
  Name: 300, RegistrationName: 300, StreetName: 300, AdditionalStreetName: 300, CityName: 300, CountrySubentity: 300,
  Line: 300, Department: 300,
  Telephone: 50, PostalZone: 50, ElectronicMail: 320,
  Description: 1000, DocumentDescription: 1000, AllowanceChargeReason: 1000, TaxExemptionReason: 1000,
  CompanyLegalForm: 1000, Value: 1000,
  Note: 5000,
  URI: 2000,
};
const UNLIMITED = new Set(['EmbeddedDocumentBinaryObject']);
const ATTRIBUTE_LIMIT = 300;
const DEFAULT_LIMIT = 1000;
const MAX_ISSUES = 50;

/** The limit for an element's text by its local name: the table, else by the UBL naming convention of its type. */
export function xmlTextLimit(local: string): number | undefined {
  if (UNLIMITED.has(local)) return undefined;
  const named = BY_ELEMENT[local];
  if (named !== undefined) return named;
  if (/(ID|Reference|AccountingCost)$/.test(local)) return 200; // identifier.type: BT-1, BT-10, BT-29, BT-83, …
  if (/(Code|Date|Amount|Quantity|Percent|Numeric|Indicator|Time)$/.test(local)) return 50;
  return DEFAULT_LIMIT;
}

export function checkXmlTextLimits(xml: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names: string[] = [];
  const lengths: number[] = [];
  const tooLong = (what: string, length: number, limit: number) =>
    issues.push(issue(LENGTH_RULE, `${what} has ${length} characters; at most ${limit} are accepted here (docs/invoice-json.md, "Length limits").`, what));
  let i = 0;
  let lines = 0;
  const n = xml.length;
  while (i < n && issues.length < MAX_ISSUES) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    // White space between child elements (indentation) is no element's text.
    if (lengths.length && textEnd > i) lengths[lengths.length - 1]! += xml.slice(i, textEnd).trim().length;
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      i = until(xml, '-->', lt + 4);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      const close = end === -1 ? n : end;
      if (lengths.length) lengths[lengths.length - 1]! += close - (lt + 9);
      i = close + 3;
    } else if (xml.startsWith('<?', lt)) {
      i = until(xml, '?>', lt + 2);
    } else if (xml.startsWith('<!', lt)) {
      i = until(xml, '>', lt + 2);
    } else if (xml.startsWith('</', lt)) {
      const length = lengths.pop() ?? 0;
      const qname = names.pop() ?? '';
      const limit = xmlTextLimit(localOf(qname));
      if (limit !== undefined && length > limit) tooLong(`/${[...names, qname].join('/')}`, length, limit);
      i = until(xml, '>', lt + 2);
    } else {
      // A start tag: its name, then attributes (a quoted value may hold `>`), then `>` or `/>`.
      let j = lt + 1;
      while (j < n && !/[\s/>]/.test(xml[j]!)) j++;
      const qname = xml.slice(lt + 1, j);
      let selfClosing = false;
      while (j < n) {
        const c = xml[j]!;
        if (c === '"' || c === "'") {
          const close = xml.indexOf(c, j + 1);
          const end = close === -1 ? n : close;
          if (end - (j + 1) > ATTRIBUTE_LIMIT) tooLong(`/${[...names, qname].join('/')}/@attribute`, end - (j + 1), ATTRIBUTE_LIMIT);
          j = end + 1;
          continue;
        }
        if (c === '>') {
          selfClosing = xml[j - 1] === '/';
          break;
        }
        j++;
      }
      const local = localOf(qname);
      if (local === 'InvoiceLine' || local === 'CreditNoteLine') lines++;
      if (!selfClosing) {
        names.push(qname);
        lengths.push(0);
        if (names.length > XML_DEPTH_LIMIT) {
          issues.push(issue('FF-XML-DEPTH', `the XML is nested more than ${XML_DEPTH_LIMIT} elements deep; a UBL invoice needs about 8 (docs/invoice-json.md, "Limits").`, `/${names.slice(0, 3).join('/')}/…`));
          return issues;
        }
      }
      i = j + 1;
    }
  }
  if (lines > LINES_LIMIT) issues.push(issue('FF-LINES-LIMIT', `the document has ${lines} lines; at most ${LINES_LIMIT} are accepted in one invoice: split it into several (docs/invoice-json.md, "Limits").`, '/'));
  return issues;
}

function until(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? xml.length : at + end.length;
}

function localOf(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}
