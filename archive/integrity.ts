/**
 * `fakturaflyt archive verify` (issue 9 item 4): every document's content against its SHA-256, and every supplier's
 * hash chain link by link (migration 009: chain_hash = sha256(prev_hash | seq | invoice id | kind | sha256)), so a
 * changed, removed or reordered document shows. Where a purge removed documents, its record of the links it removed
 * is where the chain continues. An invoice without its source document is reported too.
 */
import { createHash } from 'node:crypto';
import type { Db } from './database.js';

export const GENESIS = '0'.repeat(64);

export function chainLink(prev: string, seq: number, invoiceId: string, kind: string, sha256: string): string {
  return createHash('sha256').update(`${prev}|${seq}|${invoiceId}|${kind}|${sha256}`, 'utf8').digest('hex');
}

export interface IntegrityProblem {
  supplierOrg: string;
  chainSeq?: number;
  invoiceId: string;
  kind?: string;
  problem: 'content_changed' | 'link_broken' | 'gap_in_chain' | 'source_missing';
}

export interface IntegrityReport {
  ok: boolean;
  suppliers: number;
  documents: number;
  /** The last link of each supplier's chain: keep it elsewhere to detect a removed tail later. */
  heads: { supplierOrg: string; chainSeq: number; chainHash: string }[];
  problems: IntegrityProblem[];
}

const BATCH = 200;

export async function verifyArchive(db: Db, options: { supplierOrg?: string } = {}): Promise<IntegrityReport> {
  const suppliers = options.supplierOrg
    ? [options.supplierOrg]
    : (await db.query<{ supplier_org: string }>('SELECT DISTINCT supplier_org FROM documents ORDER BY 1')).rows.map((r) => r.supplier_org);
  const problems: IntegrityProblem[] = [];
  const heads: IntegrityReport['heads'] = [];
  let documents = 0;
  for (const supplierOrg of suppliers) {
    const removed = await purgedLinks(db, supplierOrg);
    let expected = { seq: 0, hash: GENESIS };
    let lastSeq = 0;
    for (;;) {
      const { rows } = await db.query<{ invoice_id: string; kind: string; sha256: string; content: Buffer; chain_seq: string; prev_hash: string; chain_hash: string }>(
        `SELECT invoice_id, kind, sha256, content, chain_seq, prev_hash, chain_hash FROM documents
         WHERE supplier_org = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT ${BATCH}`,
        [supplierOrg, lastSeq],
      );
      for (const row of rows) {
        const seq = Number(row.chain_seq);
        documents++;
        const at = { supplierOrg, chainSeq: seq, invoiceId: row.invoice_id, kind: row.kind };
        if (createHash('sha256').update(row.content).digest('hex') !== row.sha256) problems.push({ ...at, problem: 'content_changed' });
        if (chainLink(row.prev_hash, seq, row.invoice_id, row.kind, row.sha256) !== row.chain_hash) problems.push({ ...at, problem: 'link_broken' });
        // The link before it is the previous document kept, or one a recorded purge removed.
        const follows = (seq === expected.seq + 1 && row.prev_hash === expected.hash) || removed.get(seq - 1) === row.prev_hash;
        if (!follows) problems.push({ ...at, problem: 'gap_in_chain' });
        expected = { seq, hash: row.chain_hash };
        lastSeq = seq;
      }
      if (rows.length < BATCH) break;
    }
    if (lastSeq > 0) heads.push({ supplierOrg, chainSeq: expected.seq, chainHash: expected.hash });
  }
  const missing = await db.query<{ id: string; supplier_org: string }>(
    `SELECT i.id, i.supplier_org FROM invoices i WHERE ($1::text IS NULL OR i.supplier_org = $1)
       AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.invoice_id = i.id AND d.kind = 'source')`,
    [options.supplierOrg ?? null],
  );
  for (const row of missing.rows) problems.push({ supplierOrg: row.supplier_org, invoiceId: row.id, problem: 'source_missing' });
  return { ok: problems.length === 0, suppliers: suppliers.length, documents, heads, problems };
}

/** The links recorded purges removed from a supplier's chain (archive/purge.ts), by sequence number. */
async function purgedLinks(db: Db, supplierOrg: string): Promise<Map<number, string>> {
  const r = await db.query<{ seq: string; hash: string }>(
    `SELECT (l->>0) AS seq, (l->>1) AS hash FROM archive_purges, jsonb_array_elements(detail) AS e, jsonb_array_elements(e->'removed') AS l
     WHERE e->>'supplierOrg' = $1`,
    [supplierOrg],
  );
  return new Map(r.rows.map((row) => [Number(row.seq), row.hash]));
}
