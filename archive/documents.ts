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
  return (await putDocuments(db, [doc]))[0]!;
}

/**
 * Several documents of one invoice in one statement (issue 12: one round trip for the EHF and the PDF); each answer
 * in the order given, the stored one where that kind was already there.
 */
export async function putDocuments(
  db: Db,
  docs: readonly { invoiceId: string; kind: DocumentKind; mediaType: string; content: Uint8Array | string; retainUntil: string }[],
): Promise<{ documentId: string; sha256: string }[]> {
  const rows = docs.map((doc) => {
    const content = typeof doc.content === 'string' ? Buffer.from(doc.content, 'utf8') : Buffer.from(doc.content);
    return [doc.invoiceId, doc.kind, doc.mediaType, sha256Hex(content), content, doc.retainUntil] as const;
  });
  const values = rows.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}::date)`).join(', ');
  const inserted = await db.query(
    `INSERT INTO documents (invoice_id, kind, media_type, sha256, content, retain_until) VALUES ${values}
     ON CONFLICT (invoice_id, kind) DO NOTHING RETURNING id, invoice_id, kind, sha256`,
    rows.flat(),
  );
  const stored = new Map(inserted.rows.map((row) => [`${row.invoice_id}/${row.kind}`, row]));
  return Promise.all(
    docs.map(async (doc) => {
      const row = stored.get(`${doc.invoiceId}/${doc.kind}`) ?? (await db.query('SELECT id, sha256 FROM documents WHERE invoice_id = $1 AND kind = $2', [doc.invoiceId, doc.kind])).rows[0];
      return { documentId: String(row.id), sha256: row.sha256 };
    }),
  );
}

export async function getDocument(db: Db, invoiceId: string, kind: DocumentKind): Promise<StoredDocument | undefined> {
  return (await getDocuments(db, invoiceId, [kind])).get(kind);
}

/** Several documents of one invoice in one round trip, by kind (those not stored are missing from the map). */
export async function getDocuments(db: Db, invoiceId: string, kinds: readonly DocumentKind[]): Promise<Map<DocumentKind, StoredDocument>> {
  const r = await db.query('SELECT id, invoice_id, kind, media_type, sha256, content FROM documents WHERE invoice_id = $1 AND kind = ANY($2)', [invoiceId, kinds]);
  return new Map(r.rows.map((row) => [row.kind, { documentId: String(row.id), invoiceId: row.invoice_id, kind: row.kind, mediaType: row.media_type, sha256: row.sha256, content: row.content }]));
}
