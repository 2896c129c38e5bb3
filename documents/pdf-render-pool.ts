/**
 * PDF rendering on worker threads with a time budget, so that no invoice can block the event loop that serves the
 * API and runs the Temporal worker's other activities (issue 9, defect 1), the same pattern as the official
 * validation (ehf/validation-pool.ts). Typesetting is linear (documents/text-measure.ts) and text is length-limited
 * at the API, so a render takes milliseconds to a few seconds for thousands of lines; the budget is the backstop for
 * whatever we did not foresee: a render that exceeds it ends its worker (terminate), fails with PdfRenderBudgetExceeded,
 * and a fresh worker takes its place. Renders wait in order for a free worker.
 *
 *   const pool = startPdfRenderPool();                       // 1 worker, 60 s budget
 *   const pdf = await pool.render(invoice, totals);           // as renderInvoicePdf(invoice, totals)
 *   await pool.close();
 */
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../ehf/validation-pool-messages.js';
import type { Invoice, Totals } from '../invoice/model.js';
import type { RenderInvoicePdfOptions } from './invoice-pdf.js';
import type { RenderOutcome, RenderRequest } from './pdf-render-messages.js';

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

const WORKER_ENTRY = new URL('./pdf-render-worker.mjs', import.meta.url);

interface Job {
  request: RenderRequest;
  resolve(pdf: Uint8Array): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export function startPdfRenderPool(options: PdfRenderPoolOptions = {}): PdfRenderPool {
  const size = options.workers ?? 1;
  const budgetMs = options.budgetMs ?? 60_000;
  if (!Number.isInteger(size) || size < 1) throw new Error(`a PDF render pool needs at least one worker, not ${size}`);
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 0;
  let closing: Promise<void> | undefined;
  let drained: (() => void) | undefined;

  const busy = () => queue.length > 0 || [...slots].some((slot) => slot.job);

  const finish = (slot: Slot): Job | undefined => {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        // Over budget: end the worker (its exit handler replaces it) and fail only this render.
        finish(slot)?.reject(new PdfRenderBudgetExceeded(budgetMs));
        slots.delete(slot);
        void slot.worker.terminate();
        if (!closing) spawn();
        dispatch();
      }, budgetMs);
      slot.worker.postMessage(job.request);
    }
    // An idle pool must not keep the process alive.
    for (const slot of slots) {
      if (slot.job) slot.worker.ref();
      else slot.worker.unref();
    }
    if (drained && !busy()) drained();
  };

  const spawn = () => {
    const slot: Slot = { worker: new Worker(WORKER_ENTRY), ready: false };
    slots.add(slot);
    slot.worker.on('message', (message: RenderOutcome | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
      } else {
        const job = finish(slot);
        if (job && job.request.id === message.id) {
          if ('pdf' in message) job.resolve(message.pdf);
          else job.reject(deserializeError(message.error));
        }
      }
      dispatch();
    });
    slot.worker.on('error', (err) => finish(slot)?.reject(err));
    slot.worker.on('exit', (code) => {
      finish(slot)?.reject(new Error(`PDF render worker stopped (exit code ${code}) while rendering`));
      if (!slots.delete(slot)) return; // ended by close() or by the budget, which replaced it
      if (!closing) spawn();
      dispatch();
    });
    slot.worker.unref();
  };

  for (let i = 0; i < size; i++) spawn();

  return {
    render(invoice, totals, renderOptions = {}) {
      if (closing) return Promise.reject(new Error('the PDF render pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ request: { id: nextId++, invoice, totals, options: renderOptions }, resolve: (pdf) => resolve(new Uint8Array(pdf)), reject });
        dispatch();
      });
    },
    close() {
      closing ??= (async () => {
        if (busy()) await new Promise<void>((resolve) => (drained = resolve));
        const all = [...slots];
        slots.clear();
        await Promise.all(all.map((slot) => slot.worker.terminate()));
      })();
      return closing;
    },
  };
}
