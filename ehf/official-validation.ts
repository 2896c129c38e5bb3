/**
 * Official validation of an EHF / Peppol BIS Billing 3.0 UBL document, in the order the Peppol validators use:
 *   1. UBL 2.1 XSD — if it fails, the rules below would report noise about a malformed document, so we stop;
 *   2. CEN EN 16931 UBL Schematron (BR-*, BR-CO-*, BR-S-*, …);
 *   3. Peppol BIS Billing 3.0 Schematron (PEPPOL-*, and the national rules such as NO-R-001/002).
 * Both Schematron layers always run, so the sender sees every rule that fired at once.
 *
 * Runs synchronously on the calling thread: ~30 ms for a typical invoice once warm, ~1.7 s for 1000 invoice lines
 * (`npm run bench:ehf`); ValidationPool (validation-pool.ts) runs it on worker threads, one per core.
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { officialValidationVersions, type OfficialValidationVersions, type SchematronLayer } from './official-artefacts.js';
import { findingToIssue, isRuleEvaluationError, parseForSchematron, runSchematron, warmUpSchematron, type SchematronSource } from './official-schematron.js';
import { validateUblXsd, warmUpUblXsd } from './official-xsd.js';

export { officialValidationVersions, OfficialArtefactsMissingError, type OfficialValidationVersions } from './official-artefacts.js';

export interface OfficialValidationResult {
  issues: ValidationIssue[];
  versions: OfficialValidationVersions;
}

export async function validateUblOfficial(xml: string): Promise<OfficialValidationResult> {
  const versions = officialValidationVersions();
  const xsdIssues = validateUblXsd(xml);
  if (xsdIssues.some(isFatal)) return { issues: xsdIssues, versions };
  // One parse for both layers (~5 % of the Schematron time at 1000 lines).
  let source: SchematronSource;
  try {
    source = parseForSchematron(xml);
  } catch (err) {
    if (!isRuleEvaluationError(err)) throw err;
    return { issues: [...xsdIssues, issue('SCHEMATRON-ERROR', `The Schematron rules could not read this document: ${err.message} (${err.code})`, '/')], versions };
  }
  return { issues: [...xsdIssues, ...schematronIssues('cen', source), ...schematronIssues('peppol', source)], versions };
}

const LAYER_NAMES: Record<SchematronLayer, string> = { cen: 'CEN EN 16931', peppol: 'Peppol BIS Billing 3.0' };

function schematronIssues(layer: SchematronLayer, source: SchematronSource): ValidationIssue[] {
  try {
    return runSchematron(layer, source).map(findingToIssue);
  } catch (err) {
    // Not seen with XSD-valid documents, but a crash in the rules must reject the invoice, not retry it forever.
    if (isRuleEvaluationError(err)) {
      return [issue('SCHEMATRON-ERROR', `The ${LAYER_NAMES[layer]} rules could not be evaluated on this document: ${err.message} (${err.code})`, '/')];
    }
    throw err;
  }
}

/** Compiles the schemas and loads the rule sets now (~2 s), e.g. when a worker starts, instead of on the first invoice. */
export function warmUpOfficialValidation(): OfficialValidationVersions {
  const versions = officialValidationVersions();
  warmUpUblXsd();
  warmUpSchematron();
  return versions;
}
