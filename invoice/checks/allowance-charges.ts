/** Allowances and charges at document level (BG-20, BG-21) and line level (BG-27, BG-28). */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { UNCL_5189_ALLOWANCE_REASONS, UNCL_7161_CHARGE_REASONS } from '../code-lists.js';
import type { AllowanceCharge } from '../model.js';
import { Decimal, decimalsOf, percentOf, sameAmount } from '../money.js';
import { withinSlack } from './official-tolerances.js';
import { CATEGORY_NAME, RULE_FAMILY, isVatCategory, rateIsValid } from '../vat-categories.js';

type Level = 'document' | 'line';

/** The EN 16931 rule ids differ by level and by allowance/charge; this table keeps them in one place. */
const RULES = {
  document: {
    allowance: { reason: 'BR-33', amountDecimals: 'BR-DEC-01', baseDecimals: 'BR-DEC-02', category: 'BR-32', rateSuffix: '06' },
    charge: { reason: 'BR-38', amountDecimals: 'BR-DEC-05', baseDecimals: 'BR-DEC-06', category: 'BR-37', rateSuffix: '07' },
  },
  line: {
    allowance: { reason: 'BR-42', amountDecimals: 'BR-DEC-24', baseDecimals: 'BR-DEC-25', category: '', rateSuffix: '' },
    charge: { reason: 'BR-44', amountDecimals: 'BR-DEC-27', baseDecimals: 'BR-DEC-28', category: '', rateSuffix: '' },
  },
} as const;

export function allowanceChargeIssues(ac: AllowanceCharge, path: string, level: Level): ValidationIssue[] {
  const kind = ac.charge ? 'charge' : 'allowance';
  const rules = RULES[level][kind];
  const issues: ValidationIssue[] = [];

  if (decimalsOf(ac.amount) > 2) {
    issues.push(issue(rules.amountDecimals, `The ${kind} amount may have at most two decimals.`, `${path}/amount`));
  }
  if (ac.baseAmount !== undefined && decimalsOf(ac.baseAmount) > 2) {
    issues.push(issue(rules.baseDecimals, `The ${kind} base amount may have at most two decimals.`, `${path}/baseAmount`));
  }
  if ((ac.reason ?? '').trim() === '' && (ac.reasonCode ?? '').trim() === '') {
    issues.push(issue(rules.reason, `Each ${kind} shall have a reason or a reason code.`, path));
  }
  if (ac.reasonCode !== undefined) {
    const [list, rule, name] = ac.charge
      ? [UNCL_7161_CHARGE_REASONS, 'PEPPOL-EN16931-CL003', 'UNCL 7161']
      : [UNCL_5189_ALLOWANCE_REASONS, 'PEPPOL-EN16931-CL002', 'the Peppol subset of UNCL 5189'];
    if (!list.has(ac.reasonCode)) issues.push(issue(rule, `Reason code "${ac.reasonCode}" is not in ${name}.`, `${path}/reasonCode`));
  }
  if (ac.percentage !== undefined && ac.baseAmount === undefined) {
    issues.push(issue('PEPPOL-EN16931-R041', 'A base amount must be provided when a percentage is provided.', `${path}/baseAmount`));
  }
  if (ac.percentage === undefined && ac.baseAmount !== undefined) {
    issues.push(issue('PEPPOL-EN16931-R042', 'A percentage must be provided when a base amount is provided.', `${path}/percentage`));
  }
  if (ac.percentage !== undefined && ac.baseAmount !== undefined) {
    const expected = percentOf(ac.baseAmount, ac.percentage);
    if (!withinSlack(ac.amount, Decimal.of(ac.baseAmount).times(ac.percentage).dividedBy(100, 20), 0.02)) {
      // PEPPOL-EN16931-R040 as Peppol evaluates it: amount = base × percentage / 100, unrounded, ± 0.02.
      issues.push(issue('PEPPOL-EN16931-R040', `The ${kind} amount ${ac.amount} must equal base amount × percentage / 100 = ${expected} (± 0.02).`, `${path}/amount`));
    } else if (!sameAmount(ac.amount, expected)) {
      // The amount is written as given, in our JSON as in the sender's XML: the document stays consistent, so a warning.
      issues.push(
        issue('FF-ALLOWANCE-AMOUNT', `The ${kind} amount ${ac.amount} is not base amount × percentage / 100 rounded to øre = ${expected} (PEPPOL-EN16931-R040 tolerates up to 0.02).`, `${path}/amount`, 'warning'),
      );
    }
  }
  if (level === 'document') issues.push(...documentVatIssues(ac, path, rules.category, rules.rateSuffix));
  return issues;
}

/** A document-level allowance/charge needs a VAT category (BR-32, BR-37) and a rate that fits it (BR-S-06, BR-Z-07, …). */
function documentVatIssues(ac: AllowanceCharge, path: string, categoryRule: string, rateSuffix: string): ValidationIssue[] {
  const kind = ac.charge ? 'charge' : 'allowance';
  if (ac.taxCode === undefined) return [issue(categoryRule, `Each document level ${kind} shall have a VAT category code (taxCode).`, `${path}/taxCode`)];
  if (!isVatCategory(ac.taxCode)) return [issue('BR-CL-18', `VAT category "${String(ac.taxCode)}" is not supported.`, `${path}/taxCode`)];
  const rule = `${RULE_FAMILY[ac.taxCode]}-${rateSuffix}`;
  if (ac.taxCode === 'O') {
    // BR-O-06/07: no rate at all; 0 is tolerated in the model because the builder writes none.
    return ac.vatRate === undefined || ac.vatRate === 0 ? [] : [issue(rule, `A "${CATEGORY_NAME.O}" ${kind} shall not have a VAT rate.`, `${path}/vatRate`)];
  }
  if (ac.vatRate === undefined || !rateIsValid(ac.taxCode, ac.vatRate)) {
    const expected = ac.taxCode === 'S' ? 'above zero' : '0';
    return [issue(rule, `A "${CATEGORY_NAME[ac.taxCode]}" ${kind} shall have VAT rate ${expected}.`, `${path}/vatRate`)];
  }
  return [];
}
