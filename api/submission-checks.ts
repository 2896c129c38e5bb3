/**
 * Where the API runs our stage of a submission's validation (issue 9, hostile input): small bodies on the event loop
 * (milliseconds), larger ones on the submission-check worker pool with its time budget, so that an invoice of
 * thousands of lines does not hold /health and the other ERPs' requests. The pool's refusals become HTTP answers:
 * over budget → 422 FF-CHECK-BUDGET; too many large checks waiting → 503 busy.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { XmlSyntaxError } from '../validation/submission-check-messages.js';
import { startSubmissionCheckPool, SubmissionCheckBudgetExceeded, SubmissionChecksBusy, type SubmissionCheckPool } from '../validation/submission-check-pool.js';
import { ourVerdict, type OurStage } from '../validation/submission.js';
import { HttpError } from './problem.js';

/** Up to this many characters a body is checked in place: about 500 lines, tens of milliseconds. */
export const IN_PLACE_LIMIT = 64 * 1024;

let pool: SubmissionCheckPool | undefined;

export const checkSubmissionOffLoop: OurStage = async (submission) => {
  if (submission.content.length <= IN_PLACE_LIMIT) return ourVerdict(submission);
  return offLoop((checks) => checks.check(submission));
};

/** fast-xml-parser's well-formedness check, for a large body on the pool: true, or where the XML is not well-formed. */
export async function xmlWellFormed(xml: string): Promise<true | XmlSyntaxError> {
  if (xml.length <= IN_PLACE_LIMIT) {
    const result = XMLValidator.validate(xml);
    return result === true ? true : { line: result.err.line, col: result.err.col, msg: result.err.msg };
  }
  return offLoop((checks) => checks.wellFormed(xml));
}

async function offLoop<T>(task: (checks: SubmissionCheckPool) => Promise<T>): Promise<T> {
  // One pool per process, started with the first large body; idle, it does not keep the process alive.
  pool ??= startSubmissionCheckPool();
  try {
    return await task(pool);
  } catch (err) {
    if (err instanceof SubmissionCheckBudgetExceeded) {
      throw new HttpError(422, 'invalid_invoice', err.message, [{ rule: 'FF-CHECK-BUDGET', severity: 'fatal', message: `${err.message}; split the invoice into smaller ones (docs/invoice-json.md, "Limits")`, path: '/' }]);
    }
    if (err instanceof SubmissionChecksBusy) throw new HttpError(503, 'busy', `${err.message}; try again shortly`);
    throw err;
  }
};
