/** Local print channel: the PDF (with its Norwegian payment slip) goes into the print outbox a print provider would take. */
import type { Db } from '../archive/database.js';
import { putOutboxMessage, safeFileName } from '../archive/outbox.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { receiptFor } from './receipt.js';

export class LocalPrintChannel implements DeliveryChannel {
  readonly channel = 'print' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const address = request.invoice.buyer.address;
    if (!address?.street || !address.postalCode || !address.city) {
      throw new ChannelUnavailable('NoPostalAddress', 'the buyer has no complete postal address');
    }
    const { row } = await putOutboxMessage(this.db, this.dataDir, {
      channel: 'print',
      messageKey: request.deliveryKey,
      invoiceId: request.invoiceId,
      mediaType: 'application/pdf',
      filename: `${safeFileName(request.deliveryKey)}.pdf`,
      content: request.pdf,
    });
    return receiptFor('print', request.deliveryKey, { outboxId: row.id });
  }
}
