/** What submission-check-pool.ts and its worker threads (submission-check-worker.ts) send each other. */
import type { SerializedError } from '../ehf/validation-pool-messages.js';
import type { OurVerdict, Submission } from './submission.js';

/** Where XML is not well-formed, as fast-xml-parser's XMLValidator says. */
export interface XmlSyntaxError {
  line: number;
  col: number;
  msg: string;
}

export type CheckRequest =
  | { id: number; task: 'verdict'; submission: Submission }
  | { id: number; task: 'wellFormed'; xml: string };

export type CheckOutcome = { id: number; result: OurVerdict | XmlSyntaxError | true } | { id: number; error: SerializedError };
