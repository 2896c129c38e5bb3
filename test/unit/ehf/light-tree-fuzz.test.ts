// Issue 8: the compiled Schematron reads documents with a parser of its own (ehf/compiled-schematron/light-tree.ts,
// kept small for speed). It is held here to a well-kept one: for generated documents that use what XML 1.0 allows
// without a DTD — namespaces declared anywhere and redeclared, default namespaces and their undeclaration, prefixed
// and unprefixed attributes in both quotes, character and entity references, CDATA sections, comments, processing
// instructions, CR/LF line ends, white space inside tags — it must see the tree @xmldom/xmldom sees: names and
// namespaces, attributes with their normalised values, string values and the text runs the rules read. The reference
// is libxml2 (libxml2-wasm, the parser of our XSD layer): @xmldom/xmldom, tried first, turns `&#13;` into nothing,
// where XML 1.0 §2.11 keeps the referenced carriage return.
import { XmlCData, XmlDocument, XmlElement, XmlText } from 'libxml2-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kind, parseLightTree, type XNode } from '../../../ehf/compiled-schematron/light-tree.js';

const NAMESPACES = ['urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', 'urn:a', 'urn:b'];
const PREFIXES = ['cbc', 'cac', 'p'];
const LOCALS = ['Invoice', 'ID', 'Amount', 'Note', 'x', 'Line-1', 'a.b', '_z'];

/** Character data as it may be written: plain, escaped, referenced, with line ends of every kind. */
const textPiece = fc.oneof(
  fc.constantFrom('x', 'Faktura ', ' ', '\n', '\t', '\r\n', '\r', 'æøå', '€', '𝄞', '1.00', ']', ']]'),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x20AC;', '&#x1D11E;', '&#9;', '&#13;', '&#10;'),
);
const text = fc.array(textPiece, { maxLength: 6 }).map((parts) => parts.join(''));
// A raw `>` is fine in an attribute value; in content only where it cannot end `]]>` (the generator leaves it out).
const attrValuePiece = fc.oneof(textPiece, fc.constantFrom('"', "'", '>'));

interface Scope {
  /** Prefixes declared on the way down (prefix → namespace); '' is the default namespace. */
  declared: Map<string, string>;
}

