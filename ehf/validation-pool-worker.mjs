// Entry point of a validation worker thread (see validation-pool.ts). A worker starts without the TypeScript loader
// that tsx or vitest gave the main thread, so it registers tsx's (as bin/fakturaflyt.mjs does) and loads the
// worker's code; under tsx, where the worker already inherited the loader, registering again is harmless.
import { register } from 'tsx/esm/api';

register();
await import('./validation-pool-worker.ts');
