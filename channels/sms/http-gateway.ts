/**
 * The HTTP SMS gateway's wire format (docs/sms-gateway.md), the one module that knows it: JSON over HTTPS with a
 * Bearer token, the client reference as idempotency key, delivery reports POSTed back to us. Shaped like the
 * common Norwegian/Nordic gateways' REST APIs (sender, recipient, text, client reference → message id; delivery
 * report callbacks). Errors map to our two kinds: the gateway says no to this number (RecipientRefused, the next
 * channel takes over) or no usable answer (SmsGatewayError, retried).
 */
import { maskText } from '../masking.js';
import { ChannelUnavailable } from '../channel.js';
import { SmsGatewayError, type SmsDeliveryReport, type SmsGateway, type SmsMessage, type SmsSent } from './gateway.js';

export interface HttpSmsGatewayOptions {
  /** SMS_GATEWAY_URL: the API base; messages are POSTed to `<url>/messages`. */
  url: string;
  /** SMS_GATEWAY_TOKEN, sent as `Authorization: Bearer`. */
  token?: string;
  /** Well inside the activity's 2 minutes: a hung gateway fails the attempt, not races its retry. */
  timeoutMs?: number;
}

/** Gateway error codes that mean "this number cannot get the text": retrying will not help. */
const REFUSED = new Set(['invalid_recipient', 'recipient_blocked', 'unknown_subscriber']);

export class HttpSmsGateway implements SmsGateway {
  readonly kind = 'http' as const;
  constructor(private readonly options: HttpSmsGatewayOptions) {}

  async send(message: SmsMessage): Promise<SmsSent> {
    let res: Response;
    try {
      res = await fetch(`${this.options.url.replace(/\/+$/, '')}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': message.reference,
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify({ sender: message.sender, recipient: message.recipient, text: message.text, reference: message.reference }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch (err) {
      throw new SmsGatewayError((err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
    }
    const body = (await res.json().catch(() => undefined)) as { messageId?: unknown; status?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    if (res.ok) {
      if (typeof body?.messageId !== 'string' || body.messageId === '') throw new SmsGatewayError(`HTTP ${res.status} without messageId`);
      return { messageId: body.messageId, status: typeof body.status === 'string' ? body.status : 'accepted' };
    }
    const code = typeof body?.error?.code === 'string' ? body.error.code : '';
    if ((res.status === 400 || res.status === 422) && REFUSED.has(code)) {
      // The gateway's reason, for support, masked: it may echo the number (README "Personal data").
      const reason = typeof body?.error?.message === 'string' && body.error.message ? `: ${maskText(body.error.message.slice(0, 300))}` : '';
      throw new ChannelUnavailable('RecipientRefused', `the SMS gateway refused the recipient (${code})${reason}`);
    }
    // 401/403 (a wrong token), 429 and 5xx: retried, so an operator can fix the configuration or the gateway recover.
    throw new SmsGatewayError(`HTTP ${res.status}${code ? ` ${maskText(code)}` : ''}`);
  }
}

export interface ReportIssue {
  path: string;
  message: string;
}

/**
 * A delivery-report callback body: one report, or `{reports: [...]}`. Returns the reports or what is wrong with
 * them (for a 400 with reasons).
 */
export function parseDeliveryReports(body: unknown): { reports: SmsDeliveryReport[] } | { issues: ReportIssue[] } {
  const list = body && typeof body === 'object' && Array.isArray((body as { reports?: unknown }).reports) ? (body as { reports: unknown[] }).reports : [body];
  const issues: ReportIssue[] = [];
  const reports: SmsDeliveryReport[] = [];
  if (list.length === 0 || list.length > 1000) issues.push({ path: '/reports', message: 'between 1 and 1000 reports' });
  list.forEach((item, i) => {
    const at = list.length === 1 && list[0] === body ? '' : `/reports/${i}`;
    const r = (item ?? {}) as Record<string, unknown>;
    if (typeof r.messageId !== 'string' || r.messageId === '' || r.messageId.length > 200) issues.push({ path: `${at}/messageId`, message: 'a non-empty string' });
    if (r.status !== 'delivered' && r.status !== 'failed' && r.status !== 'expired') issues.push({ path: `${at}/status`, message: 'delivered, failed or expired' });
    const time = typeof r.at === 'string' ? Date.parse(r.at) : NaN;
    if (r.at !== undefined && Number.isNaN(time)) issues.push({ path: `${at}/at`, message: 'an ISO 8601 date-time' });
    if (r.errorCode !== undefined && (typeof r.errorCode !== 'string' || r.errorCode.length > 100)) issues.push({ path: `${at}/errorCode`, message: 'a string of at most 100 characters' });
    reports.push({
      messageId: String(r.messageId),
      reference: typeof r.reference === 'string' ? r.reference : undefined,
      status: r.status as SmsDeliveryReport['status'],
      at: Number.isNaN(time) ? new Date().toISOString() : new Date(time).toISOString(),
      errorCode: typeof r.errorCode === 'string' ? maskText(r.errorCode) : undefined,
    });
  });
  return issues.length ? { issues } : { reports };
}
