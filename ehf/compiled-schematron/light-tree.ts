/**
 * The document tree the compiled rules read: elements and attributes only, namespace-resolved, each with its place in
 * document order, plus the document's text once, so that an element's string value (XPath 2.0 §2.5.2: the text of all
 * its descendants, in order) is one slice of it. No text, comment or processing-instruction nodes: none of the CEN or
 * Peppol rules select them (the reader refuses a test that does).
 *
 * The parser assumes a well-formed document without a DTD: the XSD layer (official-xsd.ts) has parsed and accepted it
 * before the Schematron layers run, and ehf/xml-tree.ts refuses DTDs for documents from outside. It still throws on
 * what it cannot read rather than guess.
 */

import { decodeReferences } from '../xml-references.js';

export const enum Kind {
  Document = 9,
  Element = 1,
  Attribute = 2,
  Text = 3,
}

const NONE: XNode[] = [];

export class XNode {
  /** Elements only; empty for attributes and for elements without element children (then the shared NONE). */
  children: XNode[] = NONE;
  attrs: XNode[] = NONE;
  /** Text range [start, end) in XDocument.text (elements, document); unused for attributes. */
  start = 0;
  end = 0;
  /** Attribute value; the text of a text node. */
  attrValue = '';
  /** Source range of an element's content in XDocument.xml, [after its start tag, its end tag): text() re-reads it. */
  srcStart = 0;
  srcEnd = 0;
  private textNodes: XNode[] | undefined;
  /** Rule-dispatch key (`e ns local`, `a ns local`, `doc`), see nodeKey in xslt-reader.ts. */
  key = 'doc';
  /** The node's string value cast to xs:decimal / xs:double, once: the document does not change while the rules run. */
  asDecimal: unknown = undefined;
  asDouble: number | undefined = undefined;
  /** normalize-space() of the node's string value, once (xpath-functions.ts normalizedString). */
  normalized: string | undefined = undefined;
  /** Element children by `ns local`, built on first use for elements with many children (the document element). */
  private childIndex: Map<string, XNode[]> | undefined;

  /** The element children of this name, in document order. */
  childrenNamed(key: string, ns: string, local: string): XNode[] {
    const children = this.children;
    if (children.length < 16) {
      let out: XNode[] | undefined;
      for (const c of children) if (c.local === local && c.ns === ns) out ? out.push(c) : (out = [c]); // [c]: exact size, see collectPath
      return out ?? NONE;
    }
    if (!this.childIndex) {
      this.childIndex = new Map();
      for (const c of children) {
        const k = keysOf(c.ns, c.local).key;
        const list = this.childIndex.get(k);
        if (list) list.push(c);
        else this.childIndex.set(k, [c]);
      }
    }
    return this.childIndex.get(key) ?? NONE;
  }

  constructor(
    readonly kind: Kind,
    readonly ns: string,
    readonly local: string,
    readonly prefix: string,
    readonly parent: XNode | null,
    /** Position in document order. */
    readonly pos: number,
    readonly doc: XDocument,
  ) {}

  /** The string value (and, untyped, the typed value) of the node. */
  get value(): string {
    return this.kind === Kind.Attribute || this.kind === Kind.Text ? this.attrValue : this.doc.text.slice(this.start, this.end);
  }

  /**
   * The element's text-node children (XDM: maximal runs of character data, CDATA included, split by child elements,
   * comments and processing instructions). The tree does not keep them; the element's source is read again on demand,
   * since only a few Peppol tests ask (`normalize-space(cbc:X/text())`).
   */
  textChildren(): XNode[] {
    if (this.kind !== Kind.Element) return NONE;
    if (this.textNodes) return this.textNodes;
    const runs = directTextRuns(this.doc.xml, this.srcStart, this.srcEnd);
    this.textNodes = runs.map((text, k) => {
      // Between the element and its first attribute or child in document order: enough to sort text nodes of
      // different elements; not exact relative to the element's own children.
      const t = new XNode(Kind.Text, '', '', '', this, this.pos + (k + 1) / (runs.length + 1), this.doc);
      t.attrValue = text;
      t.key = 'text';
      return t;
    });
    return this.textNodes;
  }

  private qname: string | undefined;

  /** The name as written, `prefix:local` (made once: `//*[ends-with(name(), 'Amount')]` asks every element). */
  get name(): string {
    return (this.qname ??= this.prefix ? `${this.prefix}:${this.local}` : this.local);
  }
}

export class XDocument {
  text = '';
  xml = '';
  readonly root: XNode;
  /** Elements by `ns local`, in document order: `//cbc:X` from the document node is a lookup. */
  readonly byName = new Map<string, XNode[]>();
  /** Attributes by `ns local`, in document order: `//@x` from the document node. */
  readonly attributesByName = new Map<string, XNode[]>();

  constructor() {
    this.root = new XNode(Kind.Document, '', '', '', null, 0, this);
  }
}

