/**
 * The one error shape from validation to HTTP: the XSD, the CEN and Peppol rules, our own checks
 * (identifiers, arithmetic, contract) and the rule linter all speak it.
 */
export type Severity = 'fatal' | 'warning';

export interface ValidationIssue {
  /** Stable rule id: an EN 16931 / PEPPOL / NO rule id where one applies (BR-CO-15, PEPPOL-EN16931-R001, NO-R-001), else ours (FF-…). */
  rule: string;
  severity: Severity;
  message: string;
  /** Where: a JSON pointer-ish path into our JSON (`/lines/0/vatRate`), an XPath into UBL, or `file:line:col` for rule files. */
  path: string;
}

export const isFatal = (issue: ValidationIssue): boolean => issue.severity === 'fatal';

export function issue(rule: string, message: string, path: string, severity: Severity = 'fatal'): ValidationIssue {
  return { rule, severity, message, path };
}
