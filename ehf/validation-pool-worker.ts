/**
 * A validation worker thread: loads the official rules once, says `ready`, then validates the documents of each
 * message together until the pool terminates it. Started through validation-pool-worker.mjs; the messages are
 * validation-pool.ts's.
 */
import { parentPort } from 'node:worker_threads';
import { validateUblOfficialEach, warmUpOfficialValidation } from './official-validation.js';
import { serializeError, type DocumentOutcome, type FromWorker, type ToWorker } from './validation-pool-messages.js';

if (!parentPort) throw new Error('validation-pool-worker runs only as a worker thread (see validation-pool.ts)');
const port = parentPort;
const send = (message: FromWorker) => port.postMessage(message);

try {
  send({ type: 'ready', versions: warmUpOfficialValidation() });
} catch (err) {
  send({ type: 'failed', error: serializeError(err) });
}

port.on('message', ({ documents }: ToWorker) => {
  let outcomes: DocumentOutcome[];
  try {
    outcomes = validateUblOfficialEach(documents.map((document) => document.xml)).map((outcome, n) => {
      const { id } = documents[n]!;
      return 'error' in outcome ? { id, error: serializeError(outcome.error) } : { id, result: outcome.result };
    });
  } catch (err) {
    outcomes = documents.map(({ id }) => ({ id, error: serializeError(err) }));
  }
  send({ type: 'done', outcomes });
});
