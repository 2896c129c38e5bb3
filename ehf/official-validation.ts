/**
 * Official validation of an EHF / Peppol BIS Billing 3.0 UBL document, in the order the Peppol validators use:
 *   1. UBL 2.1 XSD — if it fails, the rules below would report noise about a malformed document, so we stop;
 *   2. CEN EN 16931 UBL Schematron (BR-*, BR-CO-*, BR-S-*, …);
 *   3. Peppol BIS Billing 3.0 Schematron (PEPPOL-*, and the national rules such as NO-R-001/002).
 * Both Schematron layers always run, so the sender sees every rule that fired at once.
 *
 * The Schematron layers run compiled (compiled-schematron/): the official skeleton XSLT of each rule set is read and
 * its XPath compiled to JavaScript once per thread, and each document is parsed once into a light tree for both. Same
 * findings as SaxonJS on the same XSLT (ehf/compiled-schematron/agreement-check.ts) and as phive (the differential
 * test), ~30× faster on a typical invoice and ~10× at 1000 lines (`npm run bench:ehf`). ValidationPool
 * (validation-pool.ts) runs it on worker threads, one per core.
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { officialValidationVersions, type OfficialValidationVersions, type SchematronLayer } from './official-artefacts.js';
import { compiledLayer, parseLightTree, runCompiledSchematron } from './compiled-schematron/compiled-schematron.js';
import type { XDocument } from './compiled-schematron/light-tree.js';
import { findingToIssue, isRuleEvaluationError, type SvrlFinding } from './schematron-findings.js';
import { validateUblXsd, warmUpUblXsd } from './official-xsd.js';

export { officialValidationVersions, OfficialArtefactsMissingError, type OfficialValidationVersions } from './official-artefacts.js';

export interface OfficialValidationResult {
  issues: ValidationIssue[];
  versions: OfficialValidationVersions;
}

/** One document's outcome in validateUblOfficialEach: its result, or the unexpected error validating it threw. */
export type OfficialValidationOutcome = { result: OfficialValidationResult } | { error: Error };

export async function validateUblOfficial(xml: string): Promise<OfficialValidationResult> {
  const [outcome] = validateUblOfficialEach([xml]);
  if ('error' in outcome!) throw outcome.error;
  return outcome.result;
}

/** validateUblOfficial for each document, in order; an error that is not a verdict on a document fails only that document. */
export function validateUblOfficialEach(xmls: readonly string[]): OfficialValidationOutcome[] {
  const versions = officialValidationVersions();
  const outcomes: OfficialValidationOutcome[] = [];
  const pending: { index: number; issues: ValidationIssue[]; source: XDocument }[] = [];
  xmls.forEach((xml, index) => {
    try {
      const xsdIssues = validateUblXsd(xml);
      if (xsdIssues.some(isFatal)) return (outcomes[index] = { result: { issues: xsdIssues, versions } });
      // One parse for both layers.
      pending.push({ index, issues: xsdIssues, source: parseLightTree(xml) });
    } catch (err) {
      outcomes[index] = isRuleEvaluationError(err)
        ? { result: { issues: [issue('SCHEMATRON-ERROR', `The Schematron rules could not read this document: ${err.message} (${err.code})`, '/')], versions } }
        : { error: asError(err) };
    }
  });
  const layers = (['cen', 'peppol'] as const).map((layer) => pending.map((document) => runLayer(layer, document.source)));
  pending.forEach((document, n) => {
    const issues = [...document.issues];
    for (const [l, layer] of (['cen', 'peppol'] as const).entries()) {
      const findings = layers[l]![n]!;
      if (!(findings instanceof Error)) issues.push(...findings.map(findingToIssue));
      // Not seen with XSD-valid documents, but a crash in the rules must reject the invoice, not retry it forever.
      else if (isRuleEvaluationError(findings)) issues.push(ruleEvaluationIssue(layer, findings));
      else return (outcomes[document.index] = { error: findings });
    }
    outcomes[document.index] = { result: { issues, versions } };
  });
  return outcomes;
}

/** One layer's findings on a document, or what it threw (a dynamic XPath error carries Saxon's code, e.g. FORG0001). */
function runLayer(layer: SchematronLayer, document: XDocument): SvrlFinding[] | Error {
  try {
    return runCompiledSchematron(layer, document);
  } catch (err) {
    return asError(err);
  }
}

const LAYER_NAMES: Record<SchematronLayer, string> = { cen: 'CEN EN 16931', peppol: 'Peppol BIS Billing 3.0' };

function ruleEvaluationIssue(layer: SchematronLayer, err: Error & { code: string }): ValidationIssue {
  return issue('SCHEMATRON-ERROR', `The ${LAYER_NAMES[layer]} rules could not be evaluated on this document: ${err.message} (${err.code})`, '/');
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Compiles the schemas and the rule sets now (~2 s), e.g. when a worker starts, instead of on the first invoice. */
export function warmUpOfficialValidation(): OfficialValidationVersions {
  const versions = officialValidationVersions();
  warmUpUblXsd();
  for (const layer of ['cen', 'peppol'] as const) compiledLayer(layer);
  return versions;
}
