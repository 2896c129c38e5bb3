/** Invoice line checks (BG-25…BG-32). */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { ISO_3166_ALPHA2 } from '../code-lists.js';
import type { Invoice, InvoiceLine, Totals } from '../model.js';
import { Decimal, decimalsOf, sameAmount } from '../money.js';
import { baseQuantityOf } from '../totals.js';
import { stricterSeverity, withinSlack, type SenderFigures } from './official-tolerances.js';
import { CATEGORY_NAME, NORWEGIAN_STANDARD_RATES, RULE_FAMILY, isVatCategory, rateIsValid } from '../vat-categories.js';
import { allowanceChargeIssues } from './allowance-charges.js';
import { isBefore, isIsoDate } from './dates.js';
import { isNorwegian } from './parties.js';

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function priceIssues(line: InvoiceLine, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (line.unitPrice < 0) issues.push(issue('BR-27', 'The item net price (unitPrice) shall not be negative.', `${path}/unitPrice`));
  if (line.grossPrice !== undefined && line.grossPrice < 0) {
    issues.push(issue('BR-28', 'The item gross price shall not be negative.', `${path}/grossPrice`));
  }
  if (line.baseQuantity !== undefined && !(line.baseQuantity > 0)) {
    issues.push(issue('PEPPOL-EN16931-R121', 'The price base quantity must be above zero.', `${path}/baseQuantity`));
  }
  if (line.grossPrice !== undefined && line.priceDiscount !== undefined) {
    // PEPPOL-EN16931-R046 compares exactly: net price = gross price − price discount.
    const expected = Decimal.of(line.grossPrice).minus(line.priceDiscount);
    if (!expected.equals(line.unitPrice)) {
      issues.push(
        issue('PEPPOL-EN16931-R046', `The net price ${line.unitPrice} must equal gross price − price discount = ${expected}.`, `${path}/unitPrice`),
      );
    }
  } else if (line.grossPrice !== undefined && line.unitPrice > line.grossPrice) {
    // Without a discount the builder writes gross − net as the discount (ehf/ubl-builder.ts); it cannot be negative.
    issues.push(issue('FF-PRICE-DISCOUNT', `The net price ${line.unitPrice} is above the gross price ${line.grossPrice}: a price discount cannot be negative.`, `${path}/unitPrice`));
  }
  return issues;
}

function lineVatIssues(invoice: Invoice, line: InvoiceLine, path: string): ValidationIssue[] {
  if (!isVatCategory(line.taxCode)) {
    return [issue('BR-CL-18', `VAT category "${String(line.taxCode)}" is not supported.`, `${path}/taxCode`)];
  }
  if (!rateIsValid(line.taxCode, line.vatRate)) {
    // BR-S-05, BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05, BR-O-05
    const expected = line.taxCode === 'S' ? 'above zero' : line.taxCode === 'O' ? 'absent (0)' : '0';
    return [issue(`${RULE_FAMILY[line.taxCode]}-05`, `A "${CATEGORY_NAME[line.taxCode]}" line shall have VAT rate ${expected}.`, `${path}/vatRate`)];
  }
  if (line.taxCode === 'S' && isNorwegian(invoice.supplier) && !NORWEGIAN_STANDARD_RATES.includes(line.vatRate)) {
    return [
      issue('FF-NO-VAT-RATE', `${line.vatRate} % is not a Norwegian VAT rate (${NORWEGIAN_STANDARD_RATES.join(', ')}).`, `${path}/vatRate`, 'warning'),
    ];
  }
  return [];
}

function periodIssues(invoice: Invoice, line: InvoiceLine, path: string): ValidationIssue[] {
  const period = line.period;
  if (!period) return [];
  const issues: ValidationIssue[] = [];
  if (period.start === undefined && period.end === undefined) {
    issues.push(issue('BR-CO-20', 'A line period needs a start date, an end date or both.', `${path}/period`));
  }
  const start = period.start !== undefined && isIsoDate(period.start) ? period.start : undefined;
  const end = period.end !== undefined && isIsoDate(period.end) ? period.end : undefined;
  if (start && end && isBefore(end, start)) issues.push(issue('BR-30', 'The line period end date shall not be before its start date.', `${path}/period/end`));
  const invoiceStart = invoice.invoicePeriod?.start;
  const invoiceEnd = invoice.invoicePeriod?.end;
  if (start && invoiceStart && isIsoDate(invoiceStart) && isBefore(start, invoiceStart)) {
    issues.push(issue('PEPPOL-EN16931-R110', 'The line period must start within the invoice period.', `${path}/period/start`));
  }
  if (end && invoiceEnd && isIsoDate(invoiceEnd) && isBefore(invoiceEnd, end)) {
    issues.push(issue('PEPPOL-EN16931-R111', 'The line period must end within the invoice period.', `${path}/period/end`));
  }
  return issues;
}

