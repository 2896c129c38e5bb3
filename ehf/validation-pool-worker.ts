/**
 * A validation worker thread: loads the official rules once, says `ready`, then validates one document per message
 * until the pool terminates it. Started through validation-pool-worker.mjs; the messages are validation-pool.ts's.
 */
import { parentPort } from 'node:worker_threads';
import { validateUblOfficial, warmUpOfficialValidation } from './official-validation.js';
import { serializeError, type FromWorker, type ToWorker } from './validation-pool-messages.js';

if (!parentPort) throw new Error('validation-pool-worker runs only as a worker thread (see validation-pool.ts)');
const port = parentPort;
const send = (message: FromWorker) => port.postMessage(message);

try {
  send({ type: 'ready', versions: warmUpOfficialValidation() });
} catch (err) {
  send({ type: 'failed', error: serializeError(err) });
}

port.on('message', async ({ id, xml }: ToWorker) => {
  try {
    send({ type: 'done', id, result: await validateUblOfficial(xml) });
  } catch (err) {
    send({ type: 'error', id, error: serializeError(err) });
  }
});
