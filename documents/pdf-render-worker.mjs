// Entry point of a PDF rendering worker thread (see pdf-render-pool.ts); like ehf/validation-pool-worker.mjs it
// registers tsx's loader, which a worker thread does not inherit from vitest, then loads the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-render-worker.ts');
