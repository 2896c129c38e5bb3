/**
 * `fakturaflyt archive purge`: deletes what has passed its retention date (bokføringsloven § 13; retain_until is
 * 31 December of the issue year + 5), explicitly and on the record. The triggers of migration 009 refuse anything
 * younger. Each supplier's chain keeps verifying: the purge records every link it removed (archive/integrity.ts).
 */
import type { Db } from './database.js';

export interface PurgeResult {
  invoices: number;
  documents: number;
  dryRun: boolean;
}

/** All suppliers' expired invoices, or one supplier's (`supplierOrg`). */
export async function purgeExpired(db: Db, options: { dryRun?: boolean; supplierOrg?: string } = {}): Promise<PurgeResult> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const today = (await client.query<{ d: string }>('SELECT current_date::text AS d')).rows[0]!.d;
    const expired = (await client.query<{ id: string }>('SELECT id FROM invoices WHERE retain_until < $1::date AND ($2::text IS NULL OR supplier_org = $2) FOR UPDATE', [today, options.supplierOrg ?? null])).rows.map((r) => r.id);
    // Every link the purge removes is kept (seq, hash), per supplier: expired documents need not be a prefix of the
    // chain (an invoice of 31 December archived after early-January ones), and a kept document whose predecessor was
    // purged still verifies against the recorded link.
    const removed = await client.query<{ supplier_org: string; n: string; removed: [number, string][] }>(
      `SELECT supplier_org, count(*) AS n, json_agg(json_build_array(chain_seq, chain_hash) ORDER BY chain_seq) AS removed
       FROM documents WHERE invoice_id = ANY($1) GROUP BY supplier_org ORDER BY supplier_org`,
      [expired],
    );
    const documents = removed.rows.reduce((sum, r) => sum + Number(r.n), 0);
    if (options.dryRun || expired.length === 0) {
      await client.query('ROLLBACK');
      return { invoices: expired.length, documents, dryRun: Boolean(options.dryRun) };
    }
    // Everything that refers to an invoice goes with it, whichever tables later migrations add.
    const referencing = await client.query<{ table_name: string; column_name: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
       WHERE c.contype = 'f' AND c.confrelid = 'invoices'::regclass`,
    );
    for (const ref of referencing.rows) {
      await client.query(`DELETE FROM ${ref.table_name} WHERE ${quoteIdent(ref.column_name)} = ANY($1)`, [expired]);
    }
    await client.query('DELETE FROM invoices WHERE id = ANY($1)', [expired]);
    const detail = removed.rows.map((r) => ({ supplierOrg: r.supplier_org, documents: Number(r.n), removed: r.removed.map(([seq, hash]) => [Number(seq), hash]) }));
    await client.query('INSERT INTO archive_purges (before_date, invoices, documents, detail) VALUES ($1, $2, $3, $4)', [today, expired.length, documents, JSON.stringify(detail)]);
    await client.query('COMMIT');
    return { invoices: expired.length, documents, dryRun: false };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
