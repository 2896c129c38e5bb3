import type { Db } from './database.js';
import type { StoredDocument } from './documents.js';
import type { InvoiceState } from '../workflows/definitions.js';

export interface InvoiceRecord {
  id: string;
  supplierOrg: string;
  documentType: string;
  invoiceNumber: string;
  issueDate: string;
  customerKind: string;
  customerNumber: string | null;
  buyerOrg: string | null;
  branch: string;
  payableAmount: number;
  currency: string;
  sourceSha256: string;
  idempotencyKey: string | null;
  status: string;
  stage: string;
  channel: string | null;
  ruleId: string | null;
  rulesVersion: string | null;
  plan: unknown;
  warnings: unknown[];
  /** What the stored verdict (the warnings) was given by, validation/verdict-basis.ts; null: not recorded. */
  verdictBasis: string | null;
  retainUntil: string;
  createdAt: string;
  updatedAt: string;
}

export type NewInvoice = Pick<
  InvoiceRecord,
  'id' | 'supplierOrg' | 'documentType' | 'invoiceNumber' | 'issueDate' | 'customerKind' | 'customerNumber' | 'buyerOrg' | 'branch' | 'payableAmount' | 'currency' | 'sourceSha256' | 'idempotencyKey' | 'warnings' | 'verdictBasis' | 'retainUntil'
>;

const COLUMNS = `id, supplier_org, document_type, invoice_number, issue_date, customer_kind, customer_number, buyer_org, branch,
  payable_amount, currency, source_sha256, idempotency_key, status, stage, channel, rule_id, rules_version, plan, warnings,
  verdict_basis, retain_until, created_at, updated_at`;

function toRecord(row: Record<string, any>): InvoiceRecord {
  return {
    id: row.id,
    supplierOrg: row.supplier_org,
    documentType: row.document_type,
    invoiceNumber: row.invoice_number,
    issueDate: row.issue_date,
    customerKind: row.customer_kind,
    customerNumber: row.customer_number,
    buyerOrg: row.buyer_org,
    branch: row.branch,
    payableAmount: row.payable_amount,
    currency: row.currency,
    sourceSha256: row.source_sha256,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    stage: row.stage,
    channel: row.channel,
    ruleId: row.rule_id,
    rulesVersion: row.rules_version,
    plan: row.plan,
    warnings: row.warnings,
    verdictBasis: row.verdict_basis,
    retainUntil: row.retain_until,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Inserts the invoice unless its natural key (or idempotency key) exists; returns the stored record either way. */
export async function insertInvoice(db: Db, invoice: NewInvoice): Promise<{ record: InvoiceRecord; created: boolean }> {
  const inserted = await db.query(
    `INSERT INTO invoices (id, supplier_org, document_type, invoice_number, issue_date, customer_kind, customer_number, buyer_org, branch,
       payable_amount, currency, source_sha256, idempotency_key, status, stage, warnings, verdict_basis, retain_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'received', 'validate', $14, $15, $16)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [
      invoice.id, invoice.supplierOrg, invoice.documentType, invoice.invoiceNumber, invoice.issueDate, invoice.customerKind,
      invoice.customerNumber, invoice.buyerOrg, invoice.branch, invoice.payableAmount, invoice.currency, invoice.sourceSha256,
      invoice.idempotencyKey, JSON.stringify(invoice.warnings), invoice.verdictBasis, invoice.retainUntil,
    ],
  );
  if (inserted.rows[0]) return { record: toRecord(inserted.rows[0]), created: true };
  const existing = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE id = $1 OR ($2::text IS NOT NULL AND supplier_org = $3 AND idempotency_key = $2) LIMIT 1`, [
    invoice.id,
    invoice.idempotencyKey,
    invoice.supplierOrg,
  ]);
  return { record: toRecord(existing.rows[0]), created: false };
}

export async function getInvoice(db: Db, id: string): Promise<InvoiceRecord | undefined> {
  const r = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE id = $1`, [id]);
  return r.rows[0] ? toRecord(r.rows[0]) : undefined;
}

/** The invoice and its archived source in one round trip (issue 12): what every lifecycle step starts from. */
export async function getInvoiceWithSource(db: Db, id: string): Promise<{ record: InvoiceRecord; source: StoredDocument | undefined } | undefined> {
  const columns = COLUMNS.split(',').map((c) => `i.${c.trim()}`).join(', ');
  const r = await db.query(
    `SELECT ${columns}, d.id AS document_id, d.media_type AS document_media_type, d.sha256 AS document_sha256, d.content AS document_content
       FROM invoices i LEFT JOIN documents d ON d.invoice_id = i.id AND d.kind = 'source' WHERE i.id = $1`,
    [id],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const source: StoredDocument | undefined =
    row.document_id === null ? undefined : { documentId: String(row.document_id), invoiceId: row.id, kind: 'source', mediaType: row.document_media_type, sha256: row.document_sha256, content: row.document_content };
  return { record: toRecord(row), source };
}

/** Idempotency-Keys are per tenant: only the suppliers the caller acts for (all, when undefined) are searched. */
export async function findByIdempotencyKey(db: Db, key: string, suppliers?: readonly string[]): Promise<InvoiceRecord | undefined> {
  const r = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE idempotency_key = $1 AND ($2::text[] IS NULL OR supplier_org = ANY($2)) ORDER BY created_at LIMIT 1`, [
    key,
    suppliers ?? null,
  ]);
  return r.rows[0] ? toRecord(r.rows[0]) : undefined;
}

/** Records a workflow state change and its timeline event in one transaction. */
export async function recordState(db: Db, id: string, state: InvoiceState, event: string, detail: Record<string, unknown>, seq?: number): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `UPDATE invoices SET status = $2, stage = $3, channel = $4, rule_id = $5, rules_version = $6, plan = $7, updated_at = now() WHERE id = $1`,
      [id, state.status, state.stage, state.channel ?? null, state.ruleId ?? null, state.rulesVersion ?? null, state.plan ? JSON.stringify(state.plan) : null],
    );
    // A retried write of the same workflow event (same seq) records nothing twice.
    await client.query('INSERT INTO invoice_events (invoice_id, seq, type, detail) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [id, seq ?? null, event, JSON.stringify(detail)]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function recordRoutingFacts(db: Db, id: string, facts: unknown): Promise<void> {
  await db.query('UPDATE invoices SET routing_facts = $2 WHERE id = $1', [id, JSON.stringify(facts)]);
}