export const nameKey = (ns: string, local: string): string => `${ns} ${local}`;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * A name's parts and keys, one string object each per process: `ns`, `local`, the index key `ns local` and the
 * dispatch keys `e ns local`, `a ns local`. The compiled rules compare a node's names with their own by `===`; two
 * equal strings that are different objects are compared character by character (a 70-character namespace URI for
 * every name test, ~15 ms of a 1000-line invoice), the same object at once, and two interned unequal names differ in
 * length or in the hash the table cached on them.
 */
interface NameKeys {
  ns: string;
  local: string;
  key: string;
  element: string;
  attribute: string;
}
const interned = new Map<string, { ns: string; byLocal: Map<string, NameKeys> }>();
let internedCount = 0;
/** The schemas bound the names of an invoice, but ExtensionContent is open: past this, names are not kept. */
const MAX_INTERNED = 10_000;

export function keysOf(ns: string, local: string): NameKeys {
  let space = interned.get(ns);
  if (!space) {
    if (internedCount >= MAX_INTERNED) return freshKeys(ns, local);
    const own = ownCopy(ns);
    interned.set(own, (space = { ns: own, byLocal: new Map() }));
  }
  let keys = space.byLocal.get(local);
  if (!keys) {
    if (internedCount >= MAX_INTERNED) return freshKeys(space.ns, local);
    internedCount++;
    const own = ownCopy(local);
    space.byLocal.set(own, (keys = freshKeys(space.ns, own)));
  }
  return keys;
}

/** The table's own string for a namespace URI, or for a local name: what a compiled name test compares with. */
export const internedNamespace = (ns: string): string => keysOf(ns, '').ns;
export const internedLocal = (local: string): string => keysOf('', local).local;

/**
 * A string of its own: a name cut out of a document is a slice that keeps the whole document's text alive, and the
 * table lives as long as the process (found in review: 20 documents of 5 MB with a new name each stayed in memory).
 */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function freshKeys(ns: string, local: string): NameKeys {
  const key = nameKey(ns, local);
  return { ns, local, key, element: `e ${key}`, attribute: `a ${key}` };
}

/**
 * XML 1.0 §2.11: CR LF and lone CR become LF in the source text, before references are read (so `&#13;` stays a CR).
 * Found by test/unit/ehf/light-tree-fuzz.test.ts against libxml2.
 */
function lineEnds(raw: string): string {
  return raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
}

/** Where the tag starting at `lt` ends: its `>`, not one inside a quoted attribute value (legal there). */
function tagEnd(xml: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/** The direct text runs of an element's content xml[from, to) (see XNode.textChildren). */
function directTextRuns(xml: string, from: number, to: number): string[] {
  const runs: string[] = [];
  let current: string | undefined;
  let depth = 0;
  let i = from;
  const add = (t: string) => {
    if (t.length === 0) return;
    current = (current ?? '') + t;
  };
  const split = () => {
    if (current !== undefined) runs.push(current);
    current = undefined;
  };
  while (i < to) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 || lt > to ? to : lt;
    if (end > i && depth === 0) add(decodeReferences(lineEnds(xml.slice(i, end))));
    if (end === to) break;
    if (xml.startsWith('<!--', lt)) {
      i = xml.indexOf('-->', lt) + 3;
      if (depth === 0) split();
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt);
      if (depth === 0) add(lineEnds(xml.slice(lt + 9, close)));
      i = close + 3;
    } else if (xml.startsWith('<?', lt)) {
      i = xml.indexOf('?>', lt) + 2;
      if (depth === 0) split();
    } else {
      const close = tagEnd(xml, lt);
      if (xml[lt + 1] === '/') depth--;
      else if (xml[close - 1] !== '/') depth++;
      if (depth === 0 || (depth === 1 && xml[lt + 1] !== '/')) split();
      i = close + 1;
    }
  }
  split();
  return runs;
}

const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
/** XML 1.0 §2.3 S: space, tab, line feed, carriage return. */
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/**
 * An element's name resolved in its namespace scope, once per scope and written name: a scope object is shared by
 * every element below the one that declared it, so a document's elements resolve their names by one lookup each.
 */
const resolvedNames = new WeakMap<Record<string, string>, Map<string, { keys: NameKeys; prefix: string }>>();
function elementName(scope: Record<string, string>, qname: string): { keys: NameKeys; prefix: string } {
  let names = resolvedNames.get(scope);
  if (!names) resolvedNames.set(scope, (names = new Map()));
  let name = names.get(qname);
  if (!name) {
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const ns = scope[prefix];
    if (ns === undefined) throw new Error(`undeclared prefix ${prefix}`);
    name = { keys: keysOf(ns, colon < 0 ? qname : qname.slice(colon + 1)), prefix };
    names.set(qname, name);
  }
  return name;
}