/** One element, its attributes and content; prefixes used are declared here or above. */
function element(depth: number): fc.Arbitrary<(scope: Scope) => string> {
  const child = depth <= 0 ? fc.constant<((scope: Scope) => string) | null>(null) : element(depth - 1);
  return fc
    .record({
      prefix: fc.constantFrom('', '', ...PREFIXES),
      local: fc.constantFrom(...LOCALS),
      declare: fc.array(fc.record({ prefix: fc.constantFrom('', ...PREFIXES), ns: fc.constantFrom(...NAMESPACES, '') }), { maxLength: 2 }),
      attrs: fc.uniqueArray(fc.record({ prefix: fc.constantFrom('', '', ...PREFIXES), local: fc.constantFrom('schemeID', 'currencyID', 'id', 'n') }), {
        maxLength: 3,
        selector: (a) => `${a.prefix}:${a.local}`,
      }),
      values: fc.array(fc.array(attrValuePiece, { maxLength: 4 }), { minLength: 3, maxLength: 3 }),
      quote: fc.constantFrom('"', "'"),
      space: fc.constantFrom(' ', '  ', '\n\t', '\r\n '),
      selfClose: fc.boolean(),
      content: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: text.map((t) => () => t) },
          { weight: 3, arbitrary: child.map((c) => c ?? (() => 'y')) },
          { weight: 1, arbitrary: fc.constantFrom('<![CDATA[a<b&c]]>', '<![CDATA[]]>', '<![CDATA[]]]]>', '<!-- note -->', '<!---->', '<?pi some data?>', '<?x?>').map((s) => () => s) },
        ),
        { maxLength: 5 },
      ),
    })
    .map((e) => (scope: Scope): string => {
      const declared = new Map(scope.declared);
      const decls: string[] = [];
      const declare = (prefix: string, ns: string) => {
        if (prefix !== '' && ns === '') return; // XML Namespaces 1.0 cannot undeclare a prefix
        if (decls.some((d) => d.startsWith(prefix ? `xmlns:${prefix}=` : 'xmlns='))) return;
        decls.push(`${prefix ? `xmlns:${prefix}` : 'xmlns'}="${ns}"`);
        declared.set(prefix, ns);
      };
      for (const d of e.declare) declare(d.prefix, d.ns);
      const used = [e.prefix, ...e.attrs.map((a) => a.prefix).filter((p) => p !== '')];
      for (const p of used) if (p !== '' && !declared.has(p)) declare(p, NAMESPACES[PREFIXES.indexOf(p) % NAMESPACES.length]!);
      // Two attributes may not have the same namespace and local name, whatever their prefixes.
      const seen = new Set<string>();
      const attrs = e.attrs.filter((a) => {
        const key = `${a.prefix === '' ? '' : declared.get(a.prefix)} ${a.local}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const attrText = attrs.map((a, k) => {
        const value = e.values[k]!.map((p) => (p === e.quote ? (p === '"' ? '&quot;' : '&apos;') : p)).join('');
        return `${a.prefix ? `${a.prefix}:` : ''}${a.local}${e.space === ' ' ? '' : ' '}=${e.quote}${value}${e.quote}`;
      });
      const qname = `${e.prefix ? `${e.prefix}:` : ''}${e.local}`;
      const open = `<${qname}${[...decls, ...attrText].map((x) => `${e.space}${x}`).join('')}${e.space === ' ' ? '' : e.space}`;
      if (e.selfClose && e.content.length === 0) return `${open}/>`;
      const inner = { declared };
      return `${open}>${e.content.map((c) => c(inner)).join('')}</${qname}${e.space === ' ' ? '' : ' '}>`;
    });
}

const documentXml = fc
  .record({
    declaration: fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0'?>"),
    before: fc.constantFrom('', '\n', '<!-- before -->\n', '<?pi before?>'),
    root: element(3),
    after: fc.constantFrom('', '\n', '<!-- after -->', ' <?pi after?>\n'),
  })
  .map((d) => `${d.declaration}${d.before}${d.root({ declared: new Map() })}${d.after}`);

// --- both trees in one comparable form ---------------------------------------------------------------------------
interface Shape {
  ns: string;
  local: string;
  prefix: string;
  attrs: string[];
  value: string;
  textRuns: string[];
  children: Shape[];
}

function lightShape(node: XNode): Shape {
  return {
    ns: node.ns,
    local: node.local,
    prefix: node.prefix,
    attrs: node.attrs.map((a) => `{${a.ns}}${a.local}=${a.value}`).sort(),
    value: node.value,
    textRuns: node.textChildren().map((t) => t.value),
    children: node.children.filter((c) => c.kind === Kind.Element).map(lightShape),
  };
}

function libxml2Shape(element: XmlElement): Shape {
  // libxml2 keeps namespace declarations apart from attributes, as XDM does.
  const attrs = element.attrs.map((a) => `{${a.namespaceUri}}${a.name}=${a.value}`);
  // XDM text nodes: maximal runs of character data (CDATA included), split by elements, comments and PIs; never empty.
  const textRuns: string[] = [];
  let run: string | undefined;
  const children: Shape[] = [];
  // node() by XPath, not firstChild/next: libxml2-wasm's processing-instruction nodes have no `next`.
  for (const c of element.find('node()')) {
    if (c instanceof XmlText || c instanceof XmlCData) {
      run = (run ?? '') + c.content;
      continue;
    }
    if (run) textRuns.push(run);
    run = undefined;
    if (c instanceof XmlElement) children.push(libxml2Shape(c));
  }
  if (run) textRuns.push(run);
  return { ns: element.namespaceUri, local: element.name, prefix: element.prefix, attrs: attrs.sort(), value: element.content, textRuns, children };
}

function libxml2Tree(xml: string): Shape {
  const doc = XmlDocument.fromString(xml);
  try {
    return libxml2Shape(doc.root);
  } finally {
    doc.dispose();
  }
}

describe('the light tree reads what a well-kept XML parser reads', () => {
  it('generated documents: names, namespaces, attributes, string values and text runs as libxml2 has them', () => {
    fc.assert(
      fc.property(documentXml, (xml) => {
        const light = parseLightTree(xml);
        expect(light.root.children).toHaveLength(1);
        expect(lightShape(light.root.children[0]!)).toEqual(libxml2Tree(xml));
      }),
      { numRuns: 600, seed: 20261207 },
    );
  });

  it('refuses what is not well-formed instead of guessing', () => {
    const broken = [
      '<a><b></a></b>', // mismatched end tag
      '<a>', // unexpected end
      '<p:a/>', // undeclared prefix
      '<a/><b/>', // two roots
      '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', // a DTD
      '<a>&nbsp;</a>', // an undefined entity
      '<a><!-- unterminated </a>',
    ];
    for (const xml of broken) expect(() => parseLightTree(xml), xml).toThrow();
  });
});
