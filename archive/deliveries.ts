import type { Receipt } from '../channels/channel.js';
import type { Db } from './database.js';
import { progressStatement, type ProgressNote } from './progress-events.js';

export async function findDelivery(db: Db, deliveryKey: string): Promise<Receipt | undefined> {
  const r = await db.query('SELECT receipt FROM deliveries WHERE delivery_key = $1', [deliveryKey]);
  return r.rows[0]?.receipt;
}

/**
 * Archives the progress before a delivery (`delivering`) and finds a delivery already made under the key (a retried
 * attempt's), in one round trip (issue 12).
 */
export async function recordProgressFindDelivery(db: Db, invoiceId: string, note: ProgressNote, deliveryKey: string): Promise<Receipt | undefined> {
  const part = progressStatement(note, 3);
  const r = await db.query(
    `WITH ${part.archived} SELECT receipt FROM deliveries WHERE delivery_key = $2`,
    [invoiceId, deliveryKey, ...part.params],
  );
  return r.rows[0]?.receipt;
}

/** `status`: `delivered`, or `requested` for an eFaktura agreement request (its SMS or e-mail receipt). */
export async function listDeliveries(db: Db, invoiceId: string): Promise<(Receipt & { deliveryKey: string; status: string })[]> {
  const r = await db.query('SELECT delivery_key, status, receipt FROM deliveries WHERE invoice_id = $1 ORDER BY created_at', [invoiceId]);
  return r.rows.map((row) => ({ deliveryKey: row.delivery_key, status: row.status, ...row.receipt }));
}
