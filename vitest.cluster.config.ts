/**
 * `npm run test:cluster`: the integration tests that need no time skipping (API end to end, activities, channels,
 * restart) and the deployment test, against the real Temporal cluster on PostgreSQL of `npm run cluster:start`:
 * TEMPORAL_ADDRESS if set, else the address cluster:start noted in DATA_DIR/cluster/cluster.json. Not part of `npm test`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

function clusterAddress(): string {
  if (process.env.TEMPORAL_ADDRESS) return process.env.TEMPORAL_ADDRESS;
  const stateFile = resolve(process.env.DATA_DIR || '.data', 'cluster', 'cluster.json');
  try {
    return (JSON.parse(readFileSync(stateFile, 'utf8')) as { address: string }).address;
  } catch {
    throw new Error(`test:cluster needs a running cluster: \`npm run cluster:start\` (no ${stateFile}), or TEMPORAL_ADDRESS`);
  }
}

export default defineConfig({
  test: {
    name: 'cluster',
    include: [
      'test/integration/api.test.ts',
      'test/integration/activities.test.ts',
      'test/integration/peppol-access-point.test.ts',
      'test/integration/consumer-channels.test.ts',
      'test/integration/efaktura-lifecycle.test.ts',
      'test/integration/restart-and-reload.test.ts',
      'test/cluster/**/*.test.ts',
    ],
    // The same once-per-run archive and workflow bundle as `npm test`; test/support/engine.ts reads the address.
    globalSetup: ['test/integration/global-setup.ts'],
    setupFiles: ['test/integration/quiet-sdk.ts'],
    env: { TEMPORAL_ADDRESS: clusterAddress() },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
