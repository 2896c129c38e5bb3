/**
 * The archive's record of an invoice's progress, written by the lifecycle's activities themselves (issue 12): the
 * invoice's status and stage and the timeline events since the last write, in one statement. Each event carries the
 * workflow's sequence number, so a retried activity (or a note sent again after a failed attempt) writes nothing
 * twice (the unique index of migration 002).
 */
import type { Db } from './database.js';
import type { InvoiceState } from '../workflows/definitions.js';

/** What the archive keeps of the workflow's state; a field left out keeps its archived value. */
export type ArchivedProgress = Pick<InvoiceState, 'status' | 'stage'> & Partial<Pick<InvoiceState, 'channel' | 'ruleId' | 'rulesVersion' | 'plan'>>;

export interface ProgressEvent {
  seq: number;
  type: string;
  detail: Record<string, unknown>;
}

/** State and events to archive: the workflow hands one to the activity that writes it. */
export interface ProgressNote {
  state: ArchivedProgress;
  events: ProgressEvent[];
}

/** `routingFacts`: the facts routing decided on, archived with the `routed` progress (archive/invoices.ts). */
export async function recordProgressEvents(db: Db, invoiceId: string, note: ProgressNote, extra: { routingFacts?: unknown } = {}): Promise<void> {
  const part = progressStatement(note, 2, extra);
  // One statement, so one round trip and atomic: the status never runs ahead of its event.
  await db.query(`WITH ${part.archived} SELECT 1`, [invoiceId, ...part.params]);
}

/**
 * A note as parts of a statement, for a caller that archives something else in the same round trip
 * (archive/deliveries.ts, archive/channel-receipts.ts). `archived`: data-modifying CTEs that set the invoice's status
 * and insert the note's events in their order, each once by its sequence number; a caller that must order the events
 * with rows of its own takes the two halves: `update` (the status) and `events` (the note's events as rows `seq`,
 * `type`, `detail`, `n` their order). `$1` is the invoice id; the note's own parameters are numbered from `from` and
 * are `params`.
 */
export function progressStatement(note: ProgressNote, from: number, extra: { routingFacts?: unknown } = {}): { archived: string; update: string; events: string; params: unknown[] } {
  const { state, events } = note;
  const $ = (i: number) => `$${from + i}`;
  const update = `UPDATE invoices SET status = ${$(0)}, stage = ${$(1)}, channel = COALESCE(${$(2)}, channel), rule_id = COALESCE(${$(3)}, rule_id),
              rules_version = COALESCE(${$(4)}, rules_version), plan = COALESCE(${$(5)}::jsonb, plan),
              routing_facts = COALESCE(${$(7)}::jsonb, routing_facts), updated_at = now()
        WHERE id = $1`;
  const rows = `SELECT (v.value->>'seq')::integer AS seq, v.value->>'type' AS type, v.value->'detail' AS detail, v.n
       FROM jsonb_array_elements(${$(6)}::jsonb) WITH ORDINALITY AS v(value, n)`;
  return {
    archived: `progress AS (${update}),
     progress_events AS (
       INSERT INTO invoice_events (invoice_id, seq, type, detail)
       SELECT $1, seq, type, detail FROM (${rows}) AS e ORDER BY e.n
       ON CONFLICT DO NOTHING)`,
    update,
    events: rows,
    params: [state.status, state.stage, state.channel ?? null, state.ruleId ?? null, state.rulesVersion ?? null, state.plan ? JSON.stringify(state.plan) : null, JSON.stringify(events), extra.routingFacts === undefined ? null : JSON.stringify(extra.routingFacts)],
  };
}
