/**
 * Start-up work that needs the archive or the engine (migrations, the sweep of accepted-but-unstarted invoices), run
 * with retries and backoff instead of once: a database that is away for a moment at start-up (a restart, a failover,
 * a container that starts later) used to end the process (issue 9, defect 2). Meanwhile the API is up, `/health`
 * answers `degraded` with `checks.startup` = `in progress` or `retrying`, and the routes that need the archive answer
 * 503 `starting` with Retry-After until the archive is ready.
 */
import type { RequestHandler } from 'express';

export type StartupStatus = 'done' | 'in progress' | 'retrying';

export interface BackoffOptions {
  /** First wait after a failure; default 250 ms. */
  initialMs?: number;
  /** Longest wait between attempts; default 10 s. */
  maxMs?: number;
}

export class StartupCancelled extends Error {
  constructor(step: string) {
    super(`start-up step "${step}" was cancelled: the product is stopping`);
    this.name = 'StartupCancelled';
  }
}

/** Routes that answer without the archive: health, metrics and the OpenAPI document. */
const OPEN_WHILE_STARTING = new Set(['/health', '/metrics', '/openapi.yaml', '/openapi.json']);

export class StartupWork {
  private readonly pending = new Map<string, { failures: number }>();
  private archiveReady = false;
  private cancelled = false;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; cancel: () => void }>();

  constructor(
    private readonly log: (message: string, meta?: Record<string, unknown>) => void,
    private readonly backoff: BackoffOptions = {},
  ) {}

  status(): StartupStatus {
    if ([...this.pending.values()].some((step) => step.failures > 0)) return 'retrying';
    return this.pending.size > 0 || !this.archiveReady ? 'in progress' : 'done';
  }

  /**
   * Healthy: the archive is ready and no start-up step is failing. Background work that simply runs (the sweep of
   * unstarted invoices) does not make the product unhealthy; a step that keeps failing does.
   */
  healthy(): boolean {
    return this.archiveReady && this.status() !== 'retrying';
  }

  /** From now on the routes that need the archive are served (the migrations are applied). */
  markArchiveReady(): void {
    this.archiveReady = true;
  }

  /**
   * Runs `step` until it succeeds: after a failure it waits initialMs, then twice as long each time up to maxMs (with
   * ±20 % jitter, so that an API and its workers do not knock on the database in step). Each failure is logged with
   * its message; the step's value is returned. stop() ends the waiting with StartupCancelled.
   */
  async run<T>(name: string, step: () => Promise<T>): Promise<T> {
    const entry = { failures: 0 };
    this.pending.set(name, entry);
    const initial = this.backoff.initialMs ?? 250;
    const max = this.backoff.maxMs ?? 10_000;
    try {
      for (;;) {
        if (this.cancelled) throw new StartupCancelled(name);
        try {
          const value = await step();
          if (entry.failures > 0) this.log(`start-up: ${name} succeeded`, { attempts: entry.failures + 1 });
          return value;
        } catch (err) {
          if (this.cancelled) throw new StartupCancelled(name);
          entry.failures++;
          const wait = Math.min(max, initial * 2 ** (entry.failures - 1)) * (0.8 + Math.random() * 0.4);
          this.log(`start-up: ${name} failed, retrying`, { attempt: entry.failures, retryInMs: Math.round(wait), error: (err as Error).message });
          await this.sleep(wait);
        }
      }
    } finally {
      this.pending.delete(name);
    }
  }

  /** Runs `step` in the background with retries; its failure after stop() is expected and not logged. */
  background(name: string, step: () => Promise<unknown>): Promise<void> {
    return this.run(name, step).then(
      () => undefined,
      (err) => {
        if (!(err instanceof StartupCancelled)) this.log(`start-up: ${name} gave up`, { error: (err as Error).message });
      },
    );
  }

  /** Ends every wait between attempts; steps under way finish their current attempt and then stop. */
  stop(): void {
    this.cancelled = true;
    for (const { timer, cancel } of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }

  /** Express middleware: 503 `starting` for routes that need the archive, until markArchiveReady(). */
  gate(): RequestHandler {
    return (req, res, next) => {
      if (this.archiveReady || OPEN_WHILE_STARTING.has(req.path)) return next();
      res.status(503).set('Retry-After', '2').json({ error: 'starting', message: 'the product is starting and waits for its archive (PostgreSQL); try again shortly' });
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => { this.timers.delete(entry); resolve(); }, ms), cancel: resolve };
      this.timers.add(entry);
    });
  }
}
