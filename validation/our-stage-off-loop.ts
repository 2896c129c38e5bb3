/**
 * Where our stage of the validation runs, in the API and in the worker alike (issue 9: no single invoice may hold an
 * event loop): small documents in place (milliseconds), larger ones on the submission-check pool of worker threads
 * with its time budget (submission-check-pool.ts) — 5,000 lines, the limit, take ~0.7 s of parsing and UBL building,
 * which would otherwise stop a worker's workflow tasks and heartbeats as long. One pool per process, started with the
 * first large document; idle, it does not keep the process alive. Throws the pool's SubmissionCheckBudgetExceeded and
 * SubmissionChecksBusy: the API answers them (api/submission-checks.ts), an activity retries.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { XmlSyntaxError } from './submission-check-messages.js';
import { startSubmissionCheckPool, type SubmissionCheckPool } from './submission-check-pool.js';
import { ourVerdict, type OurStage } from './submission.js';

/** Up to this many characters a document is checked in place: about 500 lines, tens of milliseconds. */
export const IN_PLACE_LIMIT = 64 * 1024;

let pool: SubmissionCheckPool | undefined;
const checks = () => (pool ??= startSubmissionCheckPool());

export const ourVerdictOffLoop: OurStage = async (submission) => {
  if (submission.content.length <= IN_PLACE_LIMIT) return ourVerdict(submission);
  return checks().check(submission);
};

/** fast-xml-parser's well-formedness check, a large document on the pool: true, or where the XML is not well-formed. */
export async function wellFormedOffLoop(xml: string): Promise<true | XmlSyntaxError> {
  if (xml.length <= IN_PLACE_LIMIT) {
    const result = XMLValidator.validate(xml);
    return result === true ? true : { line: result.err.line, col: result.err.col, msg: result.err.msg };
  }
  return checks().wellFormed(xml);
}
