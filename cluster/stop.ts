/** `npm run cluster:stop`: stops the server (and the embedded PostgreSQL) that `npm run cluster:start` started. */
import { resolve } from 'node:path';
import { readClusterState, stopCluster } from './state.js';

const stateDir = resolve(process.env.DATA_DIR || '.data', 'cluster');
const log = (line: string) => console.log(`[cluster] ${line}`);

readClusterState(stateDir)
  .then(async (state) => {
    if (!state) return log(`nothing to stop (no ${stateDir}/cluster.json)`);
    await stopCluster(state, log);
  })
  .catch((err) => {
    console.error(`[cluster] stop failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
