/**
 * `fakturaflyt archive export --supplier ORG --from D --to D --out DIR`: what an auditor asks for — one supplier's
 * invoices issued in a period (ISO dates, both bounds inclusive), as files:
 *   documents/<invoice id>/<kind>.<ext>   the archived documents, byte for byte
 *   index.csv                             one row per document: invoice, number, dates, amounts, status, sha256, chain link
 *   chain.csv                             the supplier's hash chain from its start to the last exported document
 *   manifest.json                         supplier, period, counts, the chain head, and the SHA-256 of every file above
 * The chain lets the auditor recompute every link (archive/integrity.ts `chainLink`) without our database.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeFileName } from './outbox.js';
import type { Db } from './database.js';

const EXTENSIONS: Record<string, string> = { 'application/xml': 'xml', 'application/json': 'json', 'application/pdf': 'pdf' };

export interface ExportResult {
  invoices: number;
  documents: number;
  out: string;
}

export async function exportArchive(db: Db, q: { supplierOrg: string; from: string; to: string; out: string }): Promise<ExportResult> {
  const files: { path: string; sha256: string; bytes: number }[] = [];
  const write = async (path: string, content: Buffer | string) => {
    const full = join(q.out, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, content);
    const buffer = typeof content === 'string' ? Buffer.from(content) : content;
    files.push({ path, sha256: createHash('sha256').update(buffer).digest('hex'), bytes: buffer.length });
  };
  const { rows } = await db.query(
    `SELECT i.id, i.invoice_number, i.document_type, i.issue_date, i.customer_kind, i.payable_amount, i.currency, i.status, i.channel, i.retain_until,
            d.kind, d.media_type, d.sha256, d.content, d.chain_seq, d.chain_hash, d.created_at
     FROM invoices i JOIN documents d ON d.invoice_id = i.id
     WHERE i.supplier_org = $1 AND i.issue_date BETWEEN $2::date AND $3::date ORDER BY d.chain_seq`,
    [q.supplierOrg, q.from, q.to],
  );
  const index = [['invoice_id', 'invoice_number', 'document_type', 'issue_date', 'customer_kind', 'payable_amount', 'currency', 'status', 'channel', 'retain_until', 'kind', 'media_type', 'sha256', 'chain_seq', 'chain_hash', 'archived_at', 'file']];
  for (const r of rows) {
    const file = `documents/${safeFileName(r.id)}/${r.kind}.${EXTENSIONS[r.media_type] ?? 'bin'}`;
    await write(file, r.content);
    index.push([r.id, r.invoice_number, r.document_type, r.issue_date, r.customer_kind, String(r.payable_amount), r.currency, r.status, r.channel ?? '', r.retain_until, r.kind, r.media_type, r.sha256, String(r.chain_seq), r.chain_hash, new Date(r.created_at).toISOString(), file]);
  }
  await write('index.csv', csv(index));
  const lastSeq = rows.length ? Number(rows[rows.length - 1].chain_seq) : 0;
  const chain = await db.query(
    'SELECT chain_seq, prev_hash, chain_hash, invoice_id, kind, sha256 FROM documents WHERE supplier_org = $1 AND chain_seq <= $2 ORDER BY chain_seq',
    [q.supplierOrg, lastSeq],
  );
  await write('chain.csv', csv([['chain_seq', 'prev_hash', 'chain_hash', 'invoice_id', 'kind', 'sha256'], ...chain.rows.map((c) => [String(c.chain_seq), c.prev_hash, c.chain_hash, c.invoice_id, c.kind, c.sha256])]));
  const invoices = new Set(rows.map((r) => r.id)).size;
  const head = chain.rows.at(-1);
  const manifest = {
    supplierOrg: q.supplierOrg,
    period: { from: q.from, to: q.to, inclusive: true, by: 'issue date' },
    createdAt: new Date().toISOString(),
    invoices,
    documents: rows.length,
    chainHead: head ? { chainSeq: Number(head.chain_seq), chainHash: head.chain_hash } : null,
    chainLink: 'sha256(prev_hash | chain_seq | invoice_id | kind | sha256), UTF-8, lower-case hex',
    files,
  };
  await writeFile(join(q.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { invoices, documents: rows.length, out: q.out };
}

function csv(rows: string[][]): string {
  return rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
}
