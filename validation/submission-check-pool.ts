/**
 * Our stage of the validation of a submission (parse, totals, our checks, UBL: ourVerdict) on a worker thread with a
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
import { deserializeError, type SerializedError } from '../ehf/validation-pool-messages.js';
import type { OurStage, OurVerdict, Submission } from './submission.js';

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
  id: number;
  submission: Submission;
  resolve(verdict: OurVerdict): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

type Outcome = { id: number; verdict: OurVerdict } | { id: number; error: SerializedError } | { ready: true };

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
      slot.worker.postMessage({ id: job.id, submission: job.submission });
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
        if (job && job.id === message.id) {
          if ('verdict' in message) job.resolve(message.verdict);
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

  return {
    check(submission) {
      if (closed) return Promise.reject(new Error('the submission check pool is closed'));
      if (queue.length >= queueLimit) return Promise.reject(new SubmissionChecksBusy());
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, submission, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the submission check pool is closed'));
      const all = [...slots];
      slots.clear();
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
