/**
 * Document-level VAT rules per category: who must (or must not) carry a VAT id (BR-S-02…BR-O-04), the
 * not-subject-to-VAT exclusivity (BR-O-11), intra-community supply facts (BR-IC-11/12) and the exemption reasons
 * the ERP gave (BR-S-10, BR-Z-10, BR-E-10, BR-CL-22, PEPPOL-EN16931-P0104…P0111).
 */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { VATEX } from '../code-lists.js';
import type { Invoice, Totals, VatCategory } from '../model.js';
import { CATEGORY_NAME, RULE_FAMILY, VATEX_CATEGORY, needsExemptionReason } from '../vat-categories.js';

type Source = 'line' | 'allowance' | 'charge';

/** Rule suffix per source: an invoice line (-02), a document allowance (-03), a document charge (-04). */
const SUFFIX: Record<Source, string> = { line: '02', allowance: '03', charge: '04' };

function categoriesBySource(invoice: Invoice): Map<VatCategory, Set<Source>> {
  const result = new Map<VatCategory, Set<Source>>();
  const add = (category: VatCategory | undefined, source: Source): void => {
    if (category === undefined) return;
    const sources = result.get(category) ?? new Set<Source>();
    sources.add(source);
    result.set(category, sources);
  };
  invoice.lines.forEach((line) => add(line.taxCode, 'line'));
  invoice.allowanceCharges?.forEach((ac) => add(ac.taxCode, ac.charge ? 'charge' : 'allowance'));
  return result;
}

/**
 * What each category demands of the parties' VAT identifiers. The seller's "tax registration identifier" (BT-32)
 * is the PartyTaxScheme TAX entry, which for Norway is «Foretaksregisteret»; the CEN Schematron accepts it where
 * the rule text does.
 */
/** What the category demands of the parties and is missing, and where in our JSON it belongs. */
function partyRequirement(invoice: Invoice, category: VatCategory): { missing: string; path: string } | undefined {
  const seller = invoice.supplier;
  const buyer = invoice.buyer;
  const sellerVatOrTaxRegistration = seller.vatId !== undefined || seller.foretaksregisteret === true;
  const ofSeller = (missing: string) => ({ missing, path: '/supplier/vatId' });
  const ofBuyer = (missing: string) => ({ missing, path: '/buyer/vatId' });
  switch (category) {
    case 'S':
    case 'Z':
    case 'E':
      return sellerVatOrTaxRegistration ? undefined : ofSeller('the seller VAT identifier (supplier.vatId) or tax registration');
    case 'AE':
      if (!sellerVatOrTaxRegistration) return ofSeller('the seller VAT identifier (supplier.vatId)');
      return buyer.vatId !== undefined || buyer.taxId !== undefined || buyer.companyId !== undefined
        ? undefined
        : ofBuyer('the buyer VAT identifier or legal registration identifier');
    case 'K':
      if (seller.vatId === undefined) return ofSeller('the seller VAT identifier (supplier.vatId)');
      return buyer.vatId === undefined ? ofBuyer('the buyer VAT identifier (buyer.vatId)') : undefined;
    case 'G':
      return seller.vatId === undefined ? ofSeller('the seller VAT identifier (supplier.vatId)') : undefined;
    case 'O':
      return undefined; // the opposite demand, below
  }
}

function partyIssues(invoice: Invoice): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [category, sources] of categoriesBySource(invoice)) {
    for (const source of sources) {
      const rule = `${RULE_FAMILY[category]}-${SUFFIX[source]}`;
      if (category === 'O') {
        // BR-O-02/03/04: "Not subject to VAT" excludes every VAT identifier on the invoice.
        if (invoice.supplier.vatId !== undefined || invoice.buyer.vatId !== undefined) {
          issues.push(
            issue(
              rule,
              'An invoice with "Not subject to VAT" amounts shall not contain the seller or buyer VAT identifier; set supplier.vatRegistered to false and drop the VAT ids, or use another category.',
              invoice.supplier.vatId !== undefined ? '/supplier/vatId' : '/buyer/vatId',
            ),
          );
        }
        continue;
      }
      const requirement = partyRequirement(invoice, category);
      if (requirement !== undefined) {
        issues.push(issue(rule, `An invoice with "${CATEGORY_NAME[category]}" amounts shall contain ${requirement.missing}.`, requirement.path));
      }
    }
  }
  return issues;
}

function breakdownIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (invoice.lines.length > 0 && totals.vatBreakdown.length === 0) {
    issues.push(issue('BR-CO-18', 'An invoice shall have at least one VAT breakdown.', '/lines'));
  }
  if (totals.vatBreakdown.some((group) => group.category === 'O') && totals.vatBreakdown.some((group) => group.category !== 'O')) {
    // BR-O-11…14: "Not subject to VAT" cannot be mixed with any other category.
    issues.push(issue('BR-O-11', 'An invoice with "Not subject to VAT" amounts shall not contain other VAT categories.', '/lines'));
  }
  if (totals.vatBreakdown.some((group) => group.category === 'K')) {
    if (invoice.delivery?.date === undefined && invoice.invoicePeriod === undefined) {
      issues.push(issue('BR-IC-11', 'An intra-community supply needs the actual delivery date or the invoicing period.', '/delivery/date'));
    }
    if (invoice.delivery?.address?.country === undefined) {
      issues.push(issue('BR-IC-12', 'An intra-community supply needs the deliver-to country code.', '/delivery/address/country'));
    }
  }
  return issues;
}

function exemptionIssues(invoice: Invoice): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<VatCategory>();
  invoice.vatExemptions?.forEach((exemption, index) => {
    const path = `/vatExemptions/${index}`;
    const family = RULE_FAMILY[exemption.category];
    if (seen.has(exemption.category)) {
      issues.push(issue('FF-VAT-EXEMPTION-DUPLICATE', `Category ${exemption.category} has more than one exemption reason; the first is used.`, path, 'warning'));
    }
    seen.add(exemption.category);
    if (!needsExemptionReason(exemption.category)) {
      // BR-S-10, BR-Z-10
      issues.push(issue(`${family}-10`, `A "${CATEGORY_NAME[exemption.category]}" VAT breakdown shall not have an exemption reason.`, path));
      return;
    }
    if ((exemption.exemptionReason ?? '').trim() === '' && (exemption.exemptionReasonCode ?? '').trim() === '') {
      issues.push(issue(`${family}-10`, `A "${CATEGORY_NAME[exemption.category]}" VAT breakdown shall have an exemption reason text or code.`, path));
    }
    const code = exemption.exemptionReasonCode?.toUpperCase();
    if (code === undefined) return;
    if (!VATEX.has(code)) {
      issues.push(issue('BR-CL-22', `Exemption reason code "${exemption.exemptionReasonCode}" is not in the VATEX code list.`, `${path}/exemptionReasonCode`));
      return;
    }
    const reserved = VATEX_CATEGORY[code];
    if (reserved && reserved.category !== exemption.category) {
      issues.push(issue(reserved.rule, `Exemption reason code ${code} belongs to VAT category ${reserved.category}.`, `${path}/exemptionReasonCode`));
    }
  });
  return issues;
}

export function vatIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  return [...partyIssues(invoice), ...breakdownIssues(invoice, totals), ...exemptionIssues(invoice)];
}
