/**
 * The sender's totals and VAT breakdown (their EHF XML's, or the `suppliedTotals` of our JSON) against EN 16931, in
 * two steps (official-tolerances.ts):
 * 1. the official rule exactly as the Schematron evaluates it on the sender's own figures, with its tolerance
 *    (BR-CO-10…16 exact; BR-S-08 and BR-CO-17 within ± 1; BR-Z-08 etc. exact): the official rule id, fatal;
 * 2. where the official rule holds but the figure differs from our exact computation: FF-VAT-TAXABLE,
 *    FF-VAT-AMOUNT and, when we replace the sender's figures (JSON), FF-TOTAL (the ERP booked a total the invoice we
 *    write will not carry). A VAT group that follows from the sender's line amounts is not reported again for a line
 *    amount that FF-LINE-NET reports; in their own XML, neither is a total.
 */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import type { Invoice, SuppliedTotals, Totals, VatBreakdown } from '../model.js';
import { Decimal, decimalsOf, percentOf, sameAmount, sumAmounts } from '../money.js';
import { CATEGORY_NAME, RULE_FAMILY } from '../vat-categories.js';
import { stricterSeverity, withinOne, type SenderFigures } from './official-tolerances.js';

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

/** The sender's line net amounts, ours where they gave none. */
function senderLineNets(invoice: Invoice, totals: Totals): number[] {
  return invoice.lines.map((line, index) => line.lineNetAmount ?? totals.lineNetAmounts[index] ?? 0);
}

/**
 * What each total must be by the official rules, computed from the sender's own figures (each one they did not give
 * is ours): BR-CO-10 sums their line amounts, BR-CO-13 takes their line total, BR-CO-15 their VAT total, and so on.
 */
function officialExpectations(invoice: Invoice, supplied: SuppliedTotals, totals: Totals): Record<TotalField, number> {
  const given = (field: TotalField, fallback: number): number => supplied[field] ?? fallback;
  const lineExtensionAmount = sumAmounts(senderLineNets(invoice, totals));
  const taxExclusiveAmount = sumAmounts([
    given('lineExtensionAmount', totals.lineExtensionAmount),
    -given('allowanceTotalAmount', totals.allowanceTotalAmount),
    given('chargeTotalAmount', totals.chargeTotalAmount),
  ]);
  const taxAmount = supplied.vatBreakdown ? sumAmounts(supplied.vatBreakdown.map((group) => group.taxAmount)) : totals.taxAmount;
  const taxInclusiveAmount = sumAmounts([given('taxExclusiveAmount', totals.taxExclusiveAmount), given('taxAmount', totals.taxAmount)]);
  const payableAmount = sumAmounts([given('taxInclusiveAmount', totals.taxInclusiveAmount), -totals.prepaidAmount, totals.roundingAmount]);
  return {
    lineExtensionAmount,
    allowanceTotalAmount: totals.allowanceTotalAmount, // the document's own allowances, which we never change
    chargeTotalAmount: totals.chargeTotalAmount,
    taxExclusiveAmount,
    taxAmount,
    taxInclusiveAmount,
    payableAmount,
  };
}

function totalIssues(invoice: Invoice, supplied: SuppliedTotals, totals: Totals, figures: SenderFigures): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const expected = officialExpectations(invoice, supplied, totals);
  for (const field of Object.keys(TOTAL_RULES) as TotalField[]) {
    const value = supplied[field];
    if (value === undefined) continue;
    const [rule, decimalsRule, definition] = TOTAL_RULES[field];
    const path = `/suppliedTotals/${field}`;
    if (decimalsOf(value) > 2) issues.push(issue(decimalsRule, `${field} may have at most two decimals.`, path));
    else if (!sameAmount(value, expected[field])) {
      issues.push(issue(rule, `${definition}: supplied ${value}, by your own figures ${expected[field]}.`, path));
    } else if (figures === 'replaced' && !sameAmount(value, totals[field])) {
      // FF-TOTAL: consistent with the ERP's own figures, but the invoice we write carries ours.
      issues.push(
        issue('FF-TOTAL', `${field}: supplied ${value}, but the invoice computes ${totals[field]} (see the line or VAT findings for why).`, path, stricterSeverity(figures)),
      );
    }
  }
  return issues;
}

const keyOf = (group: Pick<VatBreakdown, 'category' | 'rate'>): string => `${group.category}|${group.category === 'O' ? 0 : Decimal.of(group.rate).toString()}`;

