/**
 * Channel activities heartbeat while they run, so that a worker killed in the middle of a delivery is noticed after the
 * heartbeat timeout (30 s, workflows/invoice-lifecycle.ts) instead of the start-to-close timeout (2 minutes), and the
 * retry — which finds the earlier delivery by its key — runs on a live worker. An activity that finishes within the
 * interval sends no heartbeat at all: no engine round trip is added to the common case (issue 12). The SDK throttles
 * heartbeats to 80 % of the timeout. Outside an activity (unit tests) the function simply runs.
 *
 * A delivery's first attempt runs as a local activity (issue 12): the engine knows no task of it to heartbeat — the
 * worker keeps its workflow task alive instead — so there the heartbeat is nothing.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

export function heartbeating<A extends unknown[], R>(activity: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = currentContext();
    if (!context || context.info.isLocal) return activity(...args);
    const timer = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** The heartbeat a channel calls while it waits on its provider: the activity's, where the engine has a task to beat. */
export function heartbeat(): void {
  const context = currentContext();
  if (context && !context.info.isLocal) context.heartbeat();
}

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}
