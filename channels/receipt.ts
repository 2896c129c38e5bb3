import { createHash } from 'node:crypto';
import type { Channel } from '../routing/plan.js';
import type { Receipt } from './channel.js';

/** Receipt ids derive from the delivery key, so a repeated delivery reports the same receipt. */
export function receiptFor(channel: Channel, deliveryKey: string, details: Record<string, string>, at = new Date()): Receipt {
  const digest = createHash('sha256').update(deliveryKey).digest('hex').slice(0, 20);
  return { channel, receiptId: `${channel}-${digest}`, at: at.toISOString(), details };
}
