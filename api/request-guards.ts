/**
 * What the API refuses before any route reads a request (issue 9, defect 4): each was a 500 (PostgreSQL refusing NUL
 * in text, an index row over its size) or, worse, a silent acceptance (invalid UTF-8 read as U+FFFD, a repeated
 * query parameter dropping its filter). Every refusal is a 400 with a rule id (docs/invoice-json.md "Length limits").
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { checkJsonShape } from '../invoice/json-shape-limits.js';
import { TEXT_LIMITS } from '../invoice/text-limits.js';
import { HttpError } from './problem.js';

/** An Idempotency-Key is a short token (IETF draft-ietf-httpapi-idempotency-key-header: a UUID is typical). */
export const IDEMPOTENCY_KEY_LIMIT = 200;
/** A query parameter's value: ids and numbers are far shorter. */
export const QUERY_VALUE_LIMIT = 200;
/** A path segment (an invoice id is `<org>:<type>:<number of at most 200>`). */
export const PATH_LIMIT = 1000;
/** The customer number, as in the invoice JSON: part of the eFaktura agreement key (an index). */
export const CUSTOMER_NUMBER_LIMIT = TEXT_LIMITS.customerNumber!;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

const bad = (code: string, rule: string, message: string, path: string) =>
  new HttpError(400, code, message, [{ rule, severity: 'fatal', message, path }]);

/** NUL and other control characters in the path or the query: no id or filter of ours holds one. */
export const rejectUnsafeUrl: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(bad('bad_request', 'FF-URL', 'the path is not valid percent-encoded UTF-8', 'path'));
  }
  if (CONTROL.test(path)) return next(bad('bad_request', 'FF-CONTROL-CHARACTER', 'the path contains a control character (such as NUL)', 'path'));
  if (path.length > PATH_LIMIT) return next(bad('bad_request', 'FF-LENGTH', `the path is longer than ${PATH_LIMIT} characters`, 'path'));
  for (const [name, value] of Object.entries(req.query)) {
    for (const item of [value].flat()) {
      if (typeof item === 'string' && CONTROL.test(item)) return next(bad('bad_request', 'FF-CONTROL-CHARACTER', `query parameter ${name} contains a control character (such as NUL)`, `query/${name}`));
    }
  }
  next();
};

/**
 * body-parser's `verify`: a body declared (or defaulted) as UTF-8 must be valid UTF-8. Without it, invalid bytes are
 * decoded as U+FFFD and the invoice is silently changed.
 */
export function strictUtf8(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null): void {
  if ((encoding === null || /^utf-?8$/i.test(encoding)) && !isUtf8(body)) {
    throw bad('malformed_body', 'FF-UTF8', 'the body is not valid UTF-8', '/');
  }
}

/**
 * The query parameters of a route, each at most once: `?invoiceNumber=a&invoiceNumber=b` is refused, not read as no
 * filter. Unknown parameters are refused too, so that a misspelt filter does not widen a search unnoticed.
 */
export function singleQuery<Name extends string>(req: Request, allowed: readonly Name[]): Partial<Record<Name, string>> {
  const out: Partial<Record<Name, string>> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!(allowed as readonly string[]).includes(name)) throw bad('bad_request', 'FF-QUERY-UNKNOWN', `unknown query parameter ${name}; known: ${allowed.join(', ')}`, `query/${name}`);
    if (typeof value !== 'string') throw bad('bad_request', 'FF-QUERY-REPEATED', `query parameter ${name} is given more than once; give each at most once`, `query/${name}`);
    if (value.length > QUERY_VALUE_LIMIT) throw bad('bad_request', 'FF-LENGTH', `query parameter ${name} is longer than ${QUERY_VALUE_LIMIT} characters`, `query/${name}`);
    out[name as Name] = value;
  }
  return out;
}

/** The Idempotency-Key header: printable ASCII, at most IDEMPOTENCY_KEY_LIMIT characters; null when absent. */
export function idempotencyKeyOf(req: Request): string | null {
  const key = req.get('Idempotency-Key')?.trim();
  if (!key) return null;
  if (key.length > IDEMPOTENCY_KEY_LIMIT) {
    throw bad('bad_idempotency_key', 'FF-IDEMPOTENCY-KEY', `the Idempotency-Key is ${key.length} characters long; at most ${IDEMPOTENCY_KEY_LIMIT} are accepted (a UUID is typical)`, 'header/Idempotency-Key');
  }
  if (!/^[\x20-\x7e]+$/.test(key)) throw bad('bad_idempotency_key', 'FF-IDEMPOTENCY-KEY', 'the Idempotency-Key must be printable ASCII', 'header/Idempotency-Key');
  return key;
}

/** A customer number from a path or a body (agreements, the sandbox provider): the invoice JSON's limit. */
export function checkCustomerNumber(value: string, path: string): void {
  if (value.length > CUSTOMER_NUMBER_LIMIT) throw bad('bad_request', 'FF-LENGTH', `customerNumber is longer than ${CUSTOMER_NUMBER_LIMIT} characters`, path);
}

/** Body types some route of ours reads: JSON, XML (invoices, Peppol responses), CSV (sandbox participants), forms (the agreement page). */
const READ_TYPES = ['application/json', 'application/*+json', 'application/xml', 'text/xml', 'application/*+xml', 'text/csv', 'application/x-www-form-urlencoded'];

/**
 * A body no route of ours reads (text/plain, multipart, no Content-Type at all) is refused with 415 FF-CONTENT-TYPE
 * before a route sees an empty body and answers with a misleading "field missing".
 */
export const refuseUnreadableBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.is(READ_TYPES)) return next();
  const type = req.get('content-type');
  next(new HttpError(415, 'unsupported_media_type', `a body of type ${type ?? '(none)'} is not read here; send application/json (see /openapi.yaml)`, [
    { rule: 'FF-CONTENT-TYPE', severity: 'fatal', message: `Content-Type ${type ?? '(none)'} is not accepted`, path: 'header/Content-Type' },
  ]));
};

/** A parsed JSON body held to invoice/json-shape-limits.ts: nesting, prototype keys, number range, list lengths (422). */
export const refuseHostileJson: RequestHandler = (req, _res, next) => {
  if (req.body === null || typeof req.body !== 'object') return next();
  const issues = checkJsonShape(req.body);
  if (issues.length) return next(new HttpError(422, 'invalid_body', `${issues.length} field(s) over a limit (nesting, keys, number range, list length)`, issues));
  next();
};
