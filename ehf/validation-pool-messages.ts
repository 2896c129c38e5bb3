/** What validation-pool.ts and its worker threads (validation-pool-worker.ts) send each other. */
import type { OfficialValidationResult, OfficialValidationVersions } from './official-validation.js';

/** Documents for one worker to validate together (validateUblOfficialEach). */
export interface ToWorker {
  documents: { id: number; xml: string }[];
}

/** A document's outcome, by the id it was sent with. */
export type DocumentOutcome = { id: number; result: OfficialValidationResult } | { id: number; error: SerializedError };

export type FromWorker =
  | { type: 'ready'; versions: OfficialValidationVersions }
  | { type: 'failed'; error: SerializedError }
  | { type: 'done'; outcomes: DocumentOutcome[] };

/** An Error as plain data: structured cloning keeps the message but drops fields such as `code`. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as Error & { code?: unknown }).code;
  return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' && { code }) };
}

export function deserializeError(data: SerializedError): Error {
  const err = Object.assign(new Error(data.message), data.code === undefined ? {} : { code: data.code });
  err.name = data.name;
  if (data.stack) err.stack = data.stack;
  return err;
}
