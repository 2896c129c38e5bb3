/**
 * Identifier checks shared by the party, payment and line checks: the Norwegian check digits come from
 * `identifiers/no/*`; this module only turns their verdicts into ValidationIssues with the right rule id.
 */
import * as orgnr from '../../identifiers/no/orgnr.js';
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { EAS } from '../code-lists.js';
import type { Identifier } from '../model.js';

export const NORWEGIAN_ORGNR_SCHEME = '0192';

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

/** An identifier with scheme 0192 must be a valid org number (PEPPOL-COMMON-R041). */
export function schemedIdIssues(identifier: Identifier | undefined, path: string, what: string): ValidationIssue[] {
  if (identifier?.schemeId !== NORWEGIAN_ORGNR_SCHEME) return [];
  return orgnrIssues(identifier.id, `${path}/id`, what);
}

/**
 * Electronic address (BT-34/BT-49): must have a scheme (BR-62 seller, BR-63 buyer) from the EAS list
 * (PEPPOL-EN16931-CL008), and a 0192 address must be a valid org number (PEPPOL-COMMON-R041).
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
  return [];
}
