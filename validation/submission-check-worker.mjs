// Entry point of a submission-check worker thread (see submission-check-pool.ts); like documents/pdf-render-worker.mjs
// it registers tsx's loader, which a worker thread does not inherit from vitest, then loads the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./submission-check-worker.ts');
