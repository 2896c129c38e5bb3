/**
 * Limits on the shape of a JSON body, checked on the parsed body before anything reads it (issue 9, "hostile input"):
 * - nesting deeper than JSON_DEPTH_LIMIT (an invoice is at most 6 deep; rule FF-JSON-DEPTH): a deep body must get its
 *   answer, not a stack overflow in a recursive reader;
 * - the keys `__proto__`, `constructor` and `prototype` (FF-JSON-KEY): no field of ours has those names, and copied
 *   with Object.assign or a merge they change an object's prototype (prototype pollution);
 * - numbers JSON.parse read as ±Infinity (`1e400`) or beyond ±NUMBER_LIMIT (FF-NUMBER-RANGE): no amount, price or
 *   quantity is that large, and doubles lose whole units above 2^53 (the decimal strings the reader accepts are held
 *   to the same bound in invoice/json-reader.ts);
 * - more than LINES_LIMIT (5,000) invoice lines (FF-LINES-LIMIT), and any other list longer than ARRAY_LIMIT (FF-ARRAY-LIMIT):
 *   an accepted invoice is checked, converted and typeset in bounded time (docs/invoice-json.md "Limits").
 *
 * One pass with an explicit stack; it stops at the first MAX_ISSUES findings.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';

export const JSON_DEPTH_LIMIT = 32;
/**
 * Lines per invoice. Measured on 2 cores: the official rules (SaxonJS, ehf/validation-pool.ts) take 2.3 s for 1,000
 * lines, 5 s for 2,000 and 17 s for 5,000 (10,000: about 40 s, past common HTTP client time-outs); our own stage
 * under 1 s for 5,000, on a worker thread (validation/submission-check-pool.ts). 5,000 keeps the answer within 30 s.
 */
export const LINES_LIMIT = 5_000;
export const ARRAY_LIMIT = 10_000;
/** 10^15: larger than any amount in øre a Norwegian invoice carries, and still exact in a double. */
export const NUMBER_LIMIT = 1e15;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ISSUES = 50;

export function checkJsonShape(body: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: { value: unknown; field: string; path: string; depth: number }[] = [{ value: body, field: '', path: '', depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, field, path, depth } = stack.pop()!;
    const at = path || '/';
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > NUMBER_LIMIT) {
        issues.push(issue('FF-NUMBER-RANGE', `${at} is ${Number.isFinite(value) ? 'larger' : 'too large to be a number (read as infinity)'}; numbers must lie within ±${NUMBER_LIMIT} (docs/invoice-json.md, "Limits").`, at));
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= JSON_DEPTH_LIMIT) {
      issues.push(issue('FF-JSON-DEPTH', `${at} is nested more than ${JSON_DEPTH_LIMIT} levels deep; an invoice needs fewer than 10 (docs/invoice-json.md, "Limits").`, at));
      break; // one finding says it; walking the rest of a deep body helps nobody
    }
    if (Array.isArray(value)) {
      if (field === 'lines' && value.length > LINES_LIMIT) {
        issues.push(issue('FF-LINES-LIMIT', `${at} has ${value.length} lines; at most ${LINES_LIMIT} are accepted in one invoice: split it into several (docs/invoice-json.md, "Limits").`, at));
        continue;
      }
      if (value.length > ARRAY_LIMIT) {
        issues.push(issue('FF-ARRAY-LIMIT', `${at} has ${value.length} entries; at most ${ARRAY_LIMIT} are accepted (docs/invoice-json.md, "Limits").`, at));
        continue;
      }
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], field, path: `${path}/${index}`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const child = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push(issue('FF-JSON-KEY', `${child}: the key "${key}" is not accepted anywhere in a body (no field has that name).`, child));
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], field: key, path: child, depth: depth + 1 });
    }
  }
  return issues;
}
