/** Errors as the ERP sees them: one shape, with machine-readable rule ids where validation is concerned. */
import type { ErrorRequestHandler, Response } from 'express';
import type { ValidationIssue } from '../validation/issue.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: ValidationIssue[],
  ) {
    super(message);
  }
}

export function sendProblem(res: Response, status: number, code: string, message: string, errors?: ValidationIssue[]): void {
  res.status(status).json({ error: code, message, ...(errors ? { errors } : {}) });
}

/** Body-parser failures become 400/413/415 with our shape; anything else is a 500 that names no internals. */
export function errorHandler(log: (message: string, meta?: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpError) return sendProblem(res, err.status, err.code, err.message, err.errors);
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (err?.type === 'entity.too.large') return sendProblem(res, 413, 'payload_too_large', `the body exceeds the limit of ${err.limit} bytes`);
    if (err?.type === 'entity.parse.failed') {
      return sendProblem(res, 400, 'malformed_body', 'the body is not valid JSON', [{ rule: 'FF-JSON-SYNTAX', severity: 'fatal', message: String(err.message), path: '/' }]);
    }
    if (status >= 400 && status < 500) return sendProblem(res, status, 'bad_request', String(err.message));
    log('request failed', { error: err instanceof Error ? err.message : String(err) });
    return sendProblem(res, 500, 'internal_error', 'the request could not be completed; nothing was lost, try again');
  };
}
