/**
 * The embedded engine: the Temporal CLI's dev server (a real Temporal server on SQLite), started as a child
 * process with the invoice search attributes registered. With a db file it persists across restarts, so
 * in-flight invoices resume; without one it keeps everything in memory (tests).
 */
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { searchAttributes } from '../workflows/definitions.js';
import { stopLeftover } from './leftover-process.js';
import { temporalCli } from './temporal-binaries.js';

export interface DevServer {
  address: string;
  /** The server's process (for the benchmark's CPU figures). */
  pid?: number;
  uiUrl?: string;
  /** The pid of a dev server an earlier run left running on the same db file, which this start stopped. */
  stoppedLeftover?: number;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  /** The UI's remote codec (engine/codec-server.ts), so the UI shows decrypted payloads. */
  codecEndpoint?: string;
  log?: (line: string) => void;
}): Promise<DevServer> {
  // A dev server an earlier run could not stop (kill -9) still holds the port and the db file; ours only, by pid file.
  const pidFile = options.dbFile ? `${options.dbFile}.pid` : undefined;
  const stoppedLeftover = pidFile ? await stopLeftover(pidFile, options.dbFile!, 'SIGTERM') : undefined;
  // Anything else on the port would answer our readiness check in place of the server we start.
  for (const port of [options.port, options.uiPort]) {
    if (port && (await listening(port))) throw new Error(`port ${port} on 127.0.0.1 is in use by another process: stop it, or set TEMPORAL_PORT / TEMPORAL_UI_PORT (or TEMPORAL_ADDRESS)`);
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace ?? 'default', '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.uiPort && options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const key of Object.values(searchAttributes)) args.push('--search-attribute', `${key.name}=Keyword`);
  // Eager activity dispatch (issue 12): the activity a workflow task schedules comes back with that task's completion
  // to the worker that completed it, instead of through a poll of its own; the SDK asks for it by default
  // (maxEagerActivityReservationsPerWorkflowTask), the server grants it only when enabled.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  // Its own process group: Ctrl-C reaches only us, and we stop the server after the worker has drained.
  // Output goes to our log only when one is given; else to /dev/null, never to a pipe: a pipe whose reader died (our
  // process killed with SIGKILL) would kill the server at its next line with SIGPIPE, and the next start could not
  // find and stop it in order.
  const address = `127.0.0.1:${options.port}`;
  const log = options.log ?? (() => undefined);
  // The dev server picks its HTTP, metrics and internal services' ports at random and binds them a moment later:
  // another process starting at the same time (parallel test files, another dev server) can take one in between, and
  // the server exits before serving (code 2). Started again, it picks other ports; a server that cannot start at all
  // fails the same way three times.
  let child: ChildProcess;
  let killOnExit: () => void;
  for (let attempt = 1; ; attempt++) {
    const started = spawn(temporalCli(), args, { stdio: ['ignore', options.log ? 'pipe' : 'ignore', options.log ? 'pipe' : 'ignore'], detached: true });
    if (pidFile && started.pid) writeFileSync(pidFile, `${started.pid}\n`);
    const kill = () => started.kill('SIGTERM');
    process.once('exit', kill);
    started.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    started.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    try {
      await waitUntilServing(started, address);
      child = started;
      killOnExit = kill;
      break;
    } catch (err) {
      process.off('exit', kill);
      if (!(err instanceof ExitedBeforeServing) || attempt === 3) throw err;
      log(`engine: the Temporal dev server ${err.how} before serving; starting it again (attempt ${attempt + 1} of 3)`);
    }
  }
  return {
    address,
    pid: child.pid,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stoppedLeftover,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

class ExitedBeforeServing extends Error {
  constructor(
    readonly how: string,
    address: string,
  ) {
    super(`Temporal dev server ${how} before serving (is port ${address} free?)`);
  }
}

async function waitUntilServing(child: ChildProcess, address: string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new ExitedBeforeServing(exited, address);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not answer on ${address}: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