function itemIssues(line: InvoiceLine, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (line.standardItemId && blank(line.standardItemId.schemeId)) {
    issues.push(issue('BR-64', 'The standard item identifier shall have a scheme identifier.', `${path}/standardItemId/schemeId`));
  }
  line.classifications?.forEach((classification, index) => {
    if (blank(classification.listId)) {
      issues.push(issue('BR-65', 'The item classification shall have a scheme identifier.', `${path}/classifications/${index}/listId`));
    }
  });
  line.properties?.forEach((property, index) => {
    if (blank(property.name) || blank(property.value)) {
      issues.push(issue('BR-54', 'Each item attribute shall contain a name and a value.', `${path}/properties/${index}`));
    }
  });
  if (line.originCountry !== undefined && !ISO_3166_ALPHA2.has(line.originCountry)) {
    issues.push(issue('BR-CL-15', `Origin country "${line.originCountry}" is not an ISO 3166-1 alpha-2 code.`, `${path}/originCountry`));
  }
  return issues;
}

/**
 * PEPPOL-EN16931-R120 as Peppol evaluates it: line net = quantity × (price ÷ base quantity) + Σ charges − Σ allowances,
 * unrounded, ± 0.02. The official rule reads the base quantity as 1 when it is absent or not positive (R121 reports that).
 */
function r120Expectation(line: InvoiceLine): Decimal {
  const adjustments = (line.allowanceCharges ?? []).reduce((sum, ac) => (ac.charge ? sum.plus(ac.amount) : sum.minus(ac.amount)), Decimal.ZERO);
  return Decimal.of(line.quantity).times(Decimal.of(line.unitPrice).dividedBy(baseQuantityOf(line), 20)).plus(adjustments);
}

function lineNetIssues(line: InvoiceLine, path: string, computedNet: number, figures: SenderFigures): ValidationIssue[] {
  if (line.lineNetAmount === undefined) return [];
  if (decimalsOf(line.lineNetAmount) > 2) return [issue('BR-DEC-23', 'The line net amount may have at most two decimals.', `${path}/lineNetAmount`)];
  if (!withinSlack(line.lineNetAmount, r120Expectation(line), 0.02)) {
    return [
      issue(
        'PEPPOL-EN16931-R120',
        `Line net amount ${line.lineNetAmount} must equal quantity × price / base quantity + charges − allowances = ${computedNet} (± 0.02).`,
        `${path}/lineNetAmount`,
      ),
    ];
  }
  if (sameAmount(line.lineNetAmount, computedNet)) return [];
  // FF-LINE-NET: within R120's tolerance, but not the amount rounded to øre (EN 16931 BT-131). Never replaced silently.
  return [
    issue(
      'FF-LINE-NET',
      `Line net amount ${line.lineNetAmount} is not quantity × price / base quantity + charges − allowances rounded to øre = ${computedNet} (PEPPOL-EN16931-R120 tolerates up to 0.02).`,
      `${path}/lineNetAmount`,
      stricterSeverity(figures),
    ),
  ];
}

function oneLineIssues(invoice: Invoice, line: InvoiceLine, index: number, computedNet: number, figures: SenderFigures): ValidationIssue[] {
  const path = `/lines/${index}`;
  const issues: ValidationIssue[] = [];
  if (blank(line.id)) issues.push(issue('BR-21', 'Each invoice line shall have an identifier.', `${path}/id`));
  if (blank(line.description)) issues.push(issue('BR-25', 'Each invoice line shall contain the item name (description).', `${path}/description`));
  if (!Number.isFinite(line.quantity)) issues.push(issue('BR-22', 'Each invoice line shall have an invoiced quantity.', `${path}/quantity`));
  if (blank(line.unitCode)) issues.push(issue('BR-23', 'Each invoice line shall have a unit of measure code.', `${path}/unitCode`));
  issues.push(...priceIssues(line, path));
  issues.push(...lineVatIssues(invoice, line, path));
  issues.push(...periodIssues(invoice, line, path));
  issues.push(...itemIssues(line, path));
  line.allowanceCharges?.forEach((ac, acIndex) => issues.push(...allowanceChargeIssues(ac, `${path}/allowanceCharges/${acIndex}`, 'line')));
  issues.push(...lineNetIssues(line, path, computedNet, figures));
  return issues;
}

export function lineIssues(invoice: Invoice, totals: Totals, figures: SenderFigures = 'replaced'): ValidationIssue[] {
  if (invoice.lines.length === 0) return [issue('BR-16', 'An invoice shall have at least one invoice line.', '/lines')];
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  invoice.lines.forEach((line, index) => {
    issues.push(...oneLineIssues(invoice, line, index, totals.lineNetAmounts[index] ?? 0, figures));
    const first = seen.get(line.id);
    if (first !== undefined) {
      issues.push(issue('FF-LINE-ID-UNIQUE', `Line id "${line.id}" is already used by line ${first + 1} (BT-126 identifies a line).`, `/lines/${index}/id`));
    } else seen.set(line.id, index);
  });
  return issues;
}
