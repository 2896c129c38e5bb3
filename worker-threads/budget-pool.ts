/**
 * Work on worker threads with a time budget, so that no single request can hold the event loop that serves the API
 * and runs the Temporal worker's activities (issue 9). Used by the PDF rendering (documents/pdf-render-pool.ts) and
 * our checks of large submissions (validation/submission-check-pool.ts); the official validation has its own pool,
 * which also batches (ehf/validation-pool.ts).
 *
 * - Requests wait in order for a free worker; with `queueLimit`, beyond it `busy()` is thrown, so waiting is bounded.
 * - A request over budget ends its worker (terminate; a fresh one takes its place) and fails with `overBudget()`:
 *   the same request would again, so callers do not retry it.
 * - An idle pool does not keep the process alive.
 *
 * The worker entry posts `{ready: true}` once, then answers each `{id, ...}` with `{id, result}` or `{id, error}`.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError } from '../ehf/validation-pool-messages.js';

export interface BudgetPoolOptions {
  /** What the pool does, for its errors: "PDF render", "submission check". */
  name: string;
  entry: URL;
  workers: number;
  budgetMs: number;
  overBudget(budgetMs: number): Error;
  queueLimit?: number;
  busy?(): Error;
  /** close(): let accepted requests finish first (true), or reject those still waiting (false). */
  drainOnClose: boolean;
}

export type WorkerOutcome<T> = { id: number; result: T } | { id: number; error: SerializedError };

export interface BudgetPool<Request> {
  /** Runs one request (without its id, which the pool gives). */
  run<T>(request: Request): Promise<T>;
  close(): Promise<void>;
}

interface Job {
  id: number;
  message: unknown;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export function startBudgetPool<Request extends object>(options: BudgetPoolOptions): BudgetPool<Request> {
  const { name, budgetMs } = options;
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`a ${name} pool needs at least one worker, not ${options.workers}`);
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
        // Over budget: end the worker (its replacement is spawned here) and fail only this request.
        finish(slot)?.reject(options.overBudget(budgetMs));
        slots.delete(slot);
        void slot.worker.terminate();
        if (!closing) spawn();
        dispatch();
      }, budgetMs);
      slot.worker.postMessage(job.message);
    }
    for (const slot of slots) {
      if (slot.job) slot.worker.ref();
      else slot.worker.unref();
    }
    if (drained && !busy()) drained();
  };

  const spawn = () => {
    const slot: Slot = { worker: new Worker(options.entry), ready: false };
    slots.add(slot);
    slot.worker.on('message', (message: WorkerOutcome<unknown> | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
      } else {
        const job = finish(slot);
        if (job && job.id === message.id) {
          if ('result' in message) job.resolve(message.result);
          else job.reject(deserializeError(message.error));
        }
      }
      dispatch();
    });
    slot.worker.on('error', (err) => finish(slot)?.reject(err));
    slot.worker.on('exit', (code) => {
      finish(slot)?.reject(new Error(`${name} worker stopped (exit code ${code})`));
      if (!slots.delete(slot)) return; // ended by close() or by the budget, which replaced it
      if (!closing) spawn();
      dispatch();
    });
    slot.worker.unref();
  };

  for (let i = 0; i < options.workers; i++) spawn();

  return {
    run<T>(request: Request): Promise<T> {
      if (closing) return Promise.reject(new Error(`the ${name} pool is closed`));
      if (options.queueLimit !== undefined && queue.length >= options.queueLimit) return Promise.reject(options.busy?.() ?? new Error(`the ${name} pool is busy`));
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        queue.push({ id, message: { ...request, id }, resolve: resolve as (result: unknown) => void, reject });
        dispatch();
      });
    },
    close() {
      closing ??= (async () => {
        if (options.drainOnClose) {
          if (busy()) await new Promise<void>((resolve) => (drained = resolve));
        } else {
          for (const job of queue.splice(0)) job.reject(new Error(`the ${name} pool is closed`));
        }
        const all = [...slots];
        slots.clear();
        await Promise.all(all.map((slot) => slot.worker.terminate()));
      })();
      return closing;
    },
  };
}
