import type { Db } from './database.js';

export type AgreementStatus = 'requested' | 'accepted' | 'rejected';

/** A decision (accepted/rejected) always replaces what was known; it is the consumer's latest word. */
export async function recordAgreementDecision(db: Db, supplierOrg: string, customerNumber: string, status: 'accepted' | 'rejected', source: string): Promise<void> {
  await db.query(
    `INSERT INTO agreements (supplier_org, customer_number, status, source) VALUES ($1, $2, $3, $4)
     ON CONFLICT (supplier_org, customer_number) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = now()`,
    [supplierOrg, customerNumber, status, source],
  );
}

export async function getAgreement(db: Db, supplierOrg: string, customerNumber: string): Promise<{ status: AgreementStatus; updatedAt: string } | undefined> {
  const r = await db.query('SELECT status, updated_at FROM agreements WHERE supplier_org = $1 AND customer_number = $2', [supplierOrg, customerNumber]);
  const row = r.rows[0];
  return row ? { status: row.status, updatedAt: new Date(row.updated_at).toISOString() } : undefined;
}
