/**
 * EN 16931 document totals (BG-22) and VAT breakdown (BG-23), computed from the invoice's lines and document-level
 * allowances and charges. A pure function from the model to `Totals`; rounding happens in `money.ts` only.
 *
 * ERP-supplied amounts (`suppliedTotals`, a line's `lineNetAmount`) are never used here: `checks.ts` compares
 * them with what this computes and reports every disagreement with its rule id.
 */
import { percentOf, pricedAmount, round2, sumAmounts } from './money.js';
import type { AllowanceCharge, Invoice, InvoiceLine, Totals, VatBreakdown, VatCategory } from './model.js';
import { DEFAULT_EXEMPTION, needsExemptionReason } from './vat-categories.js';

/** Price base quantity (BT-149); absent or non-positive counts as 1, as the Peppol R120 check does (R121 reports it). */
export function baseQuantityOf(line: Pick<InvoiceLine, 'baseQuantity'>): number {
  return line.baseQuantity !== undefined && line.baseQuantity > 0 ? line.baseQuantity : 1;
}

function amountsOf(allowanceCharges: readonly AllowanceCharge[] | undefined, charge: boolean): number[] {
  return (allowanceCharges ?? []).filter((ac) => ac.charge === charge).map((ac) => ac.amount);
}

/**
 * Invoice line net amount (BT-131) = round2(quantity × net price / base quantity) + Σ line charges − Σ line
 * allowances (EN 16931 BT-131 definition; PEPPOL-EN16931-R120).
 */
export function lineNetAmount(line: InvoiceLine): number {
  const priced = pricedAmount(line.quantity, line.unitPrice, baseQuantityOf(line));
  const charges = sumAmounts(amountsOf(line.allowanceCharges, true));
  const allowances = sumAmounts(amountsOf(line.allowanceCharges, false));
  return sumAmounts([priced, charges, -allowances]);
}

/** O carries no rate; grouping treats it as 0 so every O amount falls into one breakdown (BR-O-01). */
function rateOf(category: VatCategory, rate: number | undefined): number {
  if (category === 'O' || rate === undefined) return 0;
  return Number(rate.toPrecision(15)); // 25 and 25.000000000000004 are one group
}

interface Taxable {
  category: VatCategory;
  rate: number;
  amounts: number[];
}

/**
 * One VAT breakdown per (category, rate), in the order the categories first appear: taxable amount = Σ line net
 * amounts + Σ document charges − Σ document allowances of that category and rate (BR-S-08, BR-Z-08, BR-E-08,
 * BR-AE-08, BR-IC-08, BR-G-08, BR-O-08); tax = taxable × rate / 100 rounded to two decimals (BR-CO-17), which is
 * 0 for every category but S (BR-Z-09, BR-E-09, …).
 */
export function vatBreakdown(invoice: Invoice, lineNets: readonly number[] = invoice.lines.map(lineNetAmount)): VatBreakdown[] {
  const groups = new Map<string, Taxable>();
  const add = (category: VatCategory, rate: number | undefined, amount: number): void => {
    const normalisedRate = rateOf(category, rate);
    const key = `${category}|${normalisedRate}`;
    const group = groups.get(key) ?? { category, rate: normalisedRate, amounts: [] };
    group.amounts.push(amount);
    groups.set(key, group);
  };
  invoice.lines.forEach((line, index) => add(line.taxCode, line.vatRate, lineNets[index]!));
  for (const ac of invoice.allowanceCharges ?? []) {
    // A document-level allowance/charge without a category is an error (BR-32, BR-37) that checks.ts reports;
    // it cannot be placed in any breakdown.
    if (ac.taxCode === undefined) continue;
    add(ac.taxCode, ac.vatRate, ac.charge ? ac.amount : -ac.amount);
  }
  return [...groups.values()].map(({ category, rate, amounts }) => {
    const taxableAmount = sumAmounts(amounts);
    const breakdown: VatBreakdown = {
      category,
      rate,
      taxableAmount,
      taxAmount: category === 'S' ? percentOf(taxableAmount, rate) : 0,
    };
    return { ...breakdown, ...exemptionFor(invoice, category) };
  });
}

