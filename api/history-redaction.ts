/**
 * The raw workflow history as we serve it (`GET /v1/invoices/{id}/history?format=temporal`): Temporal's own JSON,
 * less the stack traces of failures. A stack trace names our source files by absolute path (and the SDK's), which
 * tells a caller how and where the product is installed (issue 9, defect 5); the failure's message, type and
 * retry state stay, and the full history remains readable in the Temporal UI, which is internal.
 */
import type proto from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

type History = proto.temporal.api.history.v1.IHistory;

export function servableHistoryJson(history: History): string {
  return JSON.stringify(withoutStackTraces(JSON.parse(historyToJSON(history))), null, 2);
}

/** A copy without any `stackTrace` field, at any depth (a failure's `cause` carries its own). */
export function withoutStackTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStackTraces);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'stackTrace') continue;
    out[key] = withoutStackTraces(item);
  }
  return out;
}
