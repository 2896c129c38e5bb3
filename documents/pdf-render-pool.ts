/**
 * PDF rendering on worker threads with a time budget (worker-threads/budget-pool.ts), so that no invoice can block the
 * event loop that serves the API and runs the Temporal worker's other activities (issue 9, defect 1). Typesetting is linear (documents/text-measure.ts) and text is length-limited
 * at the API, so a render takes milliseconds to a few seconds for thousands of lines; the budget is the backstop for
 * whatever we did not foresee: a render that exceeds it ends its worker (terminate), fails with PdfRenderBudgetExceeded,
 * and a fresh worker takes its place. Renders wait in order for a free worker.
 *
 *   const pool = startPdfRenderPool();                       // 1 worker, 60 s budget
 *   const pdf = await pool.render(invoice, totals);           // as renderInvoicePdf(invoice, totals)
 *   await pool.close();
 */
import type { Invoice, Totals } from '../invoice/model.js';
import type { RenderInvoicePdfOptions } from './invoice-pdf.js';
import { startBudgetPool } from '../worker-threads/budget-pool.js';
import type { RenderRequest } from './pdf-render-messages.js';

export interface PdfRenderPoolOptions {
  /** Worker threads; default 1 (the validation pool already uses every core; a PDF is quick). */
  workers?: number;
  /** Longest a render may take, from when a worker starts it; default 60 s (activities have 2 minutes). */
  budgetMs?: number;
}

export interface PdfRenderPool {
  render(invoice: Invoice, totals: Totals, options?: RenderInvoicePdfOptions): Promise<Uint8Array>;
  /** Lets accepted renders finish, then ends the workers. */
  close(): Promise<void>;
}

/** A render took longer than its budget: the same invoice would again, so callers should not retry it. */
export class PdfRenderBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`rendering the PDF took longer than its budget of ${budgetMs} ms`);
    this.name = 'PdfRenderBudgetExceeded';
  }
}

export function startPdfRenderPool(options: PdfRenderPoolOptions = {}): PdfRenderPool {
  const pool = startBudgetPool<Omit<RenderRequest, 'id'>>({
    name: 'PDF render',
    entry: new URL('./pdf-render-worker.mjs', import.meta.url),
    workers: options.workers ?? 1,
    budgetMs: options.budgetMs ?? 60_000,
    overBudget: (budgetMs) => new PdfRenderBudgetExceeded(budgetMs),
    drainOnClose: true,
  });
  return {
    render: async (invoice, totals, renderOptions = {}) => new Uint8Array(await pool.run<Uint8Array>({ invoice, totals, options: renderOptions })),
    close: () => pool.close(),
  };
}
