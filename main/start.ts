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
  const product = await startProduct(config, { persistentEngine: true });
  console.log(`[fakturaflyt] ready: API ${product.url}${product.temporalUiUrl ? `, Temporal UI ${product.temporalUiUrl}` : ''} (Ctrl-C stops)`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[fakturaflyt] ${signal}: stopping`);
    product.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(`[fakturaflyt] stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(`[fakturaflyt] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