/** Parses XML text into the light tree. */
export function parseLightTree(xml: string): XDocument {
  const doc = new XDocument();
  const chunks: string[] = [];
  let textLength = 0;
  let pos = 1;
  const stack: XNode[] = [doc.root];
  const qnames: string[] = [''];
  const scopes: Record<string, string>[] = [{ xml: XML_NS, '': '' }];
  const appendText = (t: string) => {
    if (t.length === 0) return;
    chunks.push(t);
    textLength += t.length;
  };
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      if (stack.length > 1) throw new Error('unexpected end of document');
      break;
    }
    if (lt > i && stack.length > 1) appendText(decodeReferences(lineEnds(xml.slice(i, lt))));
    const c = xml.charCodeAt(lt + 1);
    if (c === 63 /* ? */) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
    } else if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) throw new Error('unterminated comment');
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw new Error('unterminated CDATA section');
        appendText(lineEnds(xml.slice(lt + 9, end)));
        i = end + 3;
      } else throw new Error('DTDs are not accepted');
    } else if (c === 47 /* / */) {
      const end = xml.indexOf('>', lt);
      const element = stack.pop()!;
      scopes.pop();
      const open = qnames.pop()!;
      // The end tag names the open element (compared in place: no string made per end tag), then white space.
      let k = lt + 2 + open.length;
      while (k < end && isSpace(xml.charCodeAt(k))) k++;
      if (element.kind !== Kind.Element || !xml.startsWith(open, lt + 2) || k !== end) throw new Error(`mismatched end tag </${xml.slice(lt + 2, end).trim()}>`);
      element.srcEnd = lt;
      element.end = textLength;
      i = end + 1;
    } else {
      let j = lt + 1;
      for (let ch = xml.charCodeAt(j); !(isSpace(ch) || ch === 47 /* / */ || ch === 62 /* > */); ch = xml.charCodeAt(++j)) {
        if (j >= n) throw new Error('unterminated start tag');
      }
      const qname = xml.slice(lt + 1, j);
      let raw: [string, string][] | undefined;
      let scope = scopes[scopes.length - 1]!;
      let ownScope = false;
      for (;;) {
        ATTRIBUTE.lastIndex = j;
        const a = ATTRIBUTE.exec(xml);
        if (!a) break;
        j = ATTRIBUTE.lastIndex;
        const [, aname, dq, sq] = a;
        const value = decodeReferences(lineEnds((dq ?? sq)!).replace(/[\t\n]/g, ' ')); // XML 1.0 §2.11, then §3.3.3
        if (aname === 'xmlns' || aname!.startsWith('xmlns:')) {
          if (!ownScope) (scope = { ...scope }), (ownScope = true);
          scope[aname === 'xmlns' ? '' : aname!.slice(6)] = value;
        } else (raw ??= []).push([aname!, value]);
      }
      while (j < n && /\s/.test(xml[j]!)) j++;
      const selfClosing = xml[j] === '/';
      if (selfClosing) j++;
      if (xml[j] !== '>') throw new Error(`malformed start tag <${qname}`);
      const parent = stack[stack.length - 1]!;
      const { keys, prefix } = elementName(scope, qname);
      const element = new XNode(Kind.Element, keys.ns, keys.local, prefix, parent, pos++, doc);
      element.start = textLength;
      element.key = keys.element;
      if (parent.children === NONE) parent.children = [element];
      else if (parent.kind === Kind.Element) parent.children.push(element);
      else throw new Error('more than one root element');
      const list = doc.byName.get(keys.key);
      if (list) list.push(element);
      else doc.byName.set(keys.key, [element]);
      if (raw) element.attrs = [];
      if (raw) for (const [aname, value] of raw) {
        const ac = aname.indexOf(':');
        const aprefix = ac < 0 ? '' : aname.slice(0, ac);
        const ans = ac < 0 ? '' : scope[aprefix];
        if (ans === undefined) throw new Error(`undeclared prefix ${aprefix}`);
        const akeys = keysOf(ans, ac < 0 ? aname : aname.slice(ac + 1));
        const attr = new XNode(Kind.Attribute, akeys.ns, akeys.local, aprefix, element, pos++, doc);
        attr.attrValue = value;
        attr.key = akeys.attribute;
        element.attrs.push(attr);
        const alist = doc.attributesByName.get(akeys.key);
        if (alist) alist.push(attr);
        else doc.attributesByName.set(akeys.key, [attr]);
      }
      element.srcStart = element.srcEnd = j + 1;
      if (selfClosing) element.end = textLength;
      else {
        stack.push(element);
        qnames.push(qname);
        scopes.push(scope);
      }
      i = j + 1;
    }
  }
  if (stack.length !== 1) throw new Error('unexpected end of document');
  if (doc.root.children.length !== 1) throw new Error('no root element');
  doc.text = chunks.join('');
  doc.xml = xml;
  doc.root.end = textLength;
  return doc;
}
