// `npm start` after a `kill -9`: the embedded PostgreSQL and the detached Temporal dev server outlive the killed
// process and hold their ports and data files; the next start stops exactly those (found by their pid files) and comes
// up. Then Ctrl-C as a terminal sends it, to the whole process group of `npm start`'s tsx (which relays signals to its
// child and kills a child that does not say it handles them) stops everything. The product runs on its embedded
// defaults, as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine, readPidFile, running } from '../../main/leftover-process.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'fakturaflyt-leftover-'));

interface Run {
  child: ChildProcess;
  output: () => string;
}

const TSX_CLI = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** `node --import tsx main/start.ts`, or with `viaTsxCli` what `npm start` runs (the tsx CLI), in its own process group. */
function startProduct(ports: { api: number; postgres: number; temporal: number }, viaTsxCli = false): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    EMBEDDED_PG_PORT: String(ports.postgres),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: '0',
    RULES_DIR: join(root, 'rules'),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const args = viaTsxCli ? [TSX_CLI, 'main/start.ts'] : ['--import', 'tsx', 'main/start.ts'];
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: viaTsxCli });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Resolves once the product says it is ready; rejects at once if it exits first. */
function ready(run: Run): Promise<void> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the product exited with ${code} before it was ready:\n${run.output()}`));
    run.child.once('exit', exited);
    waitFor('the product to be ready', async () => run.output().includes('[fakturaflyt] ready:')).then(() => {
      run.child.off('exit', exited);
      resolve();
    }, reject);
  });
}

/** Pids of running processes whose command line names our data directory (the servers the product started). */
function serversOfDataDir(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => running(pid) && commandLine(pid)?.includes(dataDir));
}

afterAll(() => {
  for (const pid of serversOfDataDir()) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('starting after the product was killed with SIGKILL', () => {
  it('stops the servers the killed run left, starts, and Ctrl-C on npm start leaves nothing running', async () => {
    const ports = { api: await freePort(), postgres: await freePort(), temporal: await freePort() };
    const first = startProduct(ports);
    await ready(first);
    first.child.kill('SIGKILL');
    await waitFor('the first run to end', async () => first.child.signalCode === 'SIGKILL');

    const postgres = readPidFile(join(dataDir, 'postgres', 'postmaster.pid'));
    const temporal = readPidFile(join(dataDir, 'temporal.sqlite.pid'));
    expect(serversOfDataDir().sort()).toEqual([postgres, temporal].sort());

    const second = startProduct(ports, true);
    await ready(second);
    expect(second.output()).toContain(`stopped the embedded PostgreSQL an earlier run left running {"pid":${postgres}}`);
    expect(second.output()).toContain(`stopped the Temporal dev server an earlier run left running {"pid":${temporal}}`);
    expect(serversOfDataDir()).not.toContain(postgres);
    expect(serversOfDataDir()).not.toContain(temporal);
    const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
    expect(health.status).toBe(200);

    process.kill(-second.child.pid!, 'SIGINT');
    await waitFor('the second run to stop', async () => second.child.exitCode !== null || second.child.signalCode !== null);
    expect([second.child.exitCode, second.child.signalCode]).toEqual([0, null]);
    expect(second.output()).toContain('SIGINT: stopping');
    // The terminal's Ctrl-C reaches the whole group; the database runs in a session of its own and stops last, so no
    // connection of ours was cut off under us.
    expect(second.output()).not.toContain('idle connection closed');
    await waitFor('its servers to end', async () => serversOfDataDir().length === 0);
    expect(existsSync(join(dataDir, 'temporal.sqlite.pid'))).toBe(false);
  }, 180_000);
});
