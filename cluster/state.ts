/**
 * What `npm run cluster:start` left running, in DATA_DIR/cluster/cluster.json: the server's pid and address, and the
 * embedded PostgreSQL it started when DATABASE_URL was not set. `cluster:stop`, `test:cluster` and a second start read it.
 */
import { Connection } from '@temporalio/client';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandLine, running, stopLeftover, stopLeftoverProcess } from '../main/leftover-process.js';

export interface ClusterState {
  address: string;
  serverPid: number;
  stateDir: string;
  embeddedPostgres?: { pid?: number; databaseDir: string };
}

const stateFile = (stateDir: string) => join(stateDir, 'cluster.json');

export async function readClusterState(stateDir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(stateDir), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export async function writeClusterState(state: ClusterState): Promise<void> {
  await writeFile(stateFile(state.stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Our server still runs (a recycled pid runs something else) and its frontend answers. */
export async function clusterIsUp(state: ClusterState): Promise<boolean> {
  if (!running(state.serverPid) || !commandLine(state.serverPid)?.includes('temporal-server')) return false;
  try {
    const connection = await Connection.connect({ address: state.address, connectTimeout: 2000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/**
 * Stops the server (SIGTERM: it leaves its membership ring and closes its shards; SIGKILL after 30 s), then the
 * embedded PostgreSQL if the start made one (SIGINT: PostgreSQL's fast shutdown), and forgets the state.
 */
export async function stopCluster(state: ClusterState, log: (line: string) => void): Promise<void> {
  if (await stopLeftoverProcess(state.serverPid, 'temporal-server', 'SIGTERM', 30_000)) log(`stopped temporal-server (pid ${state.serverPid})`);
  if (state.embeddedPostgres) {
    const { databaseDir } = state.embeddedPostgres;
    const pid = await stopLeftover(join(databaseDir, 'postmaster.pid'), databaseDir, 'SIGINT');
    if (pid) log(`stopped the embedded PostgreSQL (pid ${pid})`);
  }
  await rm(stateFile(state.stateDir), { force: true });
}