/** The ERP's reason for the category when given, else the standard one (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
function exemptionFor(invoice: Invoice, category: VatCategory): Pick<VatBreakdown, 'exemptionReason' | 'exemptionReasonCode'> {
  if (!needsExemptionReason(category)) return {}; // BR-S-10, BR-Z-10
  const given = invoice.vatExemptions?.find((exemption) => exemption.category === category);
  const source = given ?? DEFAULT_EXEMPTION[category] ?? {};
  const result: Pick<VatBreakdown, 'exemptionReason' | 'exemptionReasonCode'> = {};
  if (source.exemptionReasonCode !== undefined) result.exemptionReasonCode = source.exemptionReasonCode;
  if (source.exemptionReason !== undefined) result.exemptionReason = source.exemptionReason;
  return result;
}

/** Document totals per EN 16931 BR-CO-10…BR-CO-16. */
export function computeTotals(invoice: Invoice): Totals {
  const lineNetAmounts = invoice.lines.map(lineNetAmount);
  const lineExtensionAmount = sumAmounts(lineNetAmounts); // BR-CO-10
  const allowanceTotalAmount = sumAmounts(amountsOf(invoice.allowanceCharges, false)); // BR-CO-11
  const chargeTotalAmount = sumAmounts(amountsOf(invoice.allowanceCharges, true)); // BR-CO-12
  const taxExclusiveAmount = sumAmounts([lineExtensionAmount, -allowanceTotalAmount, chargeTotalAmount]); // BR-CO-13
  const breakdown = vatBreakdown(invoice, lineNetAmounts);
  const taxAmount = sumAmounts(breakdown.map((group) => group.taxAmount)); // BR-CO-14
  const taxInclusiveAmount = sumAmounts([taxExclusiveAmount, taxAmount]); // BR-CO-15
  const prepaidAmount = round2(invoice.prepaidAmount ?? 0);
  const roundingAmount = round2(invoice.roundingAmount ?? 0);
  const payableAmount = sumAmounts([taxInclusiveAmount, -prepaidAmount, roundingAmount]); // BR-CO-16
  return {
    lineNetAmounts,
    lineExtensionAmount,
    allowanceTotalAmount,
    chargeTotalAmount,
    taxExclusiveAmount,
    taxAmount,
    taxInclusiveAmount,
    prepaidAmount,
    roundingAmount,
    payableAmount,
    vatBreakdown: breakdown,
  };
}

/**
 * The totals the sender's own document states: their EHF XML travels as it is, so its figures, not our recomputation,
 * are what the buyer books and pays, and what our PDF, payment slip and routing must show. Each figure they gave
 * (line amounts, BG-22 totals, the BG-23 breakdown), ours where they gave none. Our checks compare the two
 * (checks/supplied-totals.ts); a document reaches this point only when its figures meet the official rules.
 */
export function documentTotals(invoice: Invoice, computed: Totals): Totals {
  const supplied = invoice.suppliedTotals ?? {};
  const vatBreakdown =
    supplied.vatBreakdown && supplied.vatBreakdown.length > 0
      ? supplied.vatBreakdown.map((group) => ({ ...exemptionFor(invoice, group.category), ...group }))
      : computed.vatBreakdown;
  return {
    lineNetAmounts: invoice.lines.map((line, index) => line.lineNetAmount ?? computed.lineNetAmounts[index]!),
    lineExtensionAmount: supplied.lineExtensionAmount ?? computed.lineExtensionAmount,
    allowanceTotalAmount: supplied.allowanceTotalAmount ?? computed.allowanceTotalAmount,
    chargeTotalAmount: supplied.chargeTotalAmount ?? computed.chargeTotalAmount,
    taxExclusiveAmount: supplied.taxExclusiveAmount ?? computed.taxExclusiveAmount,
    taxAmount: supplied.taxAmount ?? computed.taxAmount,
    taxInclusiveAmount: supplied.taxInclusiveAmount ?? computed.taxInclusiveAmount,
    prepaidAmount: computed.prepaidAmount,
    roundingAmount: computed.roundingAmount,
    payableAmount: supplied.payableAmount ?? computed.payableAmount,
    vatBreakdown,
  };
}
