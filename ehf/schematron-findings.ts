/**
 * What the official Schematron layers report, whichever engine ran them (the compiled layers in the product, SaxonJS as
 * the reference in ./official-schematron.ts), and how a finding becomes a ValidationIssue. Kept apart from SaxonJS so
 * that a validation thread does not load it (~15 MB of heap per thread) to read the compiled layers' findings.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';

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
 * XPath/XSLT dynamic errors (they carry a code such as FORG0001, from SaxonJS or the compiled layers' XPathError) when a
 * rule evaluates a value it cannot cast. The rules then cannot judge the document, so the caller should reject it rather than fail or retry.
 */
export function isRuleEvaluationError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z]{4}\d{4}$/.test(code);
}
