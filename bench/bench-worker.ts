/**
 * A worker process of `npm run bench -- --workers <k>`: the product with FAKTURAFLYT_ROLE=worker, as a worker container
 * runs it (main/start.ts), on the benchmark's own task queue (BENCH_TASK_QUEUE), which a shared cluster needs. Prints
 * `ready` once it polls; stops on SIGTERM.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../main/config.js';
import { startProduct } from '../main/product.js';

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
const config = loadConfig({ ...process.env, FAKTURAFLYT_ROLE: 'worker' });
const product = await startProduct(config, { taskQueue: process.env.BENCH_TASK_QUEUE || undefined, log: () => undefined });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  product.stop().then(() => process.exit(0), () => process.exit(1));
});
