/** A PDF rendering worker thread: renders each request it gets, one at a time. Started by pdf-render-pool.ts. */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../ehf/validation-pool-messages.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import type { RenderOutcome, RenderRequest } from './pdf-render-messages.js';

if (!parentPort) throw new Error('pdf-render-worker runs only as a worker thread (see pdf-render-pool.ts)');
const port = parentPort;

port.on('message', async ({ id, invoice, totals, options }: RenderRequest) => {
  let outcome: RenderOutcome;
  try {
    outcome = { id, result: await renderInvoicePdf(invoice, totals, options) };
  } catch (err) {
    outcome = { id, error: serializeError(err) };
  }
  port.postMessage(outcome, 'result' in outcome ? [outcome.result.buffer as ArrayBuffer] : []);
});
port.postMessage({ ready: true });
