/** Errors as the ERP sees them: one shape, with machine-readable rule ids where validation is concerned. */
import type { ErrorRequestHandler, Response } from 'express';
import type { ValidationIssue } from '../validation/issue.js';

/** The media types an XML body may come as (EHF/UBL invoices, ApplicationResponses). */
export const XML_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];

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
    // The limit counts the body as inflated: a small gzip that inflates to gigabytes stops at the limit (body-parser).
    if (err?.type === 'entity.too.large') {
      return sendProblem(res, 413, 'payload_too_large', `the body exceeds the limit of ${err.limit} bytes`, [{ rule: 'FF-BODY-SIZE', severity: 'fatal', message: `the body (after any Content-Encoding is undone) is larger than ${err.limit} bytes`, path: '/' }]);
    }
    if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      return sendProblem(res, 415, 'unsupported_media_type', String(err.message), [{ rule: 'FF-CONTENT-ENCODING', severity: 'fatal', message: 'accepted: Content-Encoding gzip, deflate, br or none; charset utf-8', path: 'header/Content-Encoding' }]);
    }
    // A body that does not inflate (zlib's Z_DATA_ERROR, a truncated stream) under its Content-Encoding.
    if ((typeof err?.code === 'string' && err.code.startsWith('Z_')) || err?.message === 'unexpected end of file') {
      return sendProblem(res, 400, 'malformed_body', 'the body is not valid data of its Content-Encoding', [{ rule: 'FF-CONTENT-ENCODING', severity: 'fatal', message: String(err.message), path: 'header/Content-Encoding' }]);
    }
    if (err?.type === 'entity.parse.failed') {
      return sendProblem(res, 400, 'malformed_body', 'the body is not valid JSON', [{ rule: 'FF-JSON-SYNTAX', severity: 'fatal', message: String(err.message), path: '/' }]);
    }
    if (status >= 400 && status < 500) return sendProblem(res, status, 'bad_request', String(err.message));
    log('request failed', { error: err instanceof Error ? err.message : String(err) });
    return sendProblem(res, 500, 'internal_error', 'the request could not be completed; nothing was lost, try again');
  };
}
