/**
 * eFaktura agreements as we know them, per supplier, branch and consumer. An agreement is for one branch of the
 * supplier or for all of them (`ALL_BRANCHES`), as the supplier chooses (seed 001; AGREEMENT_SCOPE): a consumer
 * who accepted for all branches receives eFaktura from every branch; one who accepted for "Oslo" only from Oslo.
 */
import type { Db } from './database.js';

export type AgreementStatus = 'requested' | 'accepted' | 'rejected';
export type AgreementScope = 'branch' | 'all';

/** The branch value of an agreement that covers every branch of the supplier. */
export const ALL_BRANCHES = '*';

/** Which branch an agreement asked for on this invoice covers: the invoice's branch ('' = none), or all. */
export function agreementBranch(scope: AgreementScope, invoiceBranch: string | undefined): string {
  return scope === 'branch' ? (invoiceBranch ?? '') : ALL_BRANCHES;
}

/** A decision (accepted/rejected) always replaces what was known for that branch; it is the consumer's latest word. */
export async function recordAgreementDecision(
  db: Db,
  supplierOrg: string,
  branch: string,
  customerNumber: string,
  status: 'accepted' | 'rejected',
  source: string,
): Promise<void> {
  await db.query(
    `INSERT INTO agreements (supplier_org, branch, customer_number, status, source) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (supplier_org, branch, customer_number) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = now()`,
    [supplierOrg, branch, customerNumber, status, source],
  );
}

/** A request never overrides a decision: the consumer may have answered an earlier one. */
export async function recordAgreementRequested(db: Db, supplierOrg: string, branch: string, customerNumber: string, via: 'sms' | 'email'): Promise<void> {
  await db.query(
    `INSERT INTO agreements (supplier_org, branch, customer_number, status, via, source) VALUES ($1, $2, $3, 'requested', $4, 'request')
     ON CONFLICT (supplier_org, branch, customer_number) DO NOTHING`,
    [supplierOrg, branch, customerNumber, via],
  );
}

/**
 * What applies to an invoice of `branch`: the agreement for that branch or the one for all branches; a decision
 * outranks a pending request, and of two decisions the later one counts.
 */
export async function getAgreement(
  db: Db,
  supplierOrg: string,
  branch: string,
  customerNumber: string,
): Promise<{ status: AgreementStatus; branch: string; updatedAt: string } | undefined> {
  const r = await db.query(
    `SELECT status, branch, updated_at FROM agreements
     WHERE supplier_org = $1 AND customer_number = $3 AND (branch = $2 OR branch = '*')
     ORDER BY (status = 'requested'), updated_at DESC LIMIT 1`,
    [supplierOrg, branch, customerNumber],
  );
  const row = r.rows[0];
  return row ? { status: row.status, branch: row.branch, updatedAt: new Date(row.updated_at).toISOString() } : undefined;
}
