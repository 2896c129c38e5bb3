/**
 * What a verdict on a document was given by: this build of our checks and, when they ran, the official rule sets.
 * The API stores it with the invoice it accepted; the workflow's validate stage, having checked that the archived
 * source is the document it was started with, reuses a stored verdict of the same basis instead of validating it a
 * second time, and validates again when the basis differs (another build, new rule sets after a setup, a verdict
 * given without the official rules, a row from before migration 003).
 */
import { readFileSync } from 'node:fs';
import { officialValidationVersions } from '../ehf/official-artefacts.js';

const build = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function verdictBasis(withOfficialRules: boolean): string {
  const ours = `fakturaflyt ${build}`;
  if (!withOfficialRules) return ours;
  const versions = officialValidationVersions();
  return `${ours}; UBL ${versions.ubl}, CEN ${versions.cen}, Peppol ${versions.peppol}`;
}
