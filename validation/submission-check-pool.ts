/**
 * Our stage of the validation of a submission (parse, totals, our checks, UBL: ourVerdict), and the well-formedness
 * check of large XML (fast-xml-parser's XMLValidator: 0.7 s for 5 MB of hostile markup), on a worker thread with a
 * time budget, so that a large invoice does not hold the API's event loop (issue 9, hostile input): measured on this
 * machine, 10,000 lines took 3.4 s and 20,000 lines 8 s of one core on the event loop, and /health waited as long. The official rules
 * already run on their own pool (ehf/validation-pool.ts); this is the same pattern as documents/pdf-render-pool.ts.
 *
 * - A check over budget ends its worker (a fresh one takes its place) and fails with SubmissionCheckBudgetExceeded:
 *   the same invoice would again, so the API answers 422 FF-CHECK-BUDGET.
 * - At most `queueLimit` checks wait; beyond that SubmissionChecksBusy (the API answers 503 with Retry-After), so
 *   that waiting is bounded too.
 * - An idle pool does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError } from '../ehf/validation-pool-messages.js';
import type { CheckOutcome, CheckRequest, XmlSyntaxError } from './submission-check-messages.js';
import type { OurStage } from './submission.js';

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

const WORKER_ENTRY = new URL('./submission-check-worker.mjs', import.meta.url);

interface Job {
  request: CheckRequest;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

type Outcome = CheckOutcome | { ready: true };

export function startSubmissionCheckPool(options: SubmissionCheckPoolOptions = {}): SubmissionCheckPool {
  const size = options.workers ?? 1;
  const budgetMs = options.budgetMs ?? 30_000;
  const queueLimit = options.queueLimit ?? 16;
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

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
        finish(slot)?.reject(new SubmissionCheckBudgetExceeded(budgetMs));
        slots.delete(slot);
        void slot.worker.terminate();
        if (!closed) spawn();
        dispatch();
      }, budgetMs);
      slot.worker.postMessage(job.request);
    }
    for (const slot of slots) {
      if (slot.job) slot.worker.ref();
      else slot.worker.unref();
    }
  };

  const spawn = () => {
    const slot: Slot = { worker: new Worker(WORKER_ENTRY), ready: false };
    slots.add(slot);
    slot.worker.on('message', (message: Outcome) => {
      if ('ready' in message) {
        slot.ready = true;
      } else {
        const job = finish(slot);
        if (job && job.request.id === message.id) {
          if ('result' in message) job.resolve(message.result);
          else job.reject(deserializeError(message.error));
        }
      }
      dispatch();
    });
    slot.worker.on('error', (err) => finish(slot)?.reject(err));
    slot.worker.on('exit', (code) => {
      finish(slot)?.reject(new Error(`submission check worker stopped (exit code ${code})`));
      if (!slots.delete(slot)) return; // ended by close() or by the budget, which replaced it
      if (!closed) spawn();
      dispatch();
    });
    slot.worker.unref();
  };

  for (let i = 0; i < size; i++) spawn();

  const run = <T>(request: CheckRequest): Promise<T> => {
    if (closed) return Promise.reject(new Error('the submission check pool is closed'));
    if (queue.length >= queueLimit) return Promise.reject(new SubmissionChecksBusy());
    return new Promise<T>((resolve, reject) => {
      queue.push({ request, resolve: resolve as (result: unknown) => void, reject });
      dispatch();
    });
  };

  return {
    check: (submission) => run({ id: nextId++, task: 'verdict', submission }),
    wellFormed: (xml) => run({ id: nextId++, task: 'wellFormed', xml }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the submission check pool is closed'));
      const all = [...slots];
      slots.clear();
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
