/** Local print channel: the PDF (with its Norwegian payment slip) goes into the print outbox a print provider would take. */
import type { Db } from '../archive/database.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { deliverToOutbox } from './outbox-delivery.js';

export class LocalPrintChannel implements DeliveryChannel {
  readonly channel = 'print' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const address = request.invoice.buyer.address;
    if (!address?.street || !address.postalCode || !address.city) {
      throw new ChannelUnavailable('NoPostalAddress', 'the buyer has no complete postal address');
    }
    return deliverToOutbox(this.db, this.dataDir, 'print', request, { mediaType: 'application/pdf', extension: 'pdf', content: request.pdf });
  }
}
