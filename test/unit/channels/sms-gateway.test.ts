/** The HTTP SMS gateway client against a real HTTP gateway on 127.0.0.1 (test/support/sms-gateway-server.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelUnavailable } from '../../../channels/channel.js';
import { mobileNumber, SmsGatewayError, smsReference } from '../../../channels/sms/gateway.js';
import { HttpSmsGateway, parseDeliveryReports } from '../../../channels/sms/http-gateway.js';
import { freePort } from '../../support/free-port.js';
import { startSmsGateway } from '../../support/sms-gateway-server.js';

let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
beforeAll(async () => {
  gateway = await startSmsGateway({ token: 'gw-token', refuse: ['+4740000000'], failFirst: 1 });
});
afterAll(() => gateway?.stop());

const message = (reference: string, recipient = '+4791234567') => ({ sender: 'Fjordvarme', recipient, text: 'Hei', reference });

describe('HTTP SMS gateway', () => {
  it('a gateway outage (503) is retryable; the retry with the same reference sends one message', async () => {
    const client = new HttpSmsGateway({ url: gateway.url, token: 'gw-token' });
    const reference = smsReference('123456785:invoice:S-1:agreement-request');
    await expect(client.send(message(reference))).rejects.toBeInstanceOf(SmsGatewayError);
    const first = await client.send(message(reference));
    const again = await client.send(message(reference));
    expect(again.messageId).toBe(first.messageId);
    expect(gateway.messages.filter((m) => m.reference === reference)).toHaveLength(1);
    expect(gateway.requests.at(-1)).toEqual({ authorization: 'Bearer gw-token', idempotencyKey: reference });
  });

  it('a refused number is "the answer is no": RecipientRefused, its message free of the number', async () => {
    const client = new HttpSmsGateway({ url: gateway.url, token: 'gw-token' });
    const err = await client.send(message('ff-refused', '+4740000000')).catch((e) => e);
    expect(err).toBeInstanceOf(ChannelUnavailable);
    expect(err.type).toBe('RecipientRefused');
    expect(err.message).not.toContain('40000000');
  });

  it('a wrong token and an unreachable gateway are retryable errors', async () => {
    await expect(new HttpSmsGateway({ url: gateway.url, token: 'wrong' }).send(message('ff-x'))).rejects.toMatchObject({ name: 'SmsGatewayError', code: 'HTTP 401 unauthorized' });
    await expect(new HttpSmsGateway({ url: `http://127.0.0.1:${await freePort()}` }).send(message('ff-y'))).rejects.toMatchObject({ code: 'unreachable' });
  });
});

describe('delivery reports and numbers', () => {
  it('reads one report or a list, and says what is wrong with a bad one', () => {
    expect(parseDeliveryReports({ messageId: 'gw-1', status: 'delivered', at: '2026-11-02T10:00:00Z' })).toEqual({
      reports: [{ messageId: 'gw-1', status: 'delivered', at: '2026-11-02T10:00:00.000Z', reference: undefined, errorCode: undefined }],
    });
    const many = parseDeliveryReports({ reports: [{ messageId: 'a', status: 'failed', errorCode: 'unknown_subscriber' }, { messageId: 'b', status: 'expired' }] });
    expect('reports' in many && many.reports.map((r) => r.status)).toEqual(['failed', 'expired']);
    expect(parseDeliveryReports({ messageId: '', status: 'read' })).toEqual({
      issues: [
        { path: '/messageId', message: 'a non-empty string' },
        { path: '/status', message: 'delivered, failed or expired' },
      ],
    });
  });

  it('texts Norwegian mobile numbers in E.164 and nothing that is not one', () => {
    expect(mobileNumber('912 34 567')).toBe('+4791234567');
    expect(mobileNumber('0047 41234567')).toBe('+4741234567');
    expect(mobileNumber('+47 912 34 567')).toBe('+4791234567');
    expect(mobileNumber('+47 22 12 34 56')).toBeUndefined(); // a landline
    expect(mobileNumber('+46701234567')).toBe('+46701234567');
    expect(mobileNumber('ring meg')).toBeUndefined();
  });
});
