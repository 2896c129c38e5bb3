/**
 * Our stage of a submission's validation as the API runs it (validation/our-stage-off-loop.ts: small bodies in place,
 * larger ones on the submission-check pool with its time budget), with the pool's refusals as HTTP answers: over
 * budget → 422 FF-CHECK-BUDGET; too many large checks waiting → 503 busy.
 */
import type { XmlSyntaxError } from '../validation/submission-check-messages.js';
import { SubmissionCheckBudgetExceeded, SubmissionChecksBusy } from '../validation/submission-check-pool.js';
import { ourVerdictOffLoop, wellFormedOffLoop } from '../validation/our-stage-off-loop.js';
import type { OurStage } from '../validation/submission.js';
import { HttpError } from './problem.js';

export const checkSubmissionOffLoop: OurStage = (submission) => answered(ourVerdictOffLoop(submission));

export function xmlWellFormed(xml: string): Promise<true | XmlSyntaxError> {
  return answered(wellFormedOffLoop(xml));
}

async function answered<T>(check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (err) {
    if (err instanceof SubmissionCheckBudgetExceeded) {
      throw new HttpError(422, 'invalid_invoice', err.message, [{ rule: 'FF-CHECK-BUDGET', severity: 'fatal', message: `${err.message}; split the invoice into smaller ones (docs/invoice-json.md, "Limits")`, path: '/' }]);
    }
    if (err instanceof SubmissionChecksBusy) throw new HttpError(503, 'busy', `${err.message}; try again shortly`);
    throw err;
  }
}
