/**
 * ERP-supplied totals against the computed ones. A supplied figure that differs by even one cent is an error with
 * the rule id that defines it (BR-CO-10…BR-CO-16, BR-S-08, BR-CO-17, …): the ERP has booked that figure, so
 * sending a different one would split the ledger from the invoice. It is never overwritten silently.
 */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import type { Invoice, SuppliedTotals, Totals, VatBreakdown } from '../model.js';
import { decimalsOf, percentOf, sameAmount } from '../money.js';
import { CATEGORY_NAME, RULE_FAMILY } from '../vat-categories.js';

type TotalField = Exclude<keyof SuppliedTotals, 'vatBreakdown'>;

/** Field → [the rule that defines it, its BR-DEC rule, what it is]. */
const TOTAL_RULES: Record<TotalField, [string, string, string]> = {
  lineExtensionAmount: ['BR-CO-10', 'BR-DEC-09', 'Sum of line net amounts = Σ line net amounts'],
  allowanceTotalAmount: ['BR-CO-11', 'BR-DEC-10', 'Sum of allowances = Σ document level allowances'],
  chargeTotalAmount: ['BR-CO-12', 'BR-DEC-11', 'Sum of charges = Σ document level charges'],
  taxExclusiveAmount: ['BR-CO-13', 'BR-DEC-12', 'Total without VAT = Σ line net amounts − allowances + charges'],
  taxAmount: ['BR-CO-14', 'BR-DEC-13', 'Total VAT = Σ VAT category tax amounts'],
  taxInclusiveAmount: ['BR-CO-15', 'BR-DEC-14', 'Total with VAT = total without VAT + total VAT'],
  payableAmount: ['BR-CO-16', 'BR-DEC-18', 'Amount due = total with VAT − paid amount + rounding amount'],
};

function totalIssues(supplied: SuppliedTotals, totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const field of Object.keys(TOTAL_RULES) as TotalField[]) {
    const value = supplied[field];
    if (value === undefined) continue;
    const [rule, decimalsRule, definition] = TOTAL_RULES[field];
    const path = `/suppliedTotals/${field}`;
    if (decimalsOf(value) > 2) issues.push(issue(decimalsRule, `${field} may have at most two decimals.`, path));
    else if (!sameAmount(value, totals[field])) {
      issues.push(issue(rule, `${definition}: supplied ${value}, computed ${totals[field]}.`, path));
    }
  }
  return issues;
}

const keyOf = (group: Pick<VatBreakdown, 'category' | 'rate'>): string =>
  `${group.category}|${group.category === 'O' ? 0 : Number(group.rate.toPrecision(15))}`;

const label = (group: Pick<VatBreakdown, 'category' | 'rate'>): string =>
  group.category === 'O' ? CATEGORY_NAME.O : `${CATEGORY_NAME[group.category]} ${group.rate} %`;

function breakdownIssues(supplied: readonly VatBreakdown[], totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const computed = new Map(totals.vatBreakdown.map((group) => [keyOf(group), group]));
  const suppliedKeys = new Set(supplied.map(keyOf));
  supplied.forEach((group, index) => {
    const path = `/suppliedTotals/vatBreakdown/${index}`;
    const family = RULE_FAMILY[group.category];
    if (decimalsOf(group.taxableAmount) > 2) issues.push(issue('BR-DEC-19', 'The taxable amount may have at most two decimals.', `${path}/taxableAmount`));
    if (decimalsOf(group.taxAmount) > 2) issues.push(issue('BR-DEC-20', 'The tax amount may have at most two decimals.', `${path}/taxAmount`));
    const expected = computed.get(keyOf(group));
    // BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08: taxable = Σ line nets + charges − allowances.
    const expectedTaxable = expected?.taxableAmount ?? 0;
    if (!sameAmount(group.taxableAmount, expectedTaxable)) {
      issues.push(
        issue(`${family}-08`, `${label(group)}: taxable amount supplied ${group.taxableAmount}, computed ${expectedTaxable}.`, `${path}/taxableAmount`),
      );
    }
    if (group.category === 'S') {
      // BR-CO-17: tax = taxable × rate / 100, rounded to two decimals, within the group as supplied.
      const expectedTax = percentOf(group.taxableAmount, group.rate);
      if (!sameAmount(group.taxAmount, expectedTax)) {
        issues.push(issue('BR-CO-17', `${label(group)}: tax amount supplied ${group.taxAmount}, but ${group.taxableAmount} × ${group.rate} % = ${expectedTax}.`, `${path}/taxAmount`));
      }
    } else if (!sameAmount(group.taxAmount, 0)) {
      // BR-Z-09, BR-E-09, BR-AE-09, BR-IC-09, BR-G-09, BR-O-09
      issues.push(issue(`${family}-09`, `${label(group)}: the tax amount shall be 0.`, `${path}/taxAmount`));
    }
  });
  for (const group of totals.vatBreakdown) {
    if (suppliedKeys.has(keyOf(group))) continue;
    const categoryMissing = !supplied.some((s) => s.category === group.category);
    // BR-S-01 etc. when the category is missing altogether; BR-S-08 when only this rate is.
    const rule = `${RULE_FAMILY[group.category]}-${categoryMissing ? '01' : '08'}`;
    issues.push(issue(rule, `The supplied VAT breakdown lacks ${label(group)} (taxable ${group.taxableAmount}).`, '/suppliedTotals/vatBreakdown'));
  }
  return issues;
}

export function suppliedTotalIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (invoice.prepaidAmount !== undefined && decimalsOf(invoice.prepaidAmount) > 2) {
    issues.push(issue('BR-DEC-16', 'The paid amount may have at most two decimals.', '/prepaidAmount'));
  }
  if (invoice.roundingAmount !== undefined) {
    if (decimalsOf(invoice.roundingAmount) > 2) issues.push(issue('BR-DEC-17', 'The rounding amount may have at most two decimals.', '/roundingAmount'));
    if (Math.abs(invoice.roundingAmount) >= 1) {
      issues.push(issue('FF-ROUNDING', `A rounding amount of ${invoice.roundingAmount} is more than rounding to whole kroner needs.`, '/roundingAmount', 'warning'));
    }
  }
  const supplied = invoice.suppliedTotals;
  if (!supplied) return issues;
  issues.push(...totalIssues(supplied, totals));
  if (supplied.vatBreakdown) issues.push(...breakdownIssues(supplied.vatBreakdown, totals));
  return issues;
}
