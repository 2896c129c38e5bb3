/**
 * Layer 1 of the official validation: the OASIS UBL 2.1 XSD (Invoice-2 or CreditNote-2 by the root element), with
 * libxml2 compiled to WebAssembly. Each schema is compiled once (~0.3 s) and reused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ParseOption,
  XmlBufferInputProvider,
  XmlDocument,
  XmlElement,
  XmlError,
  XmlLibError,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
} from 'libxml2-wasm';
import { issue, type ValidationIssue } from '../validation/issue.js';
import { officialArtefact } from './official-artefacts.js';

export const XSD_RULE = 'UBL-XSD';
const CBC_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

const ROOTS: Record<string, string> = {
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 Invoice': 'UBL-Invoice-2.1.xsd',
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2 CreditNote': 'UBL-CreditNote-2.1.xsd',
};

// No network, no external entities: the document under validation comes from outside. HUGE lifts libxml2's 10 MB
// limit per text node, which a base64 PDF attachment (cbc:EmbeddedDocumentBinaryObject) can exceed.
const SAFE_PARSING = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_HUGE;

const validators = new Map<string, XsdValidator>();
let schemaFilesRegistered = false;
let temporalElements: string | undefined;

/**
 * XSD 1.0 Part 2 §4.3.6: xs:date, xs:time and xs:dateTime have whiteSpace="collapse", so `<cbc:IssueDate> 2026-11-02
 * </cbc:IssueDate>` is a valid date, and Xerces (phive, the Peppol validators) accepts it. libxml2 does not collapse
 * white space for these types when they are the base of a complex type with simple content (UBL's udt:DateType,
 * udt:TimeType, udt:DateTimeType), and rejects the value. Only then do we collapse it ourselves, in our parsed copy,
 * on every CBC element of such a type, and validate again. The Schematron layers still read the document as sent,
 * so PEPPOL-EN16931-F001 reports a date that is not exactly YYYY-MM-DD where Peppol checks that.
 */
const TEMPORAL_VALUE_REJECTED = /is not a valid value of the atomic type 'xs:(date|time|dateTime)'/;
const XML_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** XPath of every CBC element whose type extends a UBL date or time type, read from the schema itself. */
function temporalElementsXPath(xsdDir: string): string {
  if (temporalElements === undefined) {
    const cbc = readFileSync(join(xsdDir, 'common', 'UBL-CommonBasicComponents-2.1.xsd'), 'utf8');
    const types = new Set(
      [...cbc.matchAll(/<xsd:complexType name="(\w+)">\s*<xsd:simpleContent>\s*<xsd:extension base="udt:(?:Date|Time|DateTime)Type"/g)].map((m) => m[1]!),
    );
    const names = [...cbc.matchAll(/<xsd:element name="(\w+)" type="(\w+)"/g)].filter((m) => types.has(m[2]!)).map((m) => m[1]!);
    if (names.length === 0) throw new Error('found no date or time elements in UBL-CommonBasicComponents-2.1.xsd');
    temporalElements = names.map((name) => `//cbc:${name}`).join(' | ');
  }
  return temporalElements;
}

/** Collapses the white space around the values of date and time elements; true when it changed any. */
function collapseTemporalValues(doc: XmlDocument, xsdDir: string): boolean {
  let changed = false;
  for (const node of doc.find(temporalElementsXPath(xsdDir), { cbc: CBC_NS })) {
    if (!(node instanceof XmlElement)) continue;
    const value = node.content;
    const collapsed = value.replace(XML_WHITESPACE, '');
    if (collapsed === value) continue;
    // Replace the text (and any CDATA or comments among it) by the collapsed value; a date element has no child elements.
    for (let child = node.firstChild; child; ) {
      const next = child.next;
      if (!(child instanceof XmlElement)) child.remove();
      child = next;
    }
    node.addText(collapsed);
    changed = true;
  }
  return changed;
}

