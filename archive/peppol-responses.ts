/**
 * Peppol transmissions and the answers that come back about them (migration 005): the transport outcome, the
 * Message Level Status (AP / AB / RE) and the buyer's Invoice Responses (AB, IP, UQ, CA, RE, AP, PD; DOMAIN.md §4).
 * They arrive by polling the access point and by POST /v1/peppol/responses, in any order and possibly twice: each
 * is recorded once. MLS and Invoice Responses also become invoice events, the place webhooks will read from; they
 * never change the invoice's delivery (a later RE is shown and notified, support decides: issue 10 item 4).
 */
import type { Db } from './database.js';

export type ResponseKind = 'transport' | 'mls' | 'invoice_response';

export interface PeppolResponse {
  kind: ResponseKind;
  code: string;
  reason: string | null;
  at: string;
}

export interface NewPeppolResponse {
  invoiceId: string;
  sbdhInstanceId: string;
  kind: ResponseKind;
  code: string;
  reason?: string | null;
  at?: string;
  source: 'access-point' | 'callback';
}

export interface Transmission {
  sbdhInstanceId: string;
  invoiceId: string;
  accessPoint: string;
  transportStatus: string;
  as4MessageId: string | null;
  mlsStatus: string | null;
}

/** Codes by kind. MLS: EPeppolMLSResponseCode; Invoice Response: BIS 63a (UNCL4343 subset). */
export const RESPONSE_CODES: Record<ResponseKind, readonly string[]> = {
  transport: ['sent', 'failed', 'rejected', 'permanently_failed', 'PEPPOL:NOT_SERVICED'],
  mls: ['AP', 'AB', 'RE'],
  invoice_response: ['AB', 'IP', 'UQ', 'CA', 'RE', 'AP', 'PD'],
};

