/**
 * Safe XML reading for documents from outside: a size limit, no DTD at all (so no entity expansion, no external
 * entities: "billion laughs" and XXE cannot happen), a well-formedness check, then fast-xml-parser with entity
 * processing off. The five predefined XML entities and character references are decoded here, by hand, because
 * they are the only ones a DTD-less document can contain.
 *
 * The result is a small namespace-resolved element tree, so a document may use any prefixes it likes
 * (`cbc:`, `ns2:` or a default namespace) and still be read by namespace URI and local name.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { issue, type ValidationIssue } from '../validation/issue.js';
import { decodeReferences, UndefinedEntity } from './xml-references.js';

/** 10 MB: ten times the largest EHF we expect with attachments; larger inputs are refused before parsing. */
export const MAX_XML_BYTES = 10 * 1024 * 1024;

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated, decoded text content of this element itself (not of its children). */
  text: string;
  /** XPath-like location for issues, e.g. `/Invoice/cac:InvoiceLine[2]/cbc:ID`. */
  path: string;
}

type Ordered = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false, // no DTD entities, ever; predefined ones are decoded by decodeReferences()
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

/** The prefixes issues use, whatever prefixes the document itself chose. */
export type PrefixMap = Readonly<Record<string, string>>;

function convert(node: Ordered, scope: Map<string, string>, parentPath: string, index: number | undefined, prefixes: PrefixMap): XmlElement {
  const name = Object.keys(node).find((key) => key !== ':@')!;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes)) {
    if (key === 'xmlns') inner.set('', decodeReferences(value));
    else if (key.startsWith('xmlns:')) inner.set(key.slice(6), decodeReferences(value));
    else attributes[key] = decodeReferences(value);
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const local = colon === -1 ? name : name.slice(colon + 1);
  const ns = inner.get(prefix) ?? '';
  const shownPrefix = prefixes[ns];
  const shownName = shownPrefix === undefined ? name : shownPrefix === '' ? local : `${shownPrefix}:${local}`;
  const path = `${parentPath}/${shownName}${index === undefined ? '' : `[${index}]`}`;

  const element: XmlElement = { ns, local, attributes, children: [], text: '', path };
  const content = (node[name] ?? []) as Ordered[];
  const elementNodes = content.filter((child) => !('#text' in child) && !('#cdata' in child));
  const counts = new Map<string, number>();
  for (const child of elementNodes) {
    const childName = Object.keys(child).find((key) => key !== ':@')!;
    counts.set(childName, (counts.get(childName) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  const texts: string[] = [];
  for (const child of content) {
    if ('#text' in child) texts.push(decodeReferences(String(child['#text'])));
    else if ('#cdata' in child) texts.push(((child['#cdata'] as Ordered[]) ?? []).map((part) => String(part['#text'] ?? '')).join(''));
    else {
      const childName = Object.keys(child).find((key) => key !== ':@')!;
      const position = (seen.get(childName) ?? 0) + 1;
      seen.set(childName, position);
      element.children.push(convert(child, inner, path, counts.get(childName)! > 1 ? position : undefined, prefixes));
    }
  }
  element.text = texts.join('');
  return element;
}

/**
 * Why XML from outside is refused before any parser sees it (FF-XML-SIZE, FF-XML-DOCTYPE), if it is: a DTD is how
 * entity-expansion and external-entity attacks start, and UBL documents never need one.
 */
export function refusedXml(xml: string): ValidationIssue | undefined {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) return issue('FF-XML-SIZE', `The XML document is larger than ${MAX_XML_BYTES / 1024 / 1024} MB.`, '/');
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) return issue('FF-XML-DOCTYPE', 'DOCTYPE and ENTITY declarations are not accepted in invoice XML.', '/');
  return undefined;
}

/**
 * Parses `xml` into a tree, or explains why not (FF-XML-SIZE, FF-XML-DOCTYPE, FF-XML-MALFORMED).
 * `prefixes` maps namespace URIs to the prefixes used in issue paths.
 */
export function parseXmlTree(xml: string, prefixes: PrefixMap): { root?: XmlElement; issues: ValidationIssue[] } {
  const refused = refusedXml(xml);
  if (refused) return { issues: [refused] };
  const text = xml.replace(/^\uFEFF/, '');
  const wellFormed = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    return { issues: [issue('FF-XML-MALFORMED', `The XML is not well-formed: ${msg}`, `line ${line}, column ${col}`)] };
  }
  try {
    const nodes = (parser.parse(text) as Ordered[]).filter((node) => !('#text' in node) && !('#cdata' in node));
    if (nodes.length !== 1) {
      return { issues: [issue('FF-XML-MALFORMED', `An XML document has exactly one root element, this one has ${nodes.length}.`, '/')] };
    }
    return { root: convert(nodes[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), '', undefined, prefixes), issues: [] };
  } catch (error) {
    if (error instanceof UndefinedEntity || error instanceof RangeError) {
      return { issues: [issue('FF-XML-MALFORMED', `The XML is not well-formed: ${error.message}.`, '/')] };
    }
    return { issues: [issue('FF-XML-MALFORMED', `The XML could not be parsed: ${(error as Error).message}`, '/')] };
  }
}
