/**
 * A check of UBL 2.1 element order without the XSD: every element of a type listed in ubl-schema-order.ts must
 * have only children from its sequence, in sequence order. Used on our output and, as a check of the check, on the
 * official examples.
 */
import { UBL_NS } from '../../../ehf/peppol-bis.js';
import { parseXmlTree, type XmlElement } from '../../../ehf/xml-tree.js';
import { SEQUENCES, TYPE_OF_ELEMENT } from './ubl-schema-order.js';

const PREFIX: Record<string, string> = {
  [UBL_NS.cac]: 'cac:',
  [UBL_NS.cbc]: 'cbc:',
  [UBL_NS.invoice]: '',
  [UBL_NS.creditNote]: '',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2': 'ext:',
};

export function qualifiedName(element: XmlElement): string {
  return `${PREFIX[element.ns] ?? `{${element.ns}}`}${element.local}`;
}

export function parseForTest(xml: string): XmlElement {
  const { root, issues } = parseXmlTree(xml, { [UBL_NS.cac]: 'cac', [UBL_NS.cbc]: 'cbc', [UBL_NS.invoice]: '', [UBL_NS.creditNote]: '' });
  if (!root) throw new Error(`not parseable: ${JSON.stringify(issues)}`);
  return root;
}

/** Every order violation, as `path: child after previous` strings; empty when the document follows the schema. */
export function orderViolations(xml: string): string[] {
  const violations: string[] = [];
  const visit = (element: XmlElement): void => {
    const type = TYPE_OF_ELEMENT[qualifiedName(element)];
    const sequence = type ? SEQUENCES[type] : undefined;
    if (sequence) {
      let previous = -1;
      let previousName = '(start)';
      for (const child of element.children) {
        const name = qualifiedName(child);
        const position = sequence.indexOf(name);
        if (position === -1) violations.push(`${element.path}: ${name} is not part of ${type}`);
        else if (position < previous) violations.push(`${element.path}: ${name} after ${previousName}`);
        else {
          previous = position;
          previousName = name;
        }
      }
    }
    element.children.forEach(visit);
  };
  visit(parseForTest(xml));
  return violations;
}

/** Depth-first list of qualified names along a path of children, e.g. names(root, 'cac:LegalMonetaryTotal'). */
export function childNames(element: XmlElement | undefined): string[] {
  return element?.children.map(qualifiedName) ?? [];
}

export function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  return path.reduce<XmlElement | undefined>((current, name) => current?.children.find((c) => qualifiedName(c) === name), element);
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  const result: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    if (qualifiedName(e) === name) result.push(e);
    e.children.forEach(visit);
  };
  visit(element);
  return result;
}
