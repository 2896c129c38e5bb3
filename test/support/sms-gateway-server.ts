/**
 * A real HTTP SMS gateway on 127.0.0.1 speaking docs/sms-gateway.md: POST /messages with a Bearer token, the
 * client reference as idempotency key (the same reference is the same message), 422 `invalid_recipient` for chosen
 * numbers, 503 on demand; and it sends delivery reports to our callback like a gateway does.
 */
import { createServer, type IncomingMessage } from 'node:http';

export interface GatewayMessage {
  messageId: string;
  sender: string;
  recipient: string;
  text: string;
  reference: string;
}

export interface SmsGatewayServerOptions {
  token: string;
  refuse?: string[];
  /** Answer this many sends with 503 before accepting (a gateway outage). */
  failFirst?: number;
}

export async function startSmsGateway(options: SmsGatewayServerOptions) {
  const messages: GatewayMessage[] = [];
  const requests: { authorization?: string; idempotencyKey?: string }[] = [];
  let failures = options.failFirst ?? 0;
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/messages') return send(404, { error: { code: 'not_found' } });
    requests.push({ authorization: req.headers.authorization, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: { code: 'unauthorized' } });
    if (failures > 0) {
      failures--;
      return send(503, { error: { code: 'unavailable' } });
    }
    const body = JSON.parse(await text(req));
    for (const field of ['sender', 'recipient', 'text', 'reference']) {
      if (typeof body[field] !== 'string' || body[field] === '') return send(400, { error: { code: 'invalid_request', message: `${field} is required` } });
    }
    if (options.refuse?.includes(body.recipient)) return send(422, { error: { code: 'invalid_recipient', message: `${body.recipient} is not a mobile number` } });
    const earlier = messages.find((m) => m.reference === body.reference);
    if (earlier) return send(200, { messageId: earlier.messageId, status: 'accepted' });
    const message = { messageId: `gw-${messages.length + 1}-${Date.now().toString(36)}`, sender: body.sender, recipient: body.recipient, text: body.text, reference: body.reference };
    messages.push(message);
    send(201, { messageId: message.messageId, status: 'accepted' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  /** Reports a message's fate to our callback, as the gateway would once the operator answers. */
  async function report(callbackUrl: string, secret: string, messageId: string, status: 'delivered' | 'failed' | 'expired', errorCode?: string): Promise<Response> {
    return fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ messageId, status, at: new Date().toISOString(), ...(errorCode ? { errorCode } : {}) }),
    });
  }

  return { url, messages, requests, report, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function text(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
  });
}
