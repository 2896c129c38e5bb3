/**
 * The embedded default's access point (PEPPOL_AP=outbox): the outbox stands where the AP would be. A submission is put
 * into the outbox under its SBDH instance id and counts as sent at once; a second submission of the same id finds the
 * first (putOutboxMessage is idempotent by key), as a real AP's duplicate detection would. No MLS ever comes back.
 */
import type { Db } from '../../archive/database.js';
import { putOutboxMessage, safeFileName } from '../../archive/outbox.js';
import type { AccessPoint, ApSubmission, ApTransmission } from './access-point.js';

export class OutboxAccessPoint implements AccessPoint {
  readonly name = 'outbox';
  readonly reportsMls = false;

  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async submit(s: ApSubmission): Promise<ApTransmission> {
    const { row } = await putOutboxMessage(this.db, this.dataDir, {
      channel: 'peppol',
      messageKey: s.sbdhInstanceId,
      invoiceId: s.invoiceId,
      mediaType: 'application/xml',
      filename: `${safeFileName(s.invoiceId)}.${s.sbdhInstanceId.slice(0, 8)}.xml`,
      content: s.document,
    });
    return { sbdhInstanceId: s.sbdhInstanceId, state: 'sent', at: row.createdAt };
  }

  async status(sbdhInstanceId: string): Promise<ApTransmission> {
    const r = await this.db.query<{ created_at: Date }>(`SELECT created_at FROM outbox WHERE channel = 'peppol' AND message_key = $1`, [sbdhInstanceId]);
    const row = r.rows[0];
    return row ? { sbdhInstanceId, state: 'sent', at: new Date(row.created_at).toISOString() } : { sbdhInstanceId, state: 'unknown' };
  }
}
