/**
 * `npm run cluster:start`: a real Temporal server (go.temporal.io/server, built by `npm run cluster:setup`) on the
 * PostgreSQL of DATABASE_URL, else on an embedded PostgreSQL of its own under DATA_DIR/cluster. It creates the
 * `temporal` and `temporal_visibility` databases and their schemas with temporal-sql-tool (as temporalio/admin-tools
 * does in Temporal's samples-server compose files), starts the server in the background from cluster/temporal-server.yaml,
 * registers the namespace and our search attributes, and prints `TEMPORAL_ADDRESS=<host:port>` as its last line.
 * `npm run cluster:stop` stops what it started (cluster/state.ts names it). Running it again while the cluster runs
 * prints the same address.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../archive/embedded-postgres.js';
import { registerSearchAttributes } from '../workflows/register-search-attributes.js';
// @ts-expect-error plain ESM script without types; it names the binaries it builds
import { clusterBinaries, clusterToolsPresent, TEMPORAL_SERVER_VERSION } from '../scripts/cluster-setup.mjs';
import { clusterIsUp, readClusterState, stopCluster, writeClusterState, type ClusterState } from './state.js';

const log = (line: string) => console.log(`[cluster] ${line}`);
const repoRoot = resolve(import.meta.dirname, '..');
const binaries = clusterBinaries as { server: string; sqlTool: string; schemaDir: string };

async function main(): Promise<void> {
  const env = process.env;
  const stateDir = resolve(env.DATA_DIR || '.data', 'cluster');
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  await mkdir(stateDir, { recursive: true });

  const previous = await readClusterState(stateDir);
  if (previous && (await clusterIsUp(previous))) {
    log(`already running (pid ${previous.serverPid}); \`npm run cluster:stop\` stops it`);
    console.log(`TEMPORAL_ADDRESS=${previous.address}`);
    return;
  }
  if (previous) await stopCluster(previous, log); // a server or database an earlier start left half up
  if (!(clusterToolsPresent as () => boolean)()) throw new Error('the Temporal server is not built: run `npm run cluster:setup` first');

  // The database: DATABASE_URL's server (its user must be allowed to create databases), else an embedded one that
  // outlives this command, like the server.
  let databaseUrl = env.DATABASE_URL;
  const state: ClusterState = { address: '', serverPid: 0, stateDir };
  if (!databaseUrl) {
    const port = env.EMBEDDED_PG_PORT && env.EMBEDDED_PG_PORT !== '0' ? Number(env.EMBEDDED_PG_PORT) : await lowFreePort([]);
    const embedded = await startEmbeddedPostgres({ dataDir: stateDir, port, outliveCaller: true, log });
    databaseUrl = embedded.url;
    state.embeddedPostgres = { pid: embedded.pid, databaseDir: embedded.databaseDir };
    await writeClusterState(state);
    startedNow = state;
    log(`embedded PostgreSQL on 127.0.0.1:${port} (${embedded.databaseDir})`);
  }
  const db = new URL(databaseUrl);
  const database = {
    host: db.hostname || '127.0.0.1',
    port: db.port || '5432',
    user: decodeURIComponent(db.username),
    password: decodeURIComponent(db.password),
    defaultDb: decodeURIComponent(db.pathname.slice(1)) || 'postgres',
  };
  for (const [name, folder] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    await prepareSchema(database, name, join(binaries.schemaDir, folder, 'versioned'));
  }

  // Ports: the frontend's from TEMPORAL_CLUSTER_PORT if set, every other one free on loopback now. All below 32768:
  // the server records its services' ports in cluster_membership.rpc_port, a SMALLINT (schema/postgresql/v12/temporal/
  // schema.sql), and a port from the OS's ephemeral range (32768 and up) makes the membership heartbeat fail at start.
  const ports: Record<string, number> = {};
  ports.CLUSTER_FRONTEND_PORT = env.TEMPORAL_CLUSTER_PORT ? Number(env.TEMPORAL_CLUSTER_PORT) : await lowFreePort([]);
  for (const name of ['FRONTEND_MEMBERSHIP', 'FRONTEND_HTTP', 'MATCHING', 'MATCHING_MEMBERSHIP', 'HISTORY', 'HISTORY_MEMBERSHIP', 'WORKER', 'WORKER_MEMBERSHIP']) {
    ports[`CLUSTER_${name}_PORT`] = await lowFreePort(Object.values(ports));
  }
  const frontendPort = ports.CLUSTER_FRONTEND_PORT;
  const logFile = join(stateDir, 'temporal-server.log');
  const serverEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    CLUSTER_DB_HOST: database.host,
    CLUSTER_DB_PORT: database.port,
    CLUSTER_DB_USER: database.user,
    CLUSTER_DB_PASSWORD: database.password,
    CLUSTER_DYNAMIC_CONFIG: join(repoRoot, 'cluster', 'dynamic-config.yaml'),
  };
  // Detached, in a session of its own, its output in a log file: it keeps running after this command returns.
  const out = openSync(logFile, 'a');
  const child = spawn(binaries.server, ['--config-file', join(repoRoot, 'cluster', 'temporal-server.yaml'), '--allow-no-auth', 'start'], {
    env: serverEnv,
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  state.serverPid = child.pid!;
  state.address = `127.0.0.1:${frontendPort}`;
  await writeClusterState(state);
  startedNow = state;
  log(`temporal-server ${TEMPORAL_SERVER_VERSION} started (pid ${child.pid}, log ${logFile})`);

  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `temporal-server exited (${signal ?? code}) during start; see ${logFile}`));
  const connection = await until('the frontend', 60_000, async () => {
    if (exited) throw new Fatal(exited);
    const c = await Connection.connect({ address: state.address, connectTimeout: 1000 });
    try {
      await c.workflowService.getSystemInfo({});
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  });
  try {
    await until(`namespace ${namespace}`, 60_000, async () => {
      if (exited) throw new Fatal(exited);
      // Closed runs stay readable in the engine for a week (the archive keeps every invoice's record for good).
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') })
        .catch((err: Error) => {
          if (!/already (exists|registered)/i.test(err.message)) throw err;
        });
      await connection.workflowService.describeNamespace({ namespace });
    });
    // The namespace cache of every service catches up within its refresh interval (cluster/dynamic-config.yaml).
    await until('the search attributes', 60_000, () => registerSearchAttributes(connection, namespace));
  } finally {
    await connection.close();
  }
  log(`ready on PostgreSQL ${database.host}:${database.port} (databases temporal, temporal_visibility); \`npm run cluster:stop\` or kill ${state.serverPid} stops it`);
  console.log(`TEMPORAL_ADDRESS=${state.address}`);
}

interface Database {
  host: string;
  port: string;
  user: string;
  password: string;
  defaultDb: string;
}

/**
 * create-database / setup-schema / update-schema, as the admin-tools image runs them. A database that exists is
 * kept and only brought up to the module's schema version (update-schema applies what is missing).
 */