/** The transmission the channel made (or found) for an invoice; its state follows what the AP last said. */
export async function saveTransmission(
  db: Db,
  t: { sbdhInstanceId: string; invoiceId: string; accessPoint: string; transportStatus: string; as4MessageId?: string; mlsStatus?: string; pollUntil?: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO peppol_transmissions (sbdh_instance_id, invoice_id, access_point, transport_status, as4_message_id, mls_status, poll_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (sbdh_instance_id) DO UPDATE SET
       transport_status = EXCLUDED.transport_status,
       as4_message_id = COALESCE(peppol_transmissions.as4_message_id, EXCLUDED.as4_message_id),
       -- an MLS already recorded (by the poller or a callback) is not taken back to pending
       mls_status = CASE WHEN peppol_transmissions.mls_status IN ('AP', 'AB', 'RE') THEN peppol_transmissions.mls_status ELSE EXCLUDED.mls_status END,
       poll_until = COALESCE(EXCLUDED.poll_until, peppol_transmissions.poll_until),
       updated_at = now()`,
    [t.sbdhInstanceId, t.invoiceId, t.accessPoint, t.transportStatus, t.as4MessageId ?? null, t.mlsStatus ?? null, t.pollUntil ?? null],
  );
}

export async function findTransmission(db: Db, sbdhInstanceId: string): Promise<Transmission | undefined> {
  const r = await db.query('SELECT * FROM peppol_transmissions WHERE sbdh_instance_id = $1', [sbdhInstanceId]);
  return r.rows[0] ? transmission(r.rows[0]) : undefined;
}

/** The invoice's latest transmission, for a response that names the invoice (an Invoice Response) rather than the SBDH. */
export async function findTransmissionOfInvoice(db: Db, invoiceId: string): Promise<Transmission | undefined> {
  const r = await db.query('SELECT * FROM peppol_transmissions WHERE invoice_id = $1 ORDER BY created_at DESC LIMIT 1', [invoiceId]);
  return r.rows[0] ? transmission(r.rows[0]) : undefined;
}

/**
 * Records a response once. Transport and MLS are once per transmission (MLS 1.0: at most one per business document),
 * so a repeat with a reason fills in a reason the first one lacked (the AP's status says "received_re" without the
 * reason codes a callback carries). Invoice Responses repeat legitimately (IP, then UQ, then AP), keyed by time too.
 */
export async function recordPeppolResponse(db: Db, r: NewPeppolResponse): Promise<{ recorded: boolean }> {
  const at = r.at ? new Date(r.at) : new Date();
  const reason = r.reason?.trim() ? r.reason.trim().slice(0, 500) : null;
  const dedupeKey =
    r.kind === 'invoice_response' ? `${r.sbdhInstanceId}:${r.kind}:${r.code}:${at.toISOString()}:${reason ?? ''}` : `${r.sbdhInstanceId}:${r.kind}:${r.code}`;
  const insert = (q: Pick<Db, 'query'>) =>
    q.query(
      `INSERT INTO peppol_responses (invoice_id, sbdh_instance_id, kind, code, reason, at, source, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (dedupe_key) DO UPDATE SET reason = EXCLUDED.reason
         WHERE peppol_responses.reason IS NULL AND EXCLUDED.reason IS NOT NULL
       RETURNING (xmax = 0) AS inserted`,
      [r.invoiceId, r.sbdhInstanceId, r.kind, r.code, reason, at, r.source, dedupeKey],
    );
  // A transport status is that one row (the delivery's receipt carries it to the timeline): one statement, no
  // transaction to open (issue 12: every Peppol delivery records one).
  if (r.kind === 'transport') return { recorded: (await insert(db)).rows[0]?.inserted === true };
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const inserted = await insert(client);
    const recorded = inserted.rows[0]?.inserted === true;
    if (recorded && r.kind === 'mls') {
      await client.query(`UPDATE peppol_transmissions SET mls_status = $2, updated_at = now() WHERE sbdh_instance_id = $1`, [r.sbdhInstanceId, r.code]);
    }
    if (recorded) {
      // The invoice's timeline, and where webhooks (a later issue) will pick the change up; the status stays as it is.
      const status = (await client.query('SELECT status FROM invoices WHERE id = $1', [r.invoiceId])).rows[0]?.status;
      await client.query('INSERT INTO invoice_events (invoice_id, at, type, detail) VALUES ($1, $2, $3, $4)', [
        r.invoiceId,
        at,
        'peppol_response',
        JSON.stringify({ kind: r.kind, code: r.code, reason, sbdhInstanceId: r.sbdhInstanceId, source: r.source, rejected: r.code === 'RE', invoiceStatus: status }),
      ]);
    }
    await client.query('COMMIT');
    return { recorded };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function listPeppolResponses(db: Db, invoiceId: string): Promise<PeppolResponse[]> {
  const r = await db.query('SELECT kind, code, reason, at FROM peppol_responses WHERE invoice_id = $1 ORDER BY at, id', [invoiceId]);
  return r.rows.map((row) => ({ kind: row.kind, code: row.code, reason: row.reason, at: new Date(row.at).toISOString() }));
}

/**
 * The three tracks as the invoice shows them: transport (the AP's outcome), MLS (the receiving AP's verdict) and
 * business (the buyer's latest Invoice Response; AP and RE are final, PD may still follow AP).
 */
export function peppolStatuses(responses: PeppolResponse[]): { transportStatus: string | null; mlsStatus: string | null; businessStatus: string | null } {
  const latest = (kind: ResponseKind) => responses.filter((r) => r.kind === kind).at(-1)?.code ?? null;
  return { transportStatus: latest('transport'), mlsStatus: latest('mls'), businessStatus: businessStatus(responses) };
}

/**
 * BIS 63a: RE and AP are final; after AP only PD (paid) may follow. A response that arrives after a final one is kept
 * in `responses[]` (it happened, and support may want to see it) but does not move the business status.
 */
function businessStatus(responses: PeppolResponse[]): string | null {
  let status: string | null = null;
  for (const r of responses) {
    if (r.kind !== 'invoice_response') continue;
    if (status === 'RE' || status === 'PD') continue;
    if (status === 'AP' && r.code !== 'PD') continue;
    status = r.code;
  }
  return status;
}

/**
 * Transmissions whose MLS is still awaited, claimed for one poll: several workers may run the poller, and each row is
 * asked about by one of them per interval.
 */
export async function claimTransmissionsToPoll(db: Db, accessPoint: string, everySeconds: number, limit = 50): Promise<Transmission[]> {
  const r = await db.query(
    `UPDATE peppol_transmissions SET last_polled_at = now()
     WHERE sbdh_instance_id IN (
       SELECT sbdh_instance_id FROM peppol_transmissions
       WHERE mls_status = 'pending' AND access_point = $1 AND poll_until > now()
         AND (last_polled_at IS NULL OR last_polled_at < now() - make_interval(secs => $2))
       ORDER BY last_polled_at NULLS FIRST LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [accessPoint, everySeconds, limit],
  );
  return r.rows.map(transmission);
}

/** MLS that will not come any more (the poll window ended): no longer asked about. */
export async function stopPollingExpired(db: Db): Promise<void> {
  await db.query(`UPDATE peppol_transmissions SET mls_status = 'not_received', updated_at = now() WHERE mls_status = 'pending' AND poll_until <= now()`);
}

function transmission(row: Record<string, unknown>): Transmission {
  return {
    sbdhInstanceId: row.sbdh_instance_id as string,
    invoiceId: row.invoice_id as string,
    accessPoint: row.access_point as string,
    transportStatus: row.transport_status as string,
    as4MessageId: (row.as4_message_id as string | null) ?? null,
    mlsStatus: (row.mls_status as string | null) ?? null,
  };
}

/** Invoices an Invoice Response may be about: by the invoice number it references, among invoices sent over Peppol. */
export async function findPeppolInvoicesByNumber(db: Db, q: { invoiceNumber: string; supplierOrg?: string; documentType?: string }): Promise<string[]> {
  const r = await db.query(
    `SELECT DISTINCT i.id FROM invoices i JOIN peppol_transmissions t ON t.invoice_id = i.id
     WHERE i.invoice_number = $1 AND ($2::text IS NULL OR i.supplier_org = $2) AND ($3::text IS NULL OR i.document_type = $3)
     LIMIT 2`,
    [q.invoiceNumber, q.supplierOrg ?? null, q.documentType ?? null],
  );
  return r.rows.map((row) => row.id as string);
}
