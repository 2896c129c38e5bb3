/** Document-level checks: numbers, dates, currencies, type code, references, notes, attachments. */
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { ATTACHMENT_MIME_CODES, ISO_4217 } from '../code-lists.js';
import type { Invoice, Totals } from '../model.js';
import { decimalsOf } from '../money.js';
import { isBefore, isIsoDate } from './dates.js';
import { addressIssues } from './parties.js';

const PEPPOL_PROFILE = /^urn:fdc:peppol\.eu:2017:poacc:billing:\d{2}:1\.0$/;
/** Added in BIS Billing 3.0.21 (base-example_profile02.xml): the invoice expects an Invoice Response. */
const PEPPOL_PROFILE_WITH_RESPONSE = 'urn:peppol:bis:billing_with_response';

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** Every date of the model with its path; each must be YYYY-MM-DD (PEPPOL-EN16931-F001). */
function datesOf(invoice: Invoice): [string, string | undefined][] {
  return [
    ['/dueDate', invoice.dueDate],
    ['/taxPointDate', invoice.taxPointDate],
    ['/invoicePeriod/start', invoice.invoicePeriod?.start],
    ['/invoicePeriod/end', invoice.invoicePeriod?.end],
    ['/delivery/date', invoice.delivery?.date],
    ...(invoice.billingReferences ?? []).map((ref, i): [string, string | undefined] => [`/billingReferences/${i}/issueDate`, ref.issueDate]),
    ...invoice.lines.flatMap((line, i): [string, string | undefined][] => [
      [`/lines/${i}/period/start`, line.period?.start],
      [`/lines/${i}/period/end`, line.period?.end],
    ]),
  ];
}

function dateIssues(invoice: Invoice): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (blank(invoice.issueDate)) issues.push(issue('BR-03', 'An invoice shall have an issue date.', '/issueDate'));
  else if (!isIsoDate(invoice.issueDate)) issues.push(issue('PEPPOL-EN16931-F001', `Issue date "${invoice.issueDate}" must be YYYY-MM-DD.`, '/issueDate'));
  for (const [path, value] of datesOf(invoice)) {
    if (value !== undefined && !isIsoDate(value)) issues.push(issue('PEPPOL-EN16931-F001', `Date "${value}" must be a real date as YYYY-MM-DD.`, path));
  }
  if (invoice.dueDate && isIsoDate(invoice.dueDate) && isIsoDate(invoice.issueDate) && isBefore(invoice.dueDate, invoice.issueDate)) {
    issues.push(issue('FF-DUE-DATE', `The due date ${invoice.dueDate} is before the issue date ${invoice.issueDate}.`, '/dueDate', 'warning'));
  }
  const period = invoice.invoicePeriod;
  if (period) {
    if (period.start === undefined && period.end === undefined) issues.push(issue('BR-CO-19', 'An invoicing period needs a start date, an end date or both.', '/invoicePeriod'));
    if (period.start && period.end && isIsoDate(period.start) && isIsoDate(period.end) && isBefore(period.end, period.start)) {
      issues.push(issue('BR-29', 'The invoicing period end date shall not be before its start date.', '/invoicePeriod/end'));
    }
  }
  return issues;
}

function currencyIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (blank(invoice.currency)) issues.push(issue('BR-05', 'An invoice shall have a currency code.', '/currency'));
  else if (!ISO_4217.has(invoice.currency)) issues.push(issue('BR-CL-04', `Currency "${invoice.currency}" is not an ISO 4217 code.`, '/currency'));
  if (invoice.taxCurrency === undefined) return issues;
  if (!ISO_4217.has(invoice.taxCurrency)) issues.push(issue('BR-CL-05', `VAT currency "${invoice.taxCurrency}" is not an ISO 4217 code.`, '/taxCurrency'));
  if (invoice.taxCurrency === invoice.currency) {
    issues.push(issue('PEPPOL-EN16931-R005', 'The VAT accounting currency must differ from the invoice currency when given.', '/taxCurrency'));
  }
  const taxInTaxCurrency = invoice.taxAmountInTaxCurrency;
  if (taxInTaxCurrency === undefined) {
    issues.push(issue('BR-53', 'With a VAT accounting currency, the total VAT in that currency (taxAmountInTaxCurrency) is required.', '/taxAmountInTaxCurrency'));
  } else {
    if (decimalsOf(taxInTaxCurrency) > 2) issues.push(issue('BR-DEC-15', 'The VAT total in accounting currency may have at most two decimals.', '/taxAmountInTaxCurrency'));
    if (Math.sign(taxInTaxCurrency) * Math.sign(totals.taxAmount) < 0) {
      issues.push(issue('PEPPOL-EN16931-R055', 'The VAT total and the VAT total in accounting currency must have the same sign.', '/taxAmountInTaxCurrency'));
    }
  }
  return issues;
}

/** Peppol relaxes some rules for invoices between two German parties (XRechnung). */
function bothGerman(invoice: Invoice): boolean {
  return invoice.supplier.address?.country === 'DE' && invoice.buyer.address?.country === 'DE';
}

function typeIssues(invoice: Invoice): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const expected = invoice.documentType === 'creditNote' ? ['381'] : ['380', '384'];
  if (!expected.includes(invoice.typeCode)) {
    issues.push(issue('FF-TYPE-CODE', `A ${invoice.documentType} takes type code ${expected.join(' or ')}, not ${invoice.typeCode}.`, '/typeCode'));
  }
  if (invoice.typeCode === '384' && !bothGerman(invoice)) {
    // Peppol BIS 3.0.19+: 384 (corrected invoice) only between German parties. A Norwegian correction is a
    // credit note plus a new invoice (bokføringsforskriften § 5-2-8).
    issues.push(issue('PEPPOL-EN16931-P0112', 'Invoice type code 384 is only allowed when both buyer and seller are German; send a credit note and a new invoice.', '/typeCode'));
  }
  if (invoice.profileId !== undefined && !PEPPOL_PROFILE.test(invoice.profileId) && invoice.profileId !== PEPPOL_PROFILE_WITH_RESPONSE) {
    issues.push(issue('PEPPOL-EN16931-R007', `Business process "${invoice.profileId}" must be urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.`, '/profileId'));
  }
  return issues;
}

