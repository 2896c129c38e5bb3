/** Channel activities heartbeat while they wait (activities/heartbeat.ts), and only then. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { heartbeat, heartbeating } from '../../../activities/heartbeat.js';

describe('heartbeating', () => {
  it('heartbeats at its interval while the activity runs, and stops when it ends', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    let beatsSeen: () => void;
    const twoBeats = new Promise<void>((done) => (beatsSeen = done));
    env.on('heartbeat', () => {
      if (++beats === 2) beatsSeen();
    });
    // The activity waits on its provider until two heartbeats went out: it cannot finish otherwise.
    const result = await env.run(heartbeating(async (x: number) => {
      await twoBeats;
      return x * 2;
    }, 5), 21);
    expect(result).toBe(42);
    const after = beats;
    await new Promise((done) => setTimeout(done, 30)); // several intervals: a timer left running would beat again
    expect(beats).toBe(after);
  });

  it('sends no heartbeat for an activity that ends within the interval, and passes its failure through', async () => {
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }); // the failure below is expected
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await expect(env.run(heartbeating(async () => { throw new Error('provider down'); }, 60_000))).rejects.toThrow('provider down');
    expect(await env.run(heartbeating(async () => 'done', 60_000))).toBe('done');
    expect(beats).toBe(0);
  });

  it('runs the function as it is outside an activity', async () => {
    expect(await heartbeating(async (s: string) => s.toUpperCase())('ok')).toBe('OK');
  });

  it('sends no heartbeat from a local activity (a first delivery attempt): the engine has no task of it to beat', async () => {
    const env = new MockActivityEnvironment({ isLocal: true });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    // Many intervals pass while the activity runs, and the channel's own heartbeat is called as well.
    const result = await env.run(heartbeating(async () => {
      heartbeat();
      await new Promise((done) => setTimeout(done, 30));
      heartbeat();
      return 'delivered';
    }, 2));
    expect(result).toBe('delivered');
    expect(beats).toBe(0);
    // The same in an activity the engine dispatched does beat: the count above can fail.
    const remote = new MockActivityEnvironment({ isLocal: false });
    remote.on('heartbeat', () => beats++);
    await remote.run(async () => heartbeat());
    expect(beats).toBe(1);
  });
});
