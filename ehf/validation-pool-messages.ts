/** What validation-pool.ts and its worker threads (validation-pool-worker.ts) send each other. */
import type { OfficialValidationResult, OfficialValidationVersions } from './official-validation.js';

export interface ToWorker {
  id: number;
  xml: string;
}

export type FromWorker =
  | { type: 'ready'; versions: OfficialValidationVersions }
  | { type: 'failed'; error: SerializedError }
  | { type: 'done'; id: number; result: OfficialValidationResult }
  | { type: 'error'; id: number; error: SerializedError };

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
