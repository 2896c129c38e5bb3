/**
 * The invoice worker: runs the lifecycle workflow and its activities on the `invoices` task queue.
 * Workers scale horizontally: start more of them against the same Temporal namespace.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import type { createActivities } from '../activities/index.js';
import { TASK_QUEUE } from '../workflows/definitions.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface InvoiceWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  activities: ReturnType<typeof createActivities>;
  /** A pre-built bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  /** The payload codec (engine/payload-codec.ts); tests' own workers run without one. */
  dataConverter?: WorkerOptions['dataConverter'];
}

export function createInvoiceWorker(options: InvoiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: options.activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
  });
}
