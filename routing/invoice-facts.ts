/**
 * Routing facts from an invoice in our JSON form, for explain, dry-run and rule tests: the same reader the API
 * uses (invoice/json-input.ts), the same totals (invoice/totals.ts), the same `buildRoutingFacts`. The receiver
 * lookups cannot come from the invoice; they default to "not in Peppol, no eFaktura identifier" and can be given.
 */
import { computeTotals } from '../invoice/totals.js';
import { parseInvoiceJson } from '../invoice/json-input.js';
import { isFatal, type ValidationIssue } from '../validation/issue.js';
import { buildRoutingFacts, type ReceiverLookups, type RoutingFacts } from './facts.js';

export const DEFAULT_LOOKUPS: Readonly<ReceiverLookups> = Object.freeze({
  peppol: Object.freeze({ registered: false, acceptsDocumentType: false }),
  efaktura: Object.freeze({ status: 'not_found' as const }),
});

export interface InvoiceFacts {
  /** Present when the invoice could be read. */
  facts?: RoutingFacts;
  /** The reader's issues; paths are JSON pointers into the body (`/buyer/kind`). */
  issues: ValidationIssue[];
}

export function factsFromInvoiceJson(body: unknown, lookups: Partial<ReceiverLookups> = {}): InvoiceFacts {
  const { invoice, issues } = parseInvoiceJson(body);
  if (!invoice || issues.some(isFatal)) return { issues };
  const totals = computeTotals(invoice);
  const facts = buildRoutingFacts(invoice, totals.payableAmount, {
    peppol: { ...DEFAULT_LOOKUPS.peppol, ...lookups.peppol },
    efaktura: { ...DEFAULT_LOOKUPS.efaktura, ...lookups.efaktura },
  });
  return { facts, issues };
}
