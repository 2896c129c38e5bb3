/**
 * Channel receipts beyond "delivered": an agreement request's SMS or e-mail, and what providers report later (an
 * SMS delivery report, a print job's status). Each receipt sits in `deliveries` under its key, so GET
 * /v1/invoices/{id} shows it in `deliveries[]`, and each change is an event of the invoice's archived timeline
 * (the history). Receipts hold masked recipients only (channels/masking.ts).
 */
import type { Receipt } from '../channels/channel.js';
import type { Db } from './database.js';
import { progressStatement, type ProgressNote } from './progress-events.js';

/**
 * The first receipt recorded for a key wins; its timeline event is written in the same statement and only with the
 * row, so a retried activity records neither twice. One statement, one round trip (issue 12). `progress`: the
 * invoice's status and events that follow from the receipt (`delivered`), archived in the same statement, after the
 * receipt's event (archive/progress-events.ts; each event once by its sequence number). Written also when a
 * concurrent attempt's row won: receipt ids derive from the delivery key (channels/receipt.ts), so the progress names
 * the same receipt either way.
 */
export async function recordReceipt(db: Db, invoiceId: string, key: string, status: string, receipt: Receipt, progress?: ProgressNote): Promise<Receipt> {
  const part = progress ? progressStatement(progress, 7) : undefined;
  const r = await db.query(
    `WITH inserted AS (
       INSERT INTO deliveries (delivery_key, invoice_id, channel, status, receipt) VALUES ($2, $1, $3, $4, $5) ON CONFLICT (delivery_key) DO NOTHING RETURNING receipt)${
       part ? `,
     progress AS (${part.update})` : ''},
     event AS (
       INSERT INTO invoice_events (invoice_id, seq, type, detail)
       SELECT $1, seq, type, detail FROM (
         SELECT NULL::integer AS seq, 'receipt' AS type, $6::jsonb AS detail, 0::bigint AS n FROM inserted${
         part ? `
         UNION ALL SELECT seq, type, detail, n FROM (${part.events}) AS p` : ''}
       ) AS e ORDER BY e.n
       ON CONFLICT DO NOTHING)
     SELECT receipt FROM inserted UNION ALL SELECT receipt FROM deliveries WHERE delivery_key = $2`,
    [invoiceId, key, receipt.channel, status, JSON.stringify(receipt), JSON.stringify({ key: keyKind(key), ...receipt }), ...(part?.params ?? [])],
  );
  if (r.rows[0]) return r.rows[0].receipt;
  // The key was inserted by a concurrent attempt that committed after this statement's snapshot: read it now.
  return (await db.query('SELECT receipt FROM deliveries WHERE delivery_key = $1', [key])).rows[0].receipt;
}

/** The receipt holding a provider's message id (an SMS delivery report names only that). */
export async function findReceiptByMessageId(db: Db, messageId: string): Promise<{ key: string; invoiceId: string; receipt: Receipt } | undefined> {
  const r = await db.query(`SELECT delivery_key, invoice_id, receipt FROM deliveries WHERE receipt #>> '{details,messageId}' = $1 LIMIT 1`, [messageId]);
  const row = r.rows[0];
  return row ? { key: row.delivery_key, invoiceId: row.invoice_id, receipt: row.receipt } : undefined;
}

/** Adds what a provider reported later to a receipt's details, and the report to the timeline as `event`. */
export async function addReceiptDetails(db: Db, key: string, details: Record<string, string>, event: string): Promise<boolean> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const updated = await client.query(
      `UPDATE deliveries SET receipt = jsonb_set(receipt, '{details}', coalesce(receipt->'details', '{}'::jsonb) || $2::jsonb) WHERE delivery_key = $1 RETURNING invoice_id`,
      [key, JSON.stringify(details)],
    );
    if (updated.rowCount === 1) {
      await client.query('INSERT INTO invoice_events (invoice_id, type, detail) VALUES ($1, $2, $3)', [updated.rows[0].invoice_id, event, JSON.stringify({ key: keyKind(key), ...details })]);
    }
    await client.query('COMMIT');
    return updated.rowCount === 1;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** `<invoice id>:<kind>` → kind (`email`, `agreement-request`): the timeline already belongs to the invoice. */
function keyKind(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** Print jobs a provider has not finished (neither posted nor rejected), recent first: their status is still to come. */
export async function listUnfinishedPrintJobs(db: Db, provider: string, limit = 100): Promise<{ key: string; jobId: string; jobStatus: string }[]> {
  const r = await db.query(
    `SELECT delivery_key, receipt #>> '{details,jobId}' AS job_id, coalesce(receipt #>> '{details,jobStatus}', 'accepted') AS job_status FROM deliveries
     WHERE channel = 'print' AND status = 'delivered' AND receipt #>> '{details,provider}' = $1
       AND coalesce(receipt #>> '{details,jobStatus}', 'accepted') NOT IN ('posted', 'rejected')
       AND created_at > now() - interval '30 days'
     ORDER BY created_at DESC LIMIT $2`,
    [provider, limit],
  );
  return r.rows.filter((row) => row.job_id).map((row) => ({ key: row.delivery_key, jobId: row.job_id, jobStatus: row.job_status }));
}
