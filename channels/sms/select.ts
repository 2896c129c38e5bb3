/** SMS_GATEWAY_URL set: the HTTP gateway; else the outbox of the embedded default. */
import type { Db } from '../../archive/database.js';
import type { SmsGateway } from './gateway.js';
import { HttpSmsGateway } from './http-gateway.js';
import { OutboxSmsGateway } from './outbox-gateway.js';

export function smsGateway(config: { gatewayUrl?: string; gatewayToken?: string }, db: Db, dataDir?: string): SmsGateway {
  return config.gatewayUrl ? new HttpSmsGateway({ url: config.gatewayUrl, token: config.gatewayToken }) : new OutboxSmsGateway(db, dataDir);
}