/**
 * libxml2 reads the imported schemas through an input provider. We serve only the unpacked UBL schema files, from
 * memory, rather than registering a provider for the whole file system that any parsed document could reach.
 */
function registerSchemaFiles(xsdDir: string): void {
  if (schemaFilesRegistered) return;
  const files: Record<string, Uint8Array> = {};
  for (const folder of ['maindoc', 'common']) {
    for (const name of readdirSync(join(xsdDir, folder))) {
      files[pathToFileURL(join(xsdDir, folder, name)).href] = readFileSync(join(xsdDir, folder, name));
    }
  }
  xmlRegisterInputProvider(new XmlBufferInputProvider(files));
  schemaFilesRegistered = true;
}

function validatorFor(schema: string): XsdValidator {
  let validator = validators.get(schema);
  if (!validator) {
    const file = officialArtefact('xsd', 'maindoc', schema);
    registerSchemaFiles(join(file, '..', '..'));
    const schemaDoc = XmlDocument.fromBuffer(readFileSync(file), { url: pathToFileURL(file).href });
    try {
      validator = XsdValidator.fromDoc(schemaDoc);
    } finally {
      schemaDoc.dispose();
    }
    validators.set(schema, validator);
  }
  return validator;
}

const where = (detail: ErrorDetail): string => `${detail.line}:${detail.col}${detail.xpath ? ` ${detail.xpath}` : ''}`;

function detailsToIssues(details: ErrorDetail[], prefix = ''): ValidationIssue[] {
  return details.map((d) => issue(XSD_RULE, `${prefix}${d.message.trim()}`, where(d), d.level === 1 ? 'warning' : 'fatal'));
}

function xsdDirOf(schema: string): string {
  return join(officialArtefact('xsd', 'maindoc', schema), '..', '..');
}

function validateAgain(doc: XmlDocument, schema: string): ValidationIssue[] {
  try {
    validatorFor(schema).validate(doc);
    return [];
  } catch (err) {
    if (err instanceof XmlLibError) return detailsToIssues(err.details);
    if (err instanceof XmlError) return [issue(XSD_RULE, `The document could not be schema-validated: ${err.message}`, '/')];
    throw err;
  }
}

/** Compiles both schemas now rather than on the first invoice. */
export function warmUpUblXsd(): void {
  for (const schema of Object.values(ROOTS)) validatorFor(schema);
}

/** XSD issues of one UBL document; a document that is not well-formed XML is reported under the same rule. */
export function validateUblXsd(xml: string): ValidationIssue[] {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml, { option: SAFE_PARSING });
  } catch (err) {
    if (err instanceof XmlLibError) return detailsToIssues(err.details, 'Not well-formed XML: ');
    throw err;
  }
  try {
    // UBL documents have no DTD; a DOCTYPE only brings entity tricks (and libxml2 cannot schema-validate the
    // unexpanded entity references that safe parsing leaves behind).
    if (doc.dtd) return [issue(XSD_RULE, 'A DOCTYPE declaration is not allowed in a UBL document', '/')];
    const root = doc.root;
    const schema = ROOTS[`${root.namespaceUri} ${root.name}`];
    if (!schema) {
      return [issue(XSD_RULE, `Root element {${root.namespaceUri}}${root.name} is neither a UBL 2.1 Invoice nor a CreditNote`, '/*')];
    }
    try {
      validatorFor(schema).validate(doc);
      return [];
    } catch (err) {
      if (err instanceof XmlLibError) {
        if (!err.details.some((d) => TEMPORAL_VALUE_REJECTED.test(d.message)) || !collapseTemporalValues(doc, xsdDirOf(schema))) {
          return detailsToIssues(err.details);
        }
        return validateAgain(doc, schema);
      }
      // libxml2 answers "Invalid input or internal error" without details for input it cannot validate at all.
      if (err instanceof XmlError) return [issue(XSD_RULE, `The document could not be schema-validated: ${err.message}`, '/')];
      throw err;
    }
  } finally {
    doc.dispose();
  }
}
