// ehf/xml-writer.ts writes the EHF document in place of xmlbuilder2. Held here to three things: where xmlbuilder2
// was right, the same bytes; any text or attribute value an ERP sends reads back unchanged (libxml2, the parser of our
// XSD layer, is the reader), which xmlbuilder2 did not give for `&nbsp;`, `&#65;`, `&amp;`, CR, and tab or line feed
// in attributes; and an invoice with such text becomes a document the official rules accept.
import fc from 'fast-check';
import { XmlDocument, XmlElement as LibxmlElement } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { parseUbl } from '../../../ehf/ubl-parser.js';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { XmlElement } from '../../../ehf/xml-writer.js';
import { parseInvoiceJson } from '../../../invoice/json-input.js';
import { computeTotals } from '../../../invoice/totals.js';
import { sampleInvoiceBody } from '../../../ehf/official-sample-invoices.js';
import { isFatal } from '../../../validation/issue.js';

const NS = 'urn:test:a';
const NAMES = ['a:Line', 'a:ID', 'a:Amount', 'a:Note', 'a:X'];

interface Tree {
  name: string;
  attrs: [string, string][];
  content: Tree[] | string;
}

/** Characters of every kind an ERP may send: markup characters, reference look-alikes, quotes, white space, non-ASCII. */
const piece = (forXmlbuilder2: 'text' | 'attribute' | false) =>
  fc.constantFrom(
    ...['x', 'Faktura ', ' ', 'æøå', '€', '𝄞', '1.00', '<', '>', ']]>', '"', "'", ...(forXmlbuilder2 === 'attribute' ? [] : ['\n', '\t'])],
    ...(forXmlbuilder2 ? [] : ['&', '&nbsp;', '&#65;', '&amp;', '&lt;', 'R&D', '\r', '\r\n']),
  );
const str = (forXmlbuilder2: 'text' | 'attribute' | false) => fc.array(piece(forXmlbuilder2), { maxLength: 5 }).map((p) => p.join(''));

const tree = (forXmlbuilder2: boolean): fc.Arbitrary<Tree> =>
  fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.record({
      name: fc.constantFrom(...NAMES),
      attrs: fc.uniqueArray(fc.tuple(fc.constantFrom('currencyID', 'schemeID', 'filename'), str(forXmlbuilder2 && 'attribute')), { maxLength: 2, selector: ([k]) => k }),
      content: fc.oneof({ depthSize: 'small' }, str(forXmlbuilder2 && 'text'), fc.array(tie('node'), { maxLength: 3 })),
    }),
  })).node;

function ours(t: Tree): string {
  const root = new XmlElement(t.name, { 'xmlns:a': NS, ...Object.fromEntries(t.attrs) });
  fill(root, t.content);
  return root.toDocument();
}
function fill(e: XmlElement, content: Tree[] | string): void {
  if (typeof content === 'string') e.txt(content);
  else for (const c of content) fill(e.ele(c.name, c.attrs.length ? Object.fromEntries(c.attrs) : undefined), c.content);
}

function theirs(t: Tree): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(NS, t.name, { 'xmlns:a': NS, ...Object.fromEntries(t.attrs) });
  fillTheirs(root, t.content);
  return doc.end({ prettyPrint: true });
}
function fillTheirs(e: XMLBuilder, content: Tree[] | string): void {
  if (typeof content === 'string') e.txt(content);
  else for (const c of content) fillTheirs(e.ele(NS, c.name, c.attrs.length ? Object.fromEntries(c.attrs) : undefined), c.content);
}

/** The tree as libxml2 reads it back: names, attributes and text (pretty-printing white space between elements dropped). */
function readBack(xml: string): Tree {
  const doc = XmlDocument.fromString(xml);
  try {
    return shape(doc.root);
  } finally {
    doc.dispose();
  }
}
function shape(e: LibxmlElement): Tree {
  const elements = e.find('*') as LibxmlElement[];
  return {
    name: `${e.prefix}:${e.name}`,
    attrs: e.attrs.map((a) => [a.name, a.value] as [string, string]),
    content: elements.length > 0 ? elements.map(shape) : e.content,
  };
}
/** What the tree should read back as: XML cannot tell an element without text from one with empty text. */
function expected(t: Tree): Tree {
  return { name: t.name, attrs: t.attrs, content: typeof t.content === 'string' || t.content.length === 0 ? (typeof t.content === 'string' ? t.content : '') : t.content.map(expected) };
}

describe('the XML writer of the EHF document', () => {
  it('writes what xmlbuilder2 wrote wherever xmlbuilder2 was right', () => {
    fc.assert(
      fc.property(tree(true), (t) => {
        expect(ours(t)).toBe(theirs(t));
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('writes any text and attribute value so that it reads back unchanged', () => {
    fc.assert(
      fc.property(tree(false), (t) => {
        const back = readBack(ours(t));
        expect(back).toEqual(expected(t));
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('an invoice whose texts look like references becomes an EHF document the official rules accept, saying the same', async () => {
    const body = sampleInvoiceBody(1) as Record<string, unknown> & { lines: Record<string, unknown>[] };
    const note = 'R&D &nbsp; &#65; &amp; <b>';
    body.notes = [note];
    body.lines[0]!.description = 'Tom & Jerry &copy; 2026';
    const { invoice } = parseInvoiceJson(body);
    const xml = buildUbl(invoice!, computeTotals(invoice!));
    const result = await validateUblOfficial(xml);
    expect(result.issues.filter(isFatal)).toEqual([]);
    const read = parseUbl(xml).invoice!;
    expect(read.notes).toEqual([note]);
    expect(read.lines[0]!.description).toBe('Tom & Jerry &copy; 2026');
  });
});
