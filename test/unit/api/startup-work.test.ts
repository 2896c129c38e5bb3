/** Issue 9, defect 2: start-up work retries with backoff and reports its state; a stop ends the waiting. */
import { describe, expect, it } from 'vitest';
import { StartupCancelled, StartupWork } from '../../../main/startup-work.js';

describe('StartupWork', () => {
  it('retries a failing step until it succeeds, reporting `retrying` meanwhile, then `done`', async () => {
    const log: string[] = [];
    const work = new StartupWork((message) => log.push(message), { initialMs: 5, maxMs: 20 });
    let calls = 0;
    const statuses: string[] = [];
    const result = await work.run('migrations', async () => {
      statuses.push(work.status());
      if (++calls < 4) throw new Error('connect ECONNREFUSED');
      return 'applied';
    });
    expect(result).toBe('applied');
    expect(calls).toBe(4);
    expect(statuses).toEqual(['in progress', 'retrying', 'retrying', 'retrying']);
    expect(log.filter((m) => m === 'start-up: migrations failed, retrying')).toHaveLength(3);
    expect(work.status()).toBe('in progress'); // the archive is not marked ready yet
    expect(work.healthy()).toBe(false);
    work.markArchiveReady();
    expect(work.status()).toBe('done');
    expect(work.healthy()).toBe(true);
  });

  it('is healthy while background work simply runs, not while a step keeps failing', async () => {
    const work = new StartupWork(() => undefined, { initialMs: 5, maxMs: 20 });
    work.markArchiveReady();
    const seen: boolean[] = [];
    let calls = 0;
    await work.background('sweep', async () => {
      seen.push(work.healthy());
      if (++calls < 3) throw new Error('connect ECONNREFUSED');
    });
    // Running: healthy; failed and waiting to retry: not; done: healthy again.
    expect(seen).toEqual([true, false, false]);
    expect(work.healthy()).toBe(true);
  });

  it('waits longer after each failure, up to maxMs', async () => {
    const waits: number[] = [];
    const work = new StartupWork((_m, meta) => meta?.retryInMs !== undefined && waits.push(meta.retryInMs as number), { initialMs: 10, maxMs: 40 });
    let calls = 0;
    await work.run('step', async () => {
      if (++calls < 6) throw new Error('down');
    });
    expect(waits).toHaveLength(5);
    expect(waits[0]).toBeLessThanOrEqual(12);
    expect(waits[2]).toBeGreaterThanOrEqual(32);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(48);
  });

  it('stops retrying on stop(), with StartupCancelled', async () => {
    const work = new StartupWork(() => undefined, { initialMs: 60_000 });
    let calls = 0;
    const running = work.run('sweep', async () => {
      calls++;
      throw new Error('down');
    });
    await new Promise((resolve) => setImmediate(resolve));
    work.stop();
    await expect(running).rejects.toBeInstanceOf(StartupCancelled);
    expect(calls).toBe(1);
  });
});
