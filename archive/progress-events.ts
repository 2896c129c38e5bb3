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
  const { state, events } = note;
  // One statement, so one round trip and atomic: the status never runs ahead of its event.
  await db.query(
    `WITH progress AS (
       UPDATE invoices SET status = $2, stage = $3, channel = COALESCE($4, channel), rule_id = COALESCE($5, rule_id),
              rules_version = COALESCE($6, rules_version), plan = COALESCE($7::jsonb, plan),
              routing_facts = COALESCE($9::jsonb, routing_facts), updated_at = now()
        WHERE id = $1)
     INSERT INTO invoice_events (invoice_id, seq, type, detail)
     SELECT $1, (e.value->>'seq')::integer, e.value->>'type', e.value->'detail'
       FROM jsonb_array_elements($8::jsonb) WITH ORDINALITY AS e(value, n) ORDER BY e.n
     ON CONFLICT DO NOTHING`,
    [invoiceId, state.status, state.stage, state.channel ?? null, state.ruleId ?? null, state.rulesVersion ?? null, state.plan ? JSON.stringify(state.plan) : null, JSON.stringify(events), extra.routingFacts === undefined ? null : JSON.stringify(extra.routingFacts)],
  );
}
