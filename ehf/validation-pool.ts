/**
 * The official validation (validateUblOfficial) on worker threads, so that it uses every core and never blocks the
 * event loop that serves the API and the Temporal worker: SaxonJS is synchronous and takes ~30 ms for a typical
 * invoice, seconds for a large one.
 *
 * Each worker loads the schemas and rule sets once (~2 s, in parallel) before startValidationPool resolves; documents
 * then go to the idle workers, in the order they came. While documents wait, the idle workers share them out and each
 * validates its share together (validateUblOfficialEach: the same result per document, for less work per document),
 * so the pool answers a lone document as fast as before and gets faster under load. A worker that dies takes only its
 * own documents down (rejected) and is replaced. close() lets accepted documents finish, then ends the workers.
 *
 *   const pool = await startValidationPool();            // one worker per core
 *   const { issues } = await pool.validate(xml);         // as validateUblOfficial(xml)
 *   await pool.close();
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OfficialValidationResult, OfficialValidationVersions } from './official-validation.js';
import { deserializeError, type FromWorker, type ToWorker } from './validation-pool-messages.js';

/**
 * A larger young generation than V8's default for the validation threads: a large invoice's light tree (several MB at
 * 1000 lines) otherwise survives a scavenge or two and is copied each time; with 64 MB it mostly dies young. Measured
 * on 2 cores with 1000-line invoices (A/B, 16 documents through a pool, three runs each, 2026-12-07): a pool of 2
 * went from 7.6–8.2 to 8.9–10.6 invoices/s, one worker ~5 % faster.
 */
const YOUNG_GENERATION_MB = 64;

export interface ValidationPoolOptions {
  /** Worker threads; default one per core (os.availableParallelism()). */
  workers?: number;
  /** At most this many documents go to a worker together; default 16 (1 sends them one by one). */
  batch?: number;
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
/** A batch holds at most this much XML (a larger document goes alone), so that none waits long behind a large one: ~1 s of rules. */
const BATCH_CHARACTERS = 512 * 1024;

interface Job {
  id: number;
  xml: string;
  resolve(result: OfficialValidationResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** The documents the worker is validating; none when it is idle. */
  jobs: Job[];
}

export async function startValidationPool(options: ValidationPoolOptions = {}): Promise<ValidationPool> {
  const size = options.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1) throw new Error(`a validation pool needs at least one worker, not ${size}`);
  const batch = options.batch ?? 16;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`a validation pool sends at least one document at a time, not ${batch}`);
  const pool = new Pool(batch);
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

  constructor(private readonly batch: number) {}

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
      const worker = new Worker(WORKER_ENTRY, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      let slot: Slot | undefined;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            this.versions ??= message.versions;
            slot = { worker, jobs: [] };
            this.slots.add(slot);
            ready();
            this.dispatch();
            return;
          case 'failed':
            failed(deserializeError(message.error));
            void worker.terminate();
            return;
          case 'done': {
            if (!slot) return;
            const jobs = new Map(slot.jobs.map((job) => [job.id, job]));
            slot.jobs = [];
            for (const outcome of message.outcomes) {
              const job = jobs.get(outcome.id);
              jobs.delete(outcome.id);
              if (!job) continue;
              if ('result' in outcome) job.resolve(outcome.result);
              else job.reject(deserializeError(outcome.error));
            }
            for (const job of jobs.values()) job.reject(new Error('the validation worker gave no answer for this document'));
            this.dispatch();
          }
        }
      });
      worker.on('error', (err) => {
        if (!slot) return failed(err);
        for (const job of slot.jobs.splice(0)) job.reject(err);
      });
      worker.on('exit', (code) => {
        if (!slot) return failed(new Error(`validation worker exited with code ${code} while loading the rules`));
        if (!this.slots.delete(slot)) return; // ended by close()
        for (const job of slot.jobs.splice(0)) job.reject(new Error(`validation worker stopped (exit code ${code}) while validating`));
        // Replace it; a replacement that cannot load the rules leaves the pool smaller rather than retrying forever.
        if (this.closing) this.failQueueIfNoWorkers();
        else this.spawn().catch(() => this.failQueueIfNoWorkers());
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
    const idle = [...this.slots].filter((slot) => slot.jobs.length === 0);
    idle.forEach((slot, n) => {
      if (this.queue.length === 0) return;
      // The idle workers share what waits, so that none sits idle while another has a long batch.
      slot.jobs = this.takeBatch(Math.ceil(this.queue.length / (idle.length - n)));
      slot.worker.postMessage({ documents: slot.jobs.map(({ id, xml }) => ({ id, xml })) } satisfies ToWorker);
    });
    // An idle pool must not keep the process alive; a busy one must, until its callers have their answers.
    for (const slot of this.slots) {
      if (slot.jobs.length > 0) slot.worker.ref();
      else slot.worker.unref();
    }
    if (this.drained && !this.busy()) this.drained();
  }

  /** The next documents in the queue, up to `share` and the pool's batch size, and within BATCH_CHARACTERS but one. */
  private takeBatch(share: number): Job[] {
    const jobs = [this.queue.shift()!];
    let characters = jobs[0]!.xml.length;
    while (jobs.length < Math.min(share, this.batch) && this.queue.length > 0 && characters + this.queue[0]!.xml.length <= BATCH_CHARACTERS) {
      const job = this.queue.shift()!;
      characters += job.xml.length;
      jobs.push(job);
    }
    return jobs;
  }

  private busy(): boolean {
    return this.queue.length > 0 || [...this.slots].some((slot) => slot.jobs.length > 0);
  }

  private failQueueIfNoWorkers(): void {
    if (this.slots.size > 0) return;
    for (const job of this.queue.splice(0)) job.reject(new Error('no validation worker is running: the replacements could not load the rules'));
    this.dispatch();
  }
}
