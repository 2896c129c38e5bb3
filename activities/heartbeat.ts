/**
 * Channel activities heartbeat while they run, so that a worker killed in the middle of a delivery is noticed after the
 * heartbeat timeout (30 s, workflows/invoice-lifecycle.ts) instead of the start-to-close timeout (2 minutes), and the
 * retry — which finds the earlier delivery by its key — runs on a live worker. An activity that finishes within the
 * interval sends no heartbeat at all: no engine round trip is added to the common case (issue 12). The SDK throttles
 * heartbeats to 80 % of the timeout. Outside an activity (unit tests) the function simply runs.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

export function heartbeating<A extends unknown[], R>(activity: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS): (...args: A) => Promise<R> {
  return async (...args: A) => {
    let context: Context | undefined;
    try {
      context = Context.current();
    } catch {
      return activity(...args); // not inside an activity
    }
    const timer = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
