/** A submission-check worker thread: runs our stage (ourVerdict) for each request, one at a time. */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../ehf/validation-pool-messages.js';
import { ourVerdict, type OurVerdict, type Submission } from './submission.js';

if (!parentPort) throw new Error('submission-check-worker runs only as a worker thread (see submission-check-pool.ts)');
const port = parentPort;

port.on('message', ({ id, submission }: { id: number; submission: Submission }) => {
  let outcome: { id: number; verdict: OurVerdict } | { id: number; error: ReturnType<typeof serializeError> };
  try {
    outcome = { id, verdict: ourVerdict(submission) };
  } catch (err) {
    outcome = { id, error: serializeError(err) };
  }
  port.postMessage(outcome);
});
port.postMessage({ ready: true });