/** Whether the builder writes a PaymentMeans: it needs an account, a payment reference or a means code. */
function hasPaymentMeans(invoice: Invoice): boolean {
  const p = invoice.payment;
  return p !== undefined && [p.iban, p.account, p.otherAccount, p.kid, p.remittanceInformation, p.meansCode].some((v) => v !== undefined);
}

function referenceIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (blank(invoice.invoiceNumber)) issues.push(issue('BR-02', 'An invoice shall have an invoice number.', '/invoiceNumber'));
  invoice.billingReferences?.forEach((ref, i) => {
    if (blank(ref.id)) issues.push(issue('BR-55', 'Each preceding invoice reference shall contain its id.', `/billingReferences/${i}/id`));
  });
  if (invoice.documentType === 'creditNote' && (invoice.billingReferences ?? []).length === 0) {
    // bokføringsforskriften § 5-2-8: a credit note refers to the sales document(s) it corrects.
    issues.push(issue('FF-CREDIT-NOTE-REFERENCE', 'A credit note should refer to the invoice it credits (billingReferences).', '/billingReferences', 'warning'));
  }
  if ((invoice.notes ?? []).length > 1 && !bothGerman(invoice)) {
    issues.push(issue('PEPPOL-EN16931-R002', 'No more than one note is allowed on document level.', '/notes'));
  }
  const kind = invoice.buyer.kind;
  if (blank(invoice.buyerReference)) {
    if (kind === 'public') {
      // Norwegian public buyers route incoming EHF on the buyer reference ("Deres ref."); DOMAIN.md / seed 004.
      const rule = blank(invoice.orderReference) ? 'PEPPOL-EN16931-R003' : 'FF-PUBLIC-BUYER-REFERENCE';
      issues.push(issue(rule, 'A public buyer requires a buyer reference (buyerReference).', '/buyerReference'));
    } else if (blank(invoice.orderReference)) {
      // Fatal in Peppol BIS, for every document; a consumer's default reference is the customer number.
      const hint = kind === 'consumer' ? ' (for a consumer, buyer.customerNumber is used when both are left out)' : '';
      issues.push(issue('PEPPOL-EN16931-R003', `A buyer reference (buyerReference) or purchase order reference (orderReference) must be provided${hint}.`, '/buyerReference'));
    }
  }
  if (invoice.documentType === 'creditNote' && invoice.dueDate !== undefined && !hasPaymentMeans(invoice)) {
    // A UBL CreditNote has no DueDate; BIS puts BT-9 in PaymentMeans, which needs payment details to exist.
    issues.push(issue('FF-CREDIT-NOTE-DUE-DATE', 'A credit note carries its due date with the payment details; without payment details it is left out.', '/dueDate', 'warning'));
  }
  // BR-CO-25 applies to invoices only (its Schematron context is /ubl:Invoice).
  if (invoice.documentType === 'invoice' && totals.payableAmount > 0 && blank(invoice.dueDate) && blank(invoice.payment?.terms)) {
    issues.push(issue('BR-CO-25', 'When an amount is due, the due date (dueDate) or payment terms (payment.terms) shall be present.', '/dueDate'));
  }
  return issues;
}

function attachmentAndDeliveryIssues(invoice: Invoice): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  invoice.attachments?.forEach((attachment, i) => {
    const path = `/attachments/${i}`;
    if (blank(attachment.id)) issues.push(issue('BR-52', 'Each additional supporting document shall have a reference (id).', `${path}/id`));
    if (attachment.contentBase64 !== undefined) {
      if (attachment.mimeCode === undefined || !ATTACHMENT_MIME_CODES.has(attachment.mimeCode)) {
        issues.push(issue('PEPPOL-EN16931-CL001', `MIME code "${attachment.mimeCode ?? ''}" is not allowed for attachments.`, `${path}/mimeCode`));
      }
      if (blank(attachment.filename)) issues.push(issue('FF-ATTACHMENT-FILENAME', 'An embedded attachment needs a file name (BT-125-2).', `${path}/filename`));
    }
  });
  if (invoice.delivery?.address) issues.push(...addressIssues(invoice.delivery.address, '/delivery/address', { country: 'BR-57' }));
  return issues;
}

/**
 * The invoice number becomes part of the invoice's identity (`<org>:<type>:<number>`, the workflow id, limited to
 * 1000 bytes) and of file names in the outbox: keep it to a sane length of printable characters.
 */
const MAX_INVOICE_NUMBER = 200;
function numberIssues(invoice: Invoice): ValidationIssue[] {
  const n = invoice.invoiceNumber;
  if (n.length > MAX_INVOICE_NUMBER) return [issue('FF-INVOICE-NUMBER', `The invoice number is ${n.length} characters long; at most ${MAX_INVOICE_NUMBER} are accepted.`, '/invoiceNumber')];
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(n)) return [issue('FF-INVOICE-NUMBER', 'The invoice number contains control characters.', '/invoiceNumber')];
  return [];
}

export function documentIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  return [
    ...numberIssues(invoice),
    ...referenceIssues(invoice, totals),
    ...typeIssues(invoice),
    ...dateIssues(invoice),
    ...currencyIssues(invoice, totals),
    ...attachmentAndDeliveryIssues(invoice),
  ];
}
