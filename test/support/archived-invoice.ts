/** An invoice as the API archives it (the invoice row and its source document), for tests that start after the API. */
import { createHash } from 'node:crypto';
import type { Db } from '../../archive/database.js';
import { putDocument } from '../../archive/documents.js';
import { insertInvoice } from '../../archive/invoices.js';
import { retainUntil } from '../../archive/retention.js';
import { naturalKey } from '../../invoice/natural-key.js';
import { validateSubmission, type ValidSubmission } from '../../validation/submission.js';

/** `verdictBasis`: what the stored verdict was given by (none: not recorded, the workflow validates again). */
export async function archiveInvoice(db: Db, body: unknown, verdictBasis: string | null = null): Promise<ValidSubmission & { id: string; source: { documentId: string; sha256: string } }> {
  const content = JSON.stringify(body);
  const result = await validateSubmission({ mediaType: 'application/json', content });
  if (!result.valid) throw new Error(JSON.stringify(result.issues));
  const { invoice, totals } = result;
  const id = naturalKey(invoice);
  const keep = retainUntil(invoice.issueDate);
  await insertInvoice(db, {
    id,
    supplierOrg: invoice.supplier.taxId!,
    documentType: invoice.documentType,
    invoiceNumber: invoice.invoiceNumber,
    issueDate: invoice.issueDate,
    customerKind: invoice.buyer.kind,
    customerNumber: invoice.buyer.customerNumber ?? null,
    buyerOrg: invoice.buyer.kind === 'consumer' ? null : (invoice.buyer.taxId ?? null),
    branch: '',
    payableAmount: totals.payableAmount,
    currency: invoice.currency,
    sourceSha256: createHash('sha256').update(content).digest('hex'),
    idempotencyKey: null,
    warnings: [],
    verdictBasis,
    retainUntil: keep,
  });
  const source = await putDocument(db, { invoiceId: id, kind: 'source', mediaType: 'application/json', content, retainUntil: keep });
  return { ...result, id, source };
}