export interface InvoiceEvent {
  at: string;
  type: string;
  detail: Record<string, unknown>;
}

export async function listEvents(db: Db, id: string): Promise<InvoiceEvent[]> {
  const r = await db.query('SELECT at, type, detail FROM invoice_events WHERE invoice_id = $1 ORDER BY id', [id]);
  return r.rows.map((row) => ({ at: new Date(row.at).toISOString(), type: row.type, detail: row.detail }));
}

export interface InvoiceSearch {
  invoiceNumber?: string;
  supplierOrg?: string;
  buyerOrg?: string;
  customerNumber?: string;
  status?: string;
  channel?: string;
  limit?: number;
  /** The caller's suppliers (an erp key); undefined = all. */
  suppliers?: readonly string[];
}

export async function searchInvoices(db: Db, q: InvoiceSearch): Promise<InvoiceRecord[]> {
  const r = await db.query(
    `SELECT ${COLUMNS} FROM invoices
     WHERE ($1::text IS NULL OR invoice_number = $1) AND ($2::text IS NULL OR supplier_org = $2) AND ($3::text IS NULL OR buyer_org = $3)
       AND ($4::text IS NULL OR customer_number = $4) AND ($5::text IS NULL OR status = $5) AND ($6::text IS NULL OR channel = $6)
       AND ($8::text[] IS NULL OR supplier_org = ANY($8))
     ORDER BY created_at DESC LIMIT $7`,
    [q.invoiceNumber ?? null, q.supplierOrg ?? null, q.buyerOrg ?? null, q.customerNumber ?? null, q.status ?? null, q.channel ?? null, Math.min(q.limit ?? 50, 500), q.suppliers ?? null],
  );
  return r.rows.map(toRecord);
}

/**
 * Invoices of one consumer still under way: an agreement decision (per supplier, branch and consumer) concerns every
 * one of them, including those that have not reached the wait yet.
 */
export async function findOpenInvoicesOfConsumer(db: Db, supplierOrg: string, customerNumber: string, branch = '*'): Promise<string[]> {
  // branch '*' (archive/agreements.ts ALL_BRANCHES): the decision covers every branch of the supplier.
  const r = await db.query(
    `SELECT id FROM invoices WHERE supplier_org = $1 AND customer_number = $2 AND ($3 = '*' OR branch = $3)
     AND status NOT IN ('rejected', 'delivered', 'failed', 'cancelled')`,
    [supplierOrg, customerNumber, branch],
  );
  return r.rows.map((row) => row.id);
}

/** Invoices accepted but perhaps never started (a crash between the archive and Temporal): the API starts them again. */
export async function findUnstarted(db: Db, olderThanSeconds: number): Promise<InvoiceRecord[]> {
  const r = await db.query(`SELECT ${COLUMNS} FROM invoices WHERE status = 'received' AND stage = 'validate' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at`, [olderThanSeconds]);
  return r.rows.map(toRecord);
}
