/**
 * Our own contract checks on an invoice and its computed totals, run before a document is built so bad input is
 * rejected early and with the rule id that a Peppol access point would use (EN 16931 BR-*, PEPPOL-*, NO-R-*), or
 * ours (FF-*) where no official rule applies. They complement, not replace, the official XSD + Schematron
 * validation of the built XML (ehf/official-validation.ts).
 *
 * Paths are JSON pointers into the invoice JSON (which mirrors the model), e.g. `/lines/0/vatRate`.
 */
import type { ValidationIssue } from '../validation/issue.js';
import { allowanceChargeIssues } from './checks/allowance-charges.js';
import { documentIssues } from './checks/document.js';
import { lineIssues } from './checks/lines.js';
import type { SenderFigures } from './checks/official-tolerances.js';
import { partyIssues } from './checks/parties.js';
import { paymentIssues } from './checks/payment.js';
import { suppliedTotalIssues } from './checks/supplied-totals.js';
import { vatIssues } from './checks/vat.js';
import type { Invoice, Totals } from './model.js';

/**
 * `figures` says whether the sender's own amounts travel (`sent`: their EHF XML) or ours replace them (`replaced`: our
 * JSON); it decides the severity of our stricter arithmetic checks (checks/official-tolerances.ts).
 */
export function checkInvoice(invoice: Invoice, totals: Totals, figures: SenderFigures = 'replaced'): ValidationIssue[] {
  return [
    ...documentIssues(invoice, totals),
    ...partyIssues(invoice),
    ...lineIssues(invoice, totals, figures),
    ...(invoice.allowanceCharges ?? []).flatMap((ac, index) => allowanceChargeIssues(ac, `/allowanceCharges/${index}`, 'document')),
    ...vatIssues(invoice, totals),
    ...suppliedTotalIssues(invoice, totals, figures),
    ...paymentIssues(invoice, totals),
  ];
}
