/**
 * The outbox of the local channels: what a real provider would have received, one row per message key.
 * Also mirrored as files under DATA_DIR/outbox/<channel>/ so a person can open the .eml, .pdf or .xml.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './database.js';

export interface OutboxMessage {
  channel: string;
  messageKey: string;
  invoiceId: string;
  mediaType: string;
  filename: string;
  content: Uint8Array | string;
}

export interface OutboxRow {
  id: string;
  channel: string;
  messageKey: string;
  filename: string;
  createdAt: string;
}

/** The outbox folders made by this process: one `mkdir` per folder, not one per message. */
const madeDirs = new Set<string>();

/** Idempotent by message key: a second put of the same key returns the first message and writes nothing. */
export async function putOutboxMessage(db: Db, dataDir: string | undefined, message: OutboxMessage): Promise<{ row: OutboxRow; created: boolean }> {
  const content = typeof message.content === 'string' ? Buffer.from(message.content, 'utf8') : Buffer.from(message.content);
  const inserted = await db.query(
    `INSERT INTO outbox (channel, message_key, invoice_id, media_type, filename, content)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_key) DO NOTHING
     RETURNING id, channel, message_key, filename, created_at`,
    [message.channel, message.messageKey, message.invoiceId, message.mediaType, message.filename, content],
  );
  const created = inserted.rowCount === 1;
  const row = created
    ? inserted.rows[0]
    : (await db.query('SELECT id, channel, message_key, filename, created_at FROM outbox WHERE message_key = $1', [message.messageKey])).rows[0];
  if (dataDir) {
    // Written again on a retry too: a crash between the row and the file must not lose the file.
    const dir = join(dataDir, 'outbox', message.channel);
    const tmp = join(dir, `.${row.filename}.tmp`);
    const file = created ? content : (await db.query('SELECT content FROM outbox WHERE id = $1', [row.id])).rows[0].content;
    if (!madeDirs.has(dir)) await mkdir(dir, { recursive: true });
    await writeFile(tmp, file).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await mkdir(dir, { recursive: true }); // removed by a person since: made again
      await writeFile(tmp, file);
    });
    madeDirs.add(dir);
    await rename(tmp, join(dir, row.filename));
  }
  return {
    created,
    row: { id: String(row.id), channel: row.channel, messageKey: row.message_key, filename: row.filename, createdAt: new Date(row.created_at).toISOString() },
  };
}

export async function listOutbox(db: Db, filter: { channel?: string; invoiceId?: string } = {}): Promise<(OutboxRow & { invoiceId: string; mediaType: string; content: Buffer })[]> {
  const result = await db.query(
    `SELECT id, channel, message_key, invoice_id, media_type, filename, content, created_at FROM outbox
     WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR invoice_id = $2) ORDER BY id`,
    [filter.channel ?? null, filter.invoiceId ?? null],
  );
  return result.rows.map((r) => ({
    id: String(r.id),
    channel: r.channel,
    messageKey: r.message_key,
    invoiceId: r.invoice_id,
    mediaType: r.media_type,
    filename: r.filename,
    content: r.content,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/**
 * File names from invoice ids: portable (ids hold ':' and ERP-chosen characters), and distinct for distinct keys
 * (2026/0042 and 2026_0042 would otherwise collide), hence the short hash.
 */
export function safeFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150)}.${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
