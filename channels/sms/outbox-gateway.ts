/** The embedded default's SMS gateway: the text lands in the outbox (`sms`) under its reference, as a gateway would take it. */
import type { Db } from '../../archive/database.js';
import { putOutboxMessage, safeFileName } from '../../archive/outbox.js';
import type { SmsGateway, SmsMessage, SmsSent } from './gateway.js';

export class OutboxSmsGateway implements SmsGateway {
  readonly kind = 'outbox' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async send(message: SmsMessage): Promise<SmsSent> {
    if (!message.invoiceId) throw new Error('the SMS outbox files each text under its invoice');
    const { row } = await putOutboxMessage(this.db, this.dataDir, {
      channel: 'sms',
      messageKey: `sms:${message.reference}`,
      invoiceId: message.invoiceId,
      mediaType: 'application/json',
      filename: `${safeFileName(message.reference)}.sms.json`,
      content: JSON.stringify({ sender: message.sender, recipient: message.recipient, text: message.text, reference: message.reference }, null, 2),
    });
    return { messageId: `outbox-${row.id}`, status: 'accepted' };
  }
}
