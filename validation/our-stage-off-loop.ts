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
import { ourVerdict, type OurStage, type OurVerdict, type Submission } from './submission.js';

/** Up to this many characters a document is checked in place: about 500 lines, tens of milliseconds. */
export const IN_PLACE_LIMIT = 64 * 1024;

let pool: SubmissionCheckPool | undefined;
const checks = () => (pool ??= startSubmissionCheckPool());

/**
 * The verdicts of the last few small documents (issue 12). With the worker beside the API (`FAKTURAFLYT_ROLE=all`),
 * one invoice is parsed, checked and built to UBL by the API, again by the workflow's prepare step and parsed once more
 * for its delivery, within a second: the same text gives the same verdict, so the later ones take the first. Keyed by
 * the text itself (a string key is compared in full, no digest to trust), bounded in number and size; a verdict is
 * shared, so nobody changes one (the model is read, never written, after parsing).
 */
export const RECENT_VERDICTS = 64;
const recent = new Map<string, { mediaType: string; verdict: OurVerdict }>();

/** The verdict this process gave the same text lately, if it did (no work on a miss). */
export function recentVerdict(submission: Submission): OurVerdict | undefined {
  const known = recent.get(submission.content);
  return known?.mediaType === submission.mediaType ? known.verdict : undefined;
}

export const ourVerdictOffLoop: OurStage = async (submission) => {
  const { content, mediaType } = submission;
  if (content.length > IN_PLACE_LIMIT) return checks().check(submission);
  const known = recentVerdict(submission);
  if (known) return known;
  const verdict = ourVerdict(submission);
  if (!recent.has(content) && recent.size >= RECENT_VERDICTS) recent.delete(recent.keys().next().value!); // the oldest first
  recent.set(content, { mediaType, verdict });
  return verdict;
};

/** fast-xml-parser's well-formedness check, a large document on the pool: true, or where the XML is not well-formed. */
export async function wellFormedOffLoop(xml: string): Promise<true | XmlSyntaxError> {
  if (xml.length <= IN_PLACE_LIMIT) {
    const result = XMLValidator.validate(xml);
    return result === true ? true : { line: result.err.line, col: result.err.col, msg: result.err.msg };
  }
  return checks().wellFormed(xml);
}
