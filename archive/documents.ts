import { createHash } from 'node:crypto';
import type { Db } from './database.js';

export type DocumentKind = 'source' | 'ehf' | 'pdf';

export interface StoredDocument {
  documentId: string;
  invoiceId: string;
  kind: DocumentKind;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

export const sha256Hex = (content: Uint8Array | string): string => createHash('sha256').update(content).digest('hex');

/** Documents are immutable: storing the same kind again returns the stored one (a retried activity), never overwrites. */
export async function putDocument(
  db: Db,
  doc: { invoiceId: string; kind: DocumentKind; mediaType: string; content: Uint8Array | string; retainUntil: string },
): Promise<{ documentId: string; sha256: string }> {
  const content = typeof doc.content === 'string' ? Buffer.from(doc.content, 'utf8') : Buffer.from(doc.content);
  const sha256 = sha256Hex(content);
  const inserted = await db.query(
    `INSERT INTO documents (invoice_id, kind, media_type, sha256, content, retain_until) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (invoice_id, kind) DO NOTHING RETURNING id, sha256`,
    [doc.invoiceId, doc.kind, doc.mediaType, sha256, content, doc.retainUntil],
  );
  const row = inserted.rows[0] ?? (await db.query('SELECT id, sha256 FROM documents WHERE invoice_id = $1 AND kind = $2', [doc.invoiceId, doc.kind])).rows[0];
  return { documentId: String(row.id), sha256: row.sha256 };
}

export async function getDocument(db: Db, invoiceId: string, kind: DocumentKind): Promise<StoredDocument | undefined> {
  const r = await db.query('SELECT id, invoice_id, kind, media_type, sha256, content FROM documents WHERE invoice_id = $1 AND kind = $2', [invoiceId, kind]);
  const row = r.rows[0];
  if (!row) return undefined;
  return { documentId: String(row.id), invoiceId: row.invoice_id, kind: row.kind, mediaType: row.media_type, sha256: row.sha256, content: row.content };
}
