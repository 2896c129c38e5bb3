/**
 * The record of each message sent over SMTP (migration 011): noted before the SMTP transaction, marked sent the moment
 * the server accepts it. SMTP cannot be asked what it received, so this is what makes a retried send after a crash
 * rare instead of certain: only a crash between the server's acceptance and the mark (one UPDATE) sends twice.
 */
import type { Db } from './database.js';

export type MailSendStart =
  /** Sent before: the details recorded then (Message-ID, masked recipient, the server's answer). */
  | { sent: Record<string, string> }
  /** Not sent yet; `interrupted`: an earlier send stopped before the server's answer was recorded (it may have arrived). */
  | { sent?: undefined; interrupted: boolean };

export async function beginMailSend(db: Db, messageKey: string, invoiceId: string): Promise<MailSendStart> {
  const { rows } = await db.query<{ state: string; details: Record<string, string> | null; attempts: number }>(
    `INSERT INTO mail_sends (message_key, invoice_id, state) VALUES ($1, $2, 'sending')
     ON CONFLICT (message_key) DO UPDATE SET attempts = mail_sends.attempts + CASE WHEN mail_sends.state = 'sending' THEN 1 ELSE 0 END
     RETURNING state, details, attempts`,
    [messageKey, invoiceId],
  );
  const row = rows[0]!;
  return row.state === 'sent' && row.details ? { sent: row.details } : { interrupted: row.attempts > 1 };
}

export async function markMailSent(db: Db, messageKey: string, details: Record<string, string>): Promise<void> {
  await db.query(`UPDATE mail_sends SET state = 'sent', details = $2, sent_at = now() WHERE message_key = $1`, [messageKey, JSON.stringify(details)]);
}

/** The server answered no (a 4xx or 5xx): nothing was sent, so the next send is not an interrupted one. */
export async function forgetMailSend(db: Db, messageKey: string): Promise<void> {
  await db.query(`DELETE FROM mail_sends WHERE message_key = $1 AND state = 'sending'`, [messageKey]);
}
