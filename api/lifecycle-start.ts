/**
 * Starting an invoice's workflow once its source is archived. Both steps are idempotent, so whatever interrupts
 * them (a crash, Temporal briefly away), a retried submission or the sweep at start-up completes the start, and
 * never starts a second workflow: the workflow id is the invoice id and closed ids are not reused.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../archive/database.js';
import { getDocument, putDocument } from '../archive/documents.js';
import { findUnstarted, type InvoiceRecord } from '../archive/invoices.js';
import { archivedSubmission, type Submission } from '../validation/submission.js';
import { workflowStarts } from './metrics.js';
import { searchAttributes, type InvoiceLifecycleInput } from '../workflows/definitions.js';

/** `eager`: a worker of this process shares the client's native connection (eager workflow start, issue 12). */
export interface StartOptions {
  eager?: boolean;
}

export async function startLifecycle(db: Db, temporal: Client, taskQueue: string, record: InvoiceRecord, submission: Submission, options: StartOptions = {}): Promise<void> {
  if (record.status !== 'received' || record.stage !== 'validate') return;
  const source = await putDocument(db, { invoiceId: record.id, kind: 'source', mediaType: submission.mediaType, content: submission.content, retainUntil: record.retainUntil });
  const input: InvoiceLifecycleInput = { invoiceId: record.id, source };
  try {
    const handle = await temporal.workflow.start('invoiceLifecycle', {
      workflowId: record.id,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      requestEagerStart: options.eager === true,
      typedSearchAttributes: [
        { key: searchAttributes.status, value: 'received' },
        { key: searchAttributes.supplierOrg, value: record.supplierOrg },
        { key: searchAttributes.invoiceNumber, value: record.invoiceNumber },
        { key: searchAttributes.documentType, value: record.documentType },
        { key: searchAttributes.customerKind, value: record.customerKind },
      ],
    });
    workflowStarts.inc({ eager: String(handle.eagerlyStarted === true) });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** At start-up: invoices archived but never started (their source is archived, the ERP may not retry). */
export async function resumeUnstarted(db: Db, temporal: Client, taskQueue: string, log: (message: string, meta?: Record<string, unknown>) => void, options: StartOptions = {}): Promise<number> {
  let started = 0;
  let failed = 0;
  // Oldest first, and one invoice that cannot be started now does not hold back the others: the sweep goes on, and
  // fails at the end so that the start-up work tries again (a start already made is found, not repeated).
  for (const record of await findUnstarted(db, 30)) {
    try {
      const source = await getDocument(db, record.id, 'source');
      if (!source) continue; // the crash came before the source was archived: only the ERP's retry has the document
      await startLifecycle(db, temporal, taskQueue, record, archivedSubmission(source), options);
      started++;
    } catch (err) {
      failed++;
      log('api: an accepted invoice could not be started yet', { invoiceId: record.id, error: (err as Error).message });
    }
  }
  if (started) log('api: checked invoices that were accepted but perhaps not started', { count: started });
  if (failed) throw new Error(`${failed} accepted invoice(s) could not be started yet`);
  return started;
}