const label = (group: Pick<VatBreakdown, 'category' | 'rate'>): string =>
  group.category === 'O' ? CATEGORY_NAME.O : `${CATEGORY_NAME[group.category]} ${group.rate} %`;

/** Σ the sender's line nets + document charges − allowances of each (category, rate): what BR-S-08 etc. compare with. */
function senderTaxableAmounts(invoice: Invoice, totals: Totals): Map<string, number> {
  const amounts = new Map<string, number[]>();
  const add = (key: string, amount: number) => amounts.set(key, [...(amounts.get(key) ?? []), amount]);
  const nets = senderLineNets(invoice, totals);
  invoice.lines.forEach((line, index) => add(keyOf({ category: line.taxCode, rate: line.vatRate }), nets[index]!));
  for (const ac of invoice.allowanceCharges ?? []) {
    if (ac.taxCode !== undefined) add(keyOf({ category: ac.taxCode, rate: ac.vatRate ?? 0 }), ac.charge ? ac.amount : -ac.amount);
  }
  return new Map([...amounts].map(([key, list]) => [key, sumAmounts(list)]));
}

function breakdownIssues(invoice: Invoice, supplied: readonly VatBreakdown[], totals: Totals, figures: SenderFigures): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const computed = new Map(totals.vatBreakdown.map((group) => [keyOf(group), group]));
  const sender = senderTaxableAmounts(invoice, totals);
  const suppliedKeys = new Set(supplied.map(keyOf));
  supplied.forEach((group, index) => {
    const path = `/suppliedTotals/vatBreakdown/${index}`;
    const family = RULE_FAMILY[group.category];
    if (decimalsOf(group.taxableAmount) > 2) issues.push(issue('BR-DEC-19', 'The taxable amount may have at most two decimals.', `${path}/taxableAmount`));
    if (decimalsOf(group.taxAmount) > 2) issues.push(issue('BR-DEC-20', 'The tax amount may have at most two decimals.', `${path}/taxAmount`));
    // BR-S-08 (± 1), BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08 (exact): taxable = Σ line nets + charges − allowances.
    const bySender = sender.get(keyOf(group)) ?? 0;
    const exact = computed.get(keyOf(group))?.taxableAmount ?? 0;
    const officialHolds = group.category === 'S' ? withinOne(group.taxableAmount, bySender) : sameAmount(group.taxableAmount, bySender);
    if (!officialHolds) {
      issues.push(issue(`${family}-08`, `${label(group)}: taxable amount supplied ${group.taxableAmount}, by your own line amounts ${bySender}.`, `${path}/taxableAmount`));
    } else if (!sameAmount(group.taxableAmount, bySender)) {
      issues.push(
        issue(
          'FF-VAT-TAXABLE',
          `${label(group)}: taxable amount ${group.taxableAmount} is not Σ line net amounts + charges − allowances = ${bySender} (BR-S-08 tolerates up to 1; exact ${exact}).`,
          `${path}/taxableAmount`,
          stricterSeverity(figures),
        ),
      );
    }
    if (group.category === 'S') {
      // BR-CO-17: |tax| = round2(|taxable| × rate / 100), within the group as supplied, strictly within ± 1.
      const expectedTax = percentOf(group.taxableAmount, group.rate);
      if (!withinOne(Math.abs(group.taxAmount), Math.abs(expectedTax))) {
        issues.push(issue('BR-CO-17', `${label(group)}: tax amount supplied ${group.taxAmount}, but ${group.taxableAmount} × ${group.rate} % = ${expectedTax}.`, `${path}/taxAmount`));
      } else if (!sameAmount(group.taxAmount, expectedTax)) {
        issues.push(
          issue(
            'FF-VAT-AMOUNT',
            `${label(group)}: tax amount ${group.taxAmount} is not ${group.taxableAmount} × ${group.rate} % = ${expectedTax} rounded to øre (BR-CO-17 tolerates up to 1).`,
            `${path}/taxAmount`,
            stricterSeverity(figures),
          ),
        );
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

export function suppliedTotalIssues(invoice: Invoice, totals: Totals, figures: SenderFigures = 'replaced'): ValidationIssue[] {
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
  issues.push(...totalIssues(invoice, supplied, totals, figures));
  if (supplied.vatBreakdown) issues.push(...breakdownIssues(invoice, supplied.vatBreakdown, totals, figures));
  return issues;
}
