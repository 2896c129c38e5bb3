/** What pdf-render-pool.ts and its worker threads (pdf-render-worker.ts) send each other. */
import type { Invoice, Totals } from '../invoice/model.js';
import type { RenderInvoicePdfOptions } from './invoice-pdf.js';
import type { WorkerOutcome } from '../worker-threads/budget-pool.js';

export interface RenderRequest {
  id: number;
  invoice: Invoice;
  totals: Totals;
  options: RenderInvoicePdfOptions;
}

export type RenderOutcome = WorkerOutcome<Uint8Array>;
