/**
 * Layers 2 and 3 of the official validation: the CEN EN 16931 and Peppol BIS Billing 3.0 Schematron, as XSLT compiled
 * to SaxonJS SEF at setup. Each SEF (7 MB and 2 MB of JSON) is parsed once and kept; SaxonJS then runs the rules and
 * we read its SVRL report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { issue, type ValidationIssue } from '../validation/issue.js';
import { officialArtefact, type SchematronLayer } from './official-artefacts.js';

/** The part of the SaxonJS API we use (the package ships no type declarations). */
interface SaxonJs {
  transform(
    options: { stylesheetInternal: unknown; sourceText: string; destination: 'raw' },
    mode: 'sync',
  ): { principalResult: unknown };
  XPath: {
    evaluate(
      xpath: string,
      context: unknown,
      options: { namespaceContext: Record<string, string>; resultForm: 'array' },
    ): SvrlFinding[];
  };
}

/** One fired assertion or report from SVRL, as the rules wrote it. */
export interface SvrlFinding {
  /** Rule id, e.g. `BR-CO-10`, `PEPPOL-EN16931-R001`, `NO-R-001`. */
  id: string;
  /** The Schematron flag: `fatal`, `warning` (a few rule sets also use `information`). */
  flag: string;
  /** XPath of the node the rule fired on. */
  location: string;
  /** Rule text, whitespace normalised. */
  text: string;
}

const require = createRequire(import.meta.url);
const SaxonJS = require('saxon-js') as SaxonJs;

// SaxonJS returns the SVRL as a tree; one XPath turns it into plain objects.
const FINDINGS = `for $a in descendant-or-self::node()/(svrl:failed-assert | svrl:successful-report)
  return map { 'id': string($a/@id), 'flag': string($a/@flag), 'location': string($a/@location), 'text': normalize-space($a/svrl:text) }`;
const SVRL = { svrl: 'http://purl.oclc.org/dsdl/svrl' };

const stylesheets = new Map<SchematronLayer, unknown>();

function stylesheet(layer: SchematronLayer): unknown {
  let sef = stylesheets.get(layer);
  if (!sef) {
    sef = JSON.parse(readFileSync(officialArtefact('sef', `${layer}.sef.json`), 'utf8')) as unknown;
    stylesheets.set(layer, sef);
  }
  return sef;
}

/** Runs one Schematron layer; throws on XML SaxonJS cannot parse (the XSD layer reports that first). */
export function runSchematron(layer: SchematronLayer, xml: string): SvrlFinding[] {
  const { principalResult } = SaxonJS.transform({ stylesheetInternal: stylesheet(layer), sourceText: xml, destination: 'raw' }, 'sync');
  return SaxonJS.XPath.evaluate(FINDINGS, principalResult, { namespaceContext: SVRL, resultForm: 'array' });
}

// The rules write locations as `/*:Invoice[namespace-uri()='urn:…:Invoice-2'][1]/*:TaxTotal[namespace-uri()='urn:…'][1]`;
// we shorten them to the prefixes every UBL reader knows: `/Invoice[1]/cac:TaxTotal[1]`.
const UBL_PREFIXES: Record<string, string> = {
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2': '',
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2': '',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2': 'cac:',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2': 'cbc:',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2': 'ext:',
};

export function readableLocation(location: string): string {
  return location.replace(/\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]/g, (whole, name: string, namespace: string) =>
    namespace in UBL_PREFIXES ? `${UBL_PREFIXES[namespace]}${name}` : whole,
  );
}

/** Schematron `fatal` stops the document; `warning` and `information` do not. */
export function findingToIssue(finding: SvrlFinding): ValidationIssue {
  return issue(finding.id || 'SCHEMATRON', finding.text, readableLocation(finding.location), finding.flag === 'fatal' ? 'fatal' : 'warning');
}

/**
 * SaxonJS raises XPath/XSLT dynamic errors (they carry a code such as FORG0001) when a rule evaluates a value it cannot
 * cast. The rules then cannot judge the document, so the caller should reject it rather than fail or retry.
 */
export function isRuleEvaluationError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z]{4}\d{4}$/.test(code);
}

/** Loads both SEFs and runs each once, so the first real invoice does not pay SaxonJS's start-up (~0.5 s). */
export function warmUpSchematron(): void {
  const empty = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
  for (const layer of ['cen', 'peppol'] as const) runSchematron(layer, empty);
}
