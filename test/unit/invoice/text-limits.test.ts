/** Length limits of our invoice JSON and of EHF XML text (issue 9, defects 1 and 4). */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkXmlTextLimits, xmlTextLimit } from '../../../ehf/xml-text-limits.js';
import { checkTextLimits, DEFAULT_TEXT_LIMIT, TEXT_LIMITS } from '../../../invoice/text-limits.js';

const fixtures = new URL('../../fixtures/invoice-json/', import.meta.url);

describe('checkTextLimits (invoice JSON)', () => {
  it('accepts every documented example', () => {
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      expect(checkTextLimits(JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'))), file).toEqual([]);
    }
  });

  it('accepts each field at its limit and refuses it one character over, with the JSON pointer', () => {
    const body = (name: string, length: number) => ({ supplier: { name: 'x'.repeat(length) }, lines: [{ description: 'ok', note: 'n' }], buyer: { customerNumber: '1' }, [name]: 'y'.repeat(length) });
    for (const [field, limit] of Object.entries(TEXT_LIMITS)) {
      if (field === 'name') continue;
      expect(checkTextLimits({ [field]: 'y'.repeat(limit) }), field).toEqual([]);
      expect(checkTextLimits({ [field]: 'y'.repeat(limit + 1) }), field).toEqual([expect.objectContaining({ rule: 'FF-LENGTH', path: `/${field}` })]);
    }
    expect(checkTextLimits(body('note', 300))).toEqual([]);
    expect(checkTextLimits(body('note', 301))).toEqual([expect.objectContaining({ rule: 'FF-LENGTH', path: '/supplier/name' })]);
  });

  it('limits the entries of a list of strings by the list, and nested fields by their own name', () => {
    expect(checkTextLimits({ notes: ['a', 'b'.repeat(5001)] })).toEqual([expect.objectContaining({ rule: 'FF-LENGTH', path: '/notes/1' })]);
    expect(checkTextLimits({ lines: [{}, { description: 'd'.repeat(1001) }] })).toEqual([expect.objectContaining({ path: '/lines/1/description' })]);
    expect(checkTextLimits({ buyer: { customerNumber: 'K'.repeat(4096) } })).toEqual([expect.objectContaining({ path: '/buyer/customerNumber' })]);
  });

  it('gives fields we do not know the default limit, escapes their names, and leaves attachment content to BODY_LIMIT', () => {
    expect(checkTextLimits({ 'x/y~z': 'a'.repeat(DEFAULT_TEXT_LIMIT + 1) })).toEqual([expect.objectContaining({ path: '/x~1y~0z' })]);
    expect(checkTextLimits({ attachments: [{ contentBase64: 'A'.repeat(100_000) }] })).toEqual([]);
  });

  it('counts characters, not UTF-16 units: 300 emoji are a 300-character name', () => {
    expect(checkTextLimits({ supplier: { name: '😀'.repeat(300) } })).toEqual([]);
    expect(checkTextLimits({ supplier: { name: 'æ'.repeat(301) } })).toHaveLength(1);
  });

  it('refuses NUL and other control characters but keeps tab and line breaks', () => {
    expect(checkTextLimits({ buyerReference: 'PO\u00004711' })).toEqual([expect.objectContaining({ rule: 'FF-TEXT-CONTROL', path: '/buyerReference' })]);
    expect(checkTextLimits({ notes: ['one\ttwo\r\nthree'] })).toEqual([]);
  });

  it('answers any JSON value in time linear in its size, naming at most 50 fields', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      expect(Array.isArray(checkTextLimits(value))).toBe(true);
    }));
    const many = { lines: Array.from({ length: 20_000 }, () => ({ description: 'd'.repeat(1001) })) };
    const started = performance.now();
    expect(checkTextLimits(many)).toHaveLength(50);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('checkXmlTextLimits (EHF XML)', () => {
  const ubl = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">\n  ${inner}\n</Invoice>`;

  it('accepts the official examples', () => {
    const examples = new URL('../../../../shared/conformance/openpeppol-bis-billing-3.0.21-examples/', import.meta.url);
    let count = 0;
    for (const file of readdirSync(examples).filter((f) => f.endsWith('.xml'))) {
      expect(checkXmlTextLimits(readFileSync(new URL(file, examples), 'utf8')), file).toEqual([]);
      count++;
    }
    expect(count).toBeGreaterThan(5);
  });

  it('refuses an over-long name, id or note with its path, and counts CDATA as text', () => {
    expect(checkXmlTextLimits(ubl(`<cac:Party><cac:PartyName><cbc:Name>${'Z'.repeat(301)}</cbc:Name></cac:PartyName></cac:Party>`))).toEqual([
      expect.objectContaining({ rule: 'FF-LENGTH', path: '/Invoice/cac:Party/cac:PartyName/cbc:Name' }),
    ]);
    expect(checkXmlTextLimits(ubl(`<cbc:ID>${'1'.repeat(201)}</cbc:ID>`))).toHaveLength(1);
    expect(checkXmlTextLimits(ubl(`<cbc:Note><![CDATA[${'n'.repeat(5001)}]]></cbc:Note>`))).toHaveLength(1);
    expect(checkXmlTextLimits(ubl(`<cbc:Note>${'n'.repeat(5000)}</cbc:Note>`))).toEqual([]);
  });

  it('refuses an over-long attribute value, even one holding `>`, and ignores comments and indentation', () => {
    expect(checkXmlTextLimits(ubl(`<cbc:EndpointID schemeID="${'9>'.repeat(200)}">1</cbc:EndpointID>`))).toHaveLength(1);
    expect(checkXmlTextLimits(ubl(`<!-- ${'c'.repeat(10_000)} --><cbc:ID>1</cbc:ID>${'\n    '.repeat(5000)}`))).toEqual([]);
  });

  it('leaves an embedded attachment to BODY_LIMIT', () => {
    expect(xmlTextLimit('EmbeddedDocumentBinaryObject')).toBeUndefined();
    expect(checkXmlTextLimits(ubl(`<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="a.pdf">${'A'.repeat(100_000)}</cbc:EmbeddedDocumentBinaryObject>`))).toEqual([]);
  });

  it('is linear: a 5 MB name is measured at once', () => {
    const started = performance.now();
    expect(checkXmlTextLimits(ubl(`<cbc:Name>${'Z'.repeat(5_000_000)}</cbc:Name>`))).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('checkTextLimits on deep nesting', () => {
  it('answers a body nested 20,000 deep without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(20_000) + '"' + 'x'.repeat(1001) + '"' + ']'.repeat(20_000));
    expect(checkTextLimits(deep)).toEqual([expect.objectContaining({ rule: 'FF-LENGTH' })]);
  });
});
