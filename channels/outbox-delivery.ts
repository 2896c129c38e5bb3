/**
 * How the local channels deliver: the message goes into the outbox under its delivery key, where a provider would
 * take it, so a retried delivery finds the message already there and reports the same receipt.
 */
import type { Db } from '../archive/database.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import type { Channel } from '../routing/plan.js';
import type { DeliveryRequest, Receipt } from './channel.js';
import { receiptFor } from './receipt.js';

export interface OutboxFile {
  mediaType: string;
  /** File name extension in the outbox folder, e.g. `xml`. */
  extension: string;
  content: Uint8Array | string;
}

export async function deliverToOutbox(
  db: Db,
  dataDir: string | undefined,
  channel: Channel,
  request: DeliveryRequest,
  file: OutboxFile,
  details: Record<string, string> = {},
): Promise<Receipt> {
  const { row } = await putOutboxMessage(db, dataDir, {
    channel,
    messageKey: request.deliveryKey,
    invoiceId: request.invoiceId,
    mediaType: file.mediaType,
    filename: `${safeFileName(request.deliveryKey)}.${file.extension}`,
    content: file.content,
  });
  return receiptFor(channel, request.deliveryKey, { ...details, outboxId: row.id });
}
