/**
 * Identifier checks shared by the party, payment and line checks: the Norwegian check digits come from
 * `identifiers/no/*`; this module only turns their verdicts into ValidationIssues with the right rule id.
 */
import * as orgnr from '../../identifiers/no/orgnr.js';
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { EAS } from '../code-lists.js';
import type { Identifier } from '../model.js';

export const NORWEGIAN_ORGNR_SCHEME = '0192';
export const GLN_SCHEME = '0088';

/** GS1 GLN: digits, the last a mod-10 check with weights 3,1,3,… from the right (PEPPOL-COMMON-R040). */
export function isGln(value: string): boolean {
  if (!/^[0-9]{2,}$/.test(value)) return false;
  const payload = value.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum += Number(payload[payload.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(value.slice(-1));
}

function glnIssues(value: string, path: string, what: string): ValidationIssue[] {
  return isGln(value) ? [] : [issue('PEPPOL-COMMON-R040', `${what} "${value}" is not a valid GLN (GS1 check digit).`, path)];
}

/** The reason a validate() call rejects a value, or undefined when it accepts it. */
export function rejection(validate: () => unknown): string | undefined {
  try {
    validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * PEPPOL-COMMON-R041: an org number used with scheme 0192 (EndpointID, PartyIdentification, CompanyID) must be
 * nine digits passing MOD11. The model's `taxId` is always written as CompanyID with schemeID 0192, so it is
 * held to the same rule.
 */
export function orgnrIssues(value: string | undefined, path: string, what: string): ValidationIssue[] {
  if (value === undefined) return [];
  const reason = rejection(() => orgnr.validate(value));
  if (reason === undefined) return [];
  return [issue('PEPPOL-COMMON-R041', `${what} "${value}" is not a valid Norwegian organisation number: ${reason}.`, path)];
}

/** An identifier with scheme 0192 must be a valid org number (PEPPOL-COMMON-R041), one with 0088 a GLN (R040). */
export function schemedIdIssues(identifier: Identifier | undefined, path: string, what: string): ValidationIssue[] {
  if (identifier?.schemeId === NORWEGIAN_ORGNR_SCHEME) return orgnrIssues(identifier.id, `${path}/id`, what);
  if (identifier?.schemeId === GLN_SCHEME) return glnIssues(identifier.id, `${path}/id`, what);
  return [];
}

/**
 * Electronic address (BT-34/BT-49): must have a scheme (BR-62 seller, BR-63 buyer) from the EAS list
 * (PEPPOL-EN16931-CL008); a 0192 address must be a valid org number (PEPPOL-COMMON-R041), a 0088 one a GLN
 * (PEPPOL-COMMON-R040).
 */
export function endpointIssues(
  endpointId: string | undefined,
  schemeId: string | undefined,
  path: string,
  schemeRule: 'BR-62' | 'BR-63',
): ValidationIssue[] {
  if (endpointId === undefined) return [];
  if (schemeId === undefined || schemeId === '') {
    return [issue(schemeRule, 'The electronic address shall have a scheme identifier (endpointSchemeId, e.g. 0192).', `${path}/endpointSchemeId`)];
  }
  if (!EAS.has(schemeId)) {
    return [issue('PEPPOL-EN16931-CL008', `Electronic address scheme "${schemeId}" is not in the EAS code list.`, `${path}/endpointSchemeId`)];
  }
  if (schemeId === NORWEGIAN_ORGNR_SCHEME) return orgnrIssues(endpointId, `${path}/endpointId`, 'Electronic address 0192');
  if (schemeId === GLN_SCHEME) return glnIssues(endpointId, `${path}/endpointId`, 'Electronic address 0088');
  return [];
}
