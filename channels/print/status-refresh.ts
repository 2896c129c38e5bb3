/**
 * Print statuses arrive after the delivery (printed, posted, rejected): read from the provider now and then and put
 * into the receipt and the invoice's archived timeline, never as workflow steps (DESIGN.md "Engine": later statuses
 * go to the archive). Runs in the worker process (main/product.ts).
 */
import { addReceiptDetails, listUnfinishedPrintJobs } from '../../archive/channel-receipts.js';
import type { Db } from '../../archive/database.js';
import type { PrintProvider } from './provider.js';

/** One round: every unfinished job's status, if the provider reported a new one. Returns how many changed. */
export async function refreshPrintStatuses(db: Db, provider: PrintProvider): Promise<number> {
  let changed = 0;
  for (const job of await listUnfinishedPrintJobs(db, provider.kind)) {
    const status = await provider.status(job.jobId);
    if (!status || status.status === job.jobStatus) continue;
    await addReceiptDetails(
      db,
      job.key,
      { jobStatus: status.status, ...(status.at ? { jobStatusAt: status.at } : {}), ...(status.reason ? { jobStatusReason: status.reason } : {}) },
      'print_status',
    );
    changed++;
  }
  return changed;
}

/** Every `intervalMs` (default 10 minutes); a failed round is logged and the next one tries again. */
export function startPrintStatusRefresh(db: Db, provider: PrintProvider, log: (message: string, meta?: Record<string, unknown>) => void, intervalMs = 600_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = refreshPrintStatuses(db, provider).catch((err) => log('print: status refresh failed', { error: (err as Error).message }));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
