/** Shape limits of a JSON body and of EHF XML (issue 9, hostile input): nesting, prototype keys, numbers, lines. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkXmlTextLimits, XML_DEPTH_LIMIT } from '../../../ehf/xml-text-limits.js';
import { checkJsonShape, JSON_DEPTH_LIMIT, LINES_LIMIT, NUMBER_LIMIT } from '../../../invoice/json-shape-limits.js';
import { parseInvoiceJson } from '../../../invoice/json-input.js';
import { businessInvoice } from '../../support/invoices.js';

const fixtures = new URL('../../fixtures/invoice-json/', import.meta.url);
const rules = (issues: { rule: string }[]) => issues.map((i) => i.rule);

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('checkJsonShape', () => {
  it('accepts every documented example', () => {
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      expect(checkJsonShape(JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'))), file).toEqual([]);
    }
  });

  it('refuses nesting over the limit, also 1,000,000 deep, without recursion', () => {
    expect(checkJsonShape(nested(JSON_DEPTH_LIMIT))).toEqual([]);
    expect(rules(checkJsonShape(nested(JSON_DEPTH_LIMIT + 1)))).toEqual(['FF-JSON-DEPTH']);
    expect(rules(checkJsonShape(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000))))).toEqual(['FF-JSON-DEPTH']);
  });

  it('refuses prototype keys wherever they are, as JSON.parse makes them', () => {
    const parsed = JSON.parse('{"lines":[{"__proto__":{"polluted":true}}],"supplier":{"constructor":1},"prototype":2}');
    expect(checkJsonShape(parsed).map((i) => [i.rule, i.path]).sort()).toEqual([
      ['FF-JSON-KEY', '/lines/0/__proto__'],
      ['FF-JSON-KEY', '/prototype'],
      ['FF-JSON-KEY', '/supplier/constructor'],
    ]);
  });

  it('refuses infinite and too large numbers, and accepts the bound', () => {
    expect(checkJsonShape({ amount: NUMBER_LIMIT, quantity: -NUMBER_LIMIT })).toEqual([]);
    expect(checkJsonShape(JSON.parse('{"a":1e400,"b":-1e400,"c":1e16}')).map((i) => i.path)).toEqual(['/a', '/b', '/c']);
  });

  it('refuses more than LINES_LIMIT lines and any other list over its limit', () => {
    expect(checkJsonShape({ lines: new Array(LINES_LIMIT).fill({}) })).toEqual([]);
    expect(checkJsonShape({ lines: new Array(LINES_LIMIT + 1).fill({}) })).toEqual([expect.objectContaining({ rule: 'FF-LINES-LIMIT', path: '/lines' })]);
    expect(rules(checkJsonShape({ notes: new Array(20_000).fill('x') }))).toEqual(['FF-ARRAY-LIMIT']);
  });
});

describe('number fields of the invoice JSON (json-reader)', () => {
  it('holds decimal strings to the same range as numbers', () => {
    const body = businessInvoice();
    const huge = { ...body, lines: [{ ...body.lines[0]!, quantity: '99999999999999999999' }] };
    expect(parseInvoiceJson(huge).issues).toEqual([expect.objectContaining({ rule: 'FF-NUMBER-RANGE', path: '/lines/0/quantity' })]);
  });
});

describe('checkXmlTextLimits: shape', () => {
  const ubl = (inner: string) => `<?xml version="1.0"?><Invoice xmlns:cac="urn:cac" xmlns:cbc="urn:cbc">${inner}</Invoice>`;

  it('refuses nesting over XML_DEPTH_LIMIT at the first element too deep', () => {
    expect(checkXmlTextLimits(ubl('<a>'.repeat(XML_DEPTH_LIMIT - 1) + '</a>'.repeat(XML_DEPTH_LIMIT - 1)))).toEqual([]);
    expect(rules(checkXmlTextLimits(ubl('<a>'.repeat(XML_DEPTH_LIMIT) + '</a>'.repeat(XML_DEPTH_LIMIT))))).toEqual(['FF-XML-DEPTH']);
    expect(rules(checkXmlTextLimits(ubl('<a>'.repeat(500_000))))).toEqual(['FF-XML-DEPTH']);
  });

  it('counts invoice and credit note lines, whatever their prefix', () => {
    const lines = (n: number, tag = 'cac:InvoiceLine') => `<${tag}><cbc:ID>1</cbc:ID></${tag}>`.repeat(n);
    expect(checkXmlTextLimits(ubl(lines(LINES_LIMIT)))).toEqual([]);
    expect(rules(checkXmlTextLimits(ubl(lines(LINES_LIMIT + 1))))).toEqual(['FF-LINES-LIMIT']);
    expect(rules(checkXmlTextLimits(ubl(lines(LINES_LIMIT + 1, 'CreditNoteLine'))))).toEqual(['FF-LINES-LIMIT']);
  });
});
