/**
 * The engine a test's product runs on: its own Temporal dev server on a free port (`npm test`), or the real cluster
 * on PostgreSQL that `npm run test:cluster` names in TEMPORAL_ADDRESS (vitest.cluster.config.ts). On the shared
 * cluster every test file gets a task queue of its own, or its worker would run the workflows another file started
 * with other channels configured.
 */
import { randomUUID } from 'node:crypto';
import { TASK_QUEUE } from '../../workflows/definitions.js';
import { freePort } from './free-port.js';

export interface TestEngine {
  /** Entries for loadConfig: TEMPORAL_ADDRESS, or TEMPORAL_PORT for the product's own dev server. */
  env: Record<string, string>;
  /** For startProduct's `taskQueue`: undefined (the product's own) on a dev server of the test's own. */
  taskQueue?: string;
}

export async function testEngine(): Promise<TestEngine> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) return { env: { TEMPORAL_PORT: String(await freePort()) } };
  return { env: { TEMPORAL_ADDRESS: address }, taskQueue: `${TASK_QUEUE}-test-${randomUUID().slice(0, 8)}` };
}
