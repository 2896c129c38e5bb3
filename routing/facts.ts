/**
 * The typed routing facts: the only names a rule's `{"var": …}` may read. One function builds them from an
 * invoice and the receiver lookups, so rules, lint, explain and what-if all see the same thing.
 * No personal data: contact channels are present/absent flags, never the addresses themselves.
 */
import type { CustomerKind, DocumentType, Invoice } from '../invoice/model.js';

export type EfakturaStatus = 'found' | 'not_found' | 'blocked' | 'agreement_pending' | 'agreement_accepted' | 'agreement_rejected';

export interface RoutingFacts {
  documentType: DocumentType;
  customer: {
    kind: CustomerKind;
    hasEmail: boolean;
    hasMobile: boolean;
    hasPostalAddress: boolean;
    country: string;
  };
  peppol: {
    /** Receiver is registered in the Peppol network (SML/SMP, ELMA) … */
    registered: boolean;
    /** … and accepts this document type (BIS Billing 3.0 invoice or credit note). */
    acceptsDocumentType: boolean;
  };
  efaktura: { status: EfakturaStatus };
  amount: { payable: number; currency: string };
  supplier: { orgNumber: string; branch: string };
  tags: string[];
  /** Issue date (YYYY-MM-DD): lets rules and the date-aware policy lint reason about mandates. */
  issueDate: string;
}

export interface ReceiverLookups {
  peppol: { registered: boolean; acceptsDocumentType: boolean };
  efaktura: { status: EfakturaStatus };
}

export function buildRoutingFacts(invoice: Invoice, payableAmount: number, lookups: ReceiverLookups): RoutingFacts {
  const buyer = invoice.buyer;
  const address = buyer.address;
  return {
    documentType: invoice.documentType,
    customer: {
      kind: buyer.kind,
      hasEmail: Boolean(buyer.email ?? buyer.contact?.email),
      hasMobile: Boolean(buyer.phone ?? buyer.contact?.phone),
      hasPostalAddress: Boolean(address?.street && address.postalCode && address.city),
      country: address?.country ?? 'NO',
    },
    peppol: { ...lookups.peppol },
    efaktura: { ...lookups.efaktura },
    amount: { payable: payableAmount, currency: invoice.currency },
    supplier: { orgNumber: invoice.supplier.taxId ?? '', branch: invoice.branch ?? '' },
    tags: [...(invoice.tags ?? [])],
    issueDate: invoice.issueDate,
  };
}
