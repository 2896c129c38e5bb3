/**
 * The official validation (validateUblOfficial) on worker threads, so that it uses every core and never blocks the
 * event loop that serves the API and the Temporal worker: SaxonJS is synchronous and takes ~30 ms for a typical
 * invoice, seconds for a large one.
 *
 * Each worker loads the schemas and rule sets once (~2 s, in parallel) before startValidationPool resolves; documents
 * then go to the first idle worker, in the order they came. A worker that dies takes only its own document down
 * (rejected) and is replaced. close() lets accepted documents finish, then ends the workers.
 *
 *   const pool = await startValidationPool();            // one worker per core
 *   const { issues } = await pool.validate(xml);         // as validateUblOfficial(xml)
 *   await pool.close();
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OfficialValidationResult, OfficialValidationVersions } from './official-validation.js';
import { deserializeError, type FromWorker, type ToWorker } from './validation-pool-messages.js';

export interface ValidationPoolOptions {
  /** Worker threads; default one per core (os.availableParallelism()). */
  workers?: number;
}

export interface ValidationPool {
  /** Worker threads the pool keeps running (0 once closed). */
  readonly workers: number;
  /** The rule-set versions every worker loaded. */
  readonly versions: OfficialValidationVersions;
  validate(xml: string): Promise<OfficialValidationResult>;
  /** Finishes the documents already accepted, then ends the workers; validate() rejects from now on. */
  close(): Promise<void>;
}

export class ValidationPoolClosedError extends Error {
  constructor() {
    super('the validation pool is closed');
    this.name = 'ValidationPoolClosedError';
  }
}

const WORKER_ENTRY = new URL('./validation-pool-worker.mjs', import.meta.url);

interface Job {
  id: number;
  xml: string;
  resolve(result: OfficialValidationResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

export async function startValidationPool(options: ValidationPoolOptions = {}): Promise<ValidationPool> {
  const size = options.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1) throw new Error(`a validation pool needs at least one worker, not ${size}`);
  const pool = new Pool();
  await pool.start(size);
  return pool;
}

class Pool implements ValidationPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closing?: Promise<void>;
  private drained?: () => void;
  versions!: OfficialValidationVersions;

  get workers(): number {
    return this.slots.size;
  }

  async start(size: number): Promise<void> {
    const started = await Promise.allSettled(Array.from({ length: size }, () => this.spawn()));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      // Out of the pool first, so that their exit is not taken for a crash to recover from.
      const slots = [...this.slots];
      this.slots.clear();
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
      throw failed.reason;
    }
  }

  validate(xml: string): Promise<OfficialValidationResult> {
    if (this.closing) return Promise.reject(new ValidationPoolClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, xml, resolve, reject });
      this.dispatch();
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.busy()) await new Promise<void>((resolve) => (this.drained = resolve));
      const slots = [...this.slots];
      this.slots.clear();
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    })();
    return this.closing;
  }

  /** Starts a worker and resolves once it has loaded the rules; it then takes jobs. */
  private spawn(): Promise<void> {
    return new Promise((ready, failed) => {
      const worker = new Worker(WORKER_ENTRY);
      let slot: Slot | undefined;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            this.versions ??= message.versions;
            slot = { worker };
            this.slots.add(slot);
            ready();
            this.dispatch();
            return;
          case 'failed':
            failed(deserializeError(message.error));
            void worker.terminate();
            return;
          case 'done':
          case 'error': {
            const job = slot?.job;
            if (!slot || !job || job.id !== message.id) return;
            slot.job = undefined;
            if (message.type === 'done') job.resolve(message.result);
            else job.reject(deserializeError(message.error));
            this.dispatch();
          }
        }
      });
      worker.on('error', (err) => {
        if (!slot) failed(err);
        else slot.job?.reject(err);
        if (slot) slot.job = undefined;
      });
      worker.on('exit', (code) => {
        if (!slot) return failed(new Error(`validation worker exited with code ${code} while loading the rules`));
        if (!this.slots.delete(slot)) return; // ended by close()
        slot.job?.reject(new Error(`validation worker stopped (exit code ${code}) while validating`));
        // Replace it; a replacement that cannot load the rules leaves the pool smaller rather than retrying forever.
        if (this.closing) this.failQueueIfNoWorkers();
        else this.spawn().catch(() => this.failQueueIfNoWorkers());
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.queue.shift();
      if (!job) break;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, xml: job.xml } satisfies ToWorker);
    }
    // An idle pool must not keep the process alive; a busy one must, until its callers have their answers.
    for (const slot of this.slots) {
      if (slot.job) slot.worker.ref();
      else slot.worker.unref();
    }
    if (this.drained && !this.busy()) this.drained();
  }

  private busy(): boolean {
    return this.queue.length > 0 || [...this.slots].some((slot) => slot.job);
  }

  private failQueueIfNoWorkers(): void {
    if (this.slots.size > 0) return;
    for (const job of this.queue.splice(0)) job.reject(new Error('no validation worker is running: the replacements could not load the rules'));
    this.dispatch();
  }
}
