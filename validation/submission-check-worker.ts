/**
 * A submission-check worker thread: runs, one at a time, our stage (ourVerdict) or the XML well-formedness check of a
 * large body for submission-check-pool.ts.
 */
import { XMLValidator } from 'fast-xml-parser';
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../ehf/validation-pool-messages.js';
import type { CheckOutcome, CheckRequest } from './submission-check-messages.js';
import { ourVerdict } from './submission.js';

if (!parentPort) throw new Error('submission-check-worker runs only as a worker thread (see submission-check-pool.ts)');
const port = parentPort;

port.on('message', (request: CheckRequest) => {
  let outcome: CheckOutcome;
  try {
    if (request.task === 'wellFormed') {
      const result = XMLValidator.validate(request.xml);
      outcome = { id: request.id, result: result === true ? true : { line: result.err.line, col: result.err.col, msg: result.err.msg } };
    } else {
      outcome = { id: request.id, result: ourVerdict(request.submission) };
    }
  } catch (err) {
    outcome = { id: request.id, error: serializeError(err) };
  }
  port.postMessage(outcome);
});
port.postMessage({ ready: true });
