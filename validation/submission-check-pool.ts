/**
 * Our stage of the validation of a submission (parse, totals, our checks, UBL: ourVerdict), and the well-formedness
 * check of large XML (fast-xml-parser's XMLValidator: 0.7 s for 5 MB of hostile markup), on a worker thread with a
 * time budget, so that a large invoice does not hold the API's event loop (issue 9, hostile input): measured on this
 * machine, 10,000 lines took 3.4 s and 20,000 lines 8 s of one core on the event loop, and /health waited as long. The official rules
 * already run on their own pool (ehf/validation-pool.ts); this one is worker-threads/budget-pool.ts, as the PDF's.
 *
 * - A check over budget ends its worker (a fresh one takes its place) and fails with SubmissionCheckBudgetExceeded:
 *   the same invoice would again, so the API answers 422 FF-CHECK-BUDGET.
 * - At most `queueLimit` checks wait; beyond that SubmissionChecksBusy (the API answers 503 with Retry-After), so
 *   that waiting is bounded too.
 * - An idle pool does not keep the process alive.
 */
import { startBudgetPool } from '../worker-threads/budget-pool.js';
import type { XmlSyntaxError } from './submission-check-messages.js';
import type { OurStage, Submission } from './submission.js';

export interface SubmissionCheckPoolOptions {
  /** Worker threads; default 1 (two cores are shared with the engine and the official validation). */
  workers?: number;
  /** Longest one check may take once a worker starts it; default 30 s (5,000 lines, the limit, take about 1 s). */
  budgetMs?: number;
  /** Checks that may wait for a worker; default 16. */
  queueLimit?: number;
}

export interface SubmissionCheckPool {
  check: OurStage;
  /** true, or where the XML is not well-formed. */
  wellFormed(xml: string): Promise<true | XmlSyntaxError>;
  close(): Promise<void>;
}

export class SubmissionCheckBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`checking the invoice took longer than its budget of ${budgetMs} ms`);
    this.name = 'SubmissionCheckBudgetExceeded';
  }
}

export class SubmissionChecksBusy extends Error {
  constructor() {
    super('too many large invoices are being checked at the moment');
    this.name = 'SubmissionChecksBusy';
  }
}

type CheckTask = { task: 'verdict'; submission: Submission } | { task: 'wellFormed'; xml: string };

export function startSubmissionCheckPool(options: SubmissionCheckPoolOptions = {}): SubmissionCheckPool {
  const pool = startBudgetPool<CheckTask>({
    name: 'submission check',
    entry: new URL('./submission-check-worker.mjs', import.meta.url),
    workers: options.workers ?? 1,
    budgetMs: options.budgetMs ?? 30_000,
    overBudget: (budgetMs) => new SubmissionCheckBudgetExceeded(budgetMs),
    queueLimit: options.queueLimit ?? 16,
    busy: () => new SubmissionChecksBusy(),
    drainOnClose: false,
  });
  return {
    check: (submission) => pool.run({ task: 'verdict', submission }),
    wellFormed: (xml) => pool.run({ task: 'wellFormed', xml }),
    close: () => pool.close(),
  };
}