async function prepareSchema(database: Database, name: string, versionedDir: string): Promise<void> {
  if (!existsSync(versionedDir)) throw new Error(`schema folder missing: ${versionedDir} (run \`npm run cluster:setup\`)`);
  const admin = new pg.Client({ host: database.host, port: Number(database.port), user: database.user, password: database.password, database: database.defaultDb });
  await admin.connect();
  let exists: boolean;
  let versioned = false;
  try {
    exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
  if (exists) {
    const target = new pg.Client({ host: database.host, port: Number(database.port), user: database.user, password: database.password, database: name });
    await target.connect();
    try {
      versioned = (await target.query("SELECT to_regclass('public.schema_version') IS NOT NULL AS present")).rows[0].present;
    } finally {
      await target.end();
    }
  }
  if (!exists) sqlTool(database, name, ['create-database', '--defaultdb', database.defaultDb]);
  if (!versioned) sqlTool(database, name, ['setup-schema', '-v', '0.0']);
  sqlTool(database, name, ['update-schema', '-d', versionedDir]);
  log(`database ${name}: schema up to date`);
}

function sqlTool(database: Database, name: string, command: string[]): void {
  // The password goes by environment (SQL_PASSWORD, tools/sql/main.go), not on a command line others can read.
  const result = spawnSync(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', database.host, '-p', database.port, '-u', database.user, '--db', name, ...command], {
    env: { ...process.env, SQL_PASSWORD: database.password },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`temporal-sql-tool ${command[0]} ${name} failed: ${(result.stderr || result.stdout || String(result.error)).trim().split('\n').slice(-3).join(' | ')}`);
}

/** A port below the ephemeral range that nothing listens on now (and not one already `taken` by this start). */
async function lowFreePort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.includes(port) && (await canListen(port))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

class Fatal extends Error {}

/** What this run started, stopped again should the start fail after it. */
let startedNow: ClusterState | undefined;

/** Retries `attempt` until it resolves (a server coming up refuses and fails at first), at most `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof Fatal) throw err;
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s: ${(last as Error)?.message ?? last}`);
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(`[cluster] start failed: ${err instanceof Error ? err.message : String(err)}`);
    if (startedNow) await stopCluster(startedNow, log).catch(() => undefined);
    process.exit(1);
  },
);
