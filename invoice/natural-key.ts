import type { Invoice } from './model.js';

/**
 * The invoice's identity: `<supplier org no>:<document type>:<document number>`. It is the workflow id and the
 * archive's primary key, so a resubmission finds the invoice it already is (bokføringsforskriften § 5-1-1:
 * numbers are unique per supplier and series).
 */
export function naturalKey(invoice: Pick<Invoice, 'supplier' | 'documentType' | 'invoiceNumber'>): string {
  return `${invoice.supplier.taxId ?? invoice.supplier.endpointId ?? ''}:${invoice.documentType}:${invoice.invoiceNumber}`;
}
