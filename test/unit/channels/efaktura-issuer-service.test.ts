/**
 * The issuer-service client against a server on 127.0.0.1 that speaks the documented SOAP wire format: every
 * operation, the typed failures (209, 5003, credentials, 5xx, no answer), and nothing personal in error texts.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IssuerServiceProvider } from '../../../channels/efaktura/issuer-service.js';
import { DuplicateConsignment, EfakturaRefused, EfakturaUnreachable, type Claim, type Consignment } from '../../../channels/efaktura/provider.js';
import { startEfakturaIssuerServer, type IssuerServer } from '../../support/efaktura-issuer-server.js';

const ISSUER = '123456785';
// A password with what looks like references: it must reach the server as typed (xmlbuilder2 wrote them unescaped).
const credentials = { username: 'fjordvarme', password: 'hemmelig & sikker &amp; &#65; &nbsp;' };
let server: IssuerServer;
let client: IssuerServiceProvider;
let consignments = 0;

const claim = (overrides: Partial<Claim> = {}): Claim => ({
  invoiceId: `${ISSUER}:invoice:2026-0042`,
  receiver: { efakturaIdentifier: 'EF-100200300' },
  invoiceNumber: '2026-0042',
  kid: '123450006788',
  creditAccount: '86011117947',
  amount: '1875.00',
  dueDate: '2026-11-30',
  issuerName: 'Fjordvarme AS',
  presentationUrl: 'https://faktura.example.no/faktura/abc.def',
  ...overrides,
});
const consignment = (claims = [claim()]): Consignment => ({ consignmentId: `c-${++consignments}`, issuer: ISSUER, claims });

beforeAll(async () => {
  server = await startEfakturaIssuerServer(credentials);
  client = new IssuerServiceProvider({ url: server.url, ...credentials });
});
afterAll(() => server?.stop());
beforeEach(() => {
  server.consumers.splice(0, server.consumers.length, { efakturaIdentifier: 'EF-100200300', nationalId: '01010012356', name: 'Kari Nordmann', postalCode: '5030', mobile: '4791234567' });
  server.blackList.clear();
  server.rejectingReceivers.clear();
  server.pendingPolls = 1;
});

describe('eFaktura issuer service client', () => {
  it('finds a consumer by fødselsnummer, or by name with postal code or mobile, and not a stranger', async () => {
    expect(await client.getEfakturaIdentifiers({ issuer: ISSUER, nationalId: '01010012356' })).toEqual({ found: true, efakturaIdentifier: 'EF-100200300' });
    expect(await client.getEfakturaIdentifiers({ issuer: ISSUER, name: 'Kari Nordmann', address: { street: 'Lien 3', postalCode: '5030', city: 'Bergen', country: 'NO' } })).toMatchObject({ found: true });
    expect(await client.getEfakturaIdentifiers({ issuer: ISSUER, name: 'Kari Nordmann', mobile: '4791234567' })).toMatchObject({ found: true });
    expect(await client.getEfakturaIdentifiers({ issuer: ISSUER, name: 'Kari Nordmann', address: { postalCode: '0150' } })).toEqual({ found: false });
    expect(await client.getEfakturaIdentifiers({ issuer: ISSUER, nationalId: '01010012347' })).toEqual({ found: false });
    // The fødselsnummer was sent instead of name and address, not besides them; the customer number never.
    const lookup = server.requests.filter((r) => r.operation === 'getEfakturaIdentifiers')[0]!.xml;
    expect(lookup).toContain('<ef:socialSecurityNumber>01010012356</ef:socialSecurityNumber>');
    expect(lookup).not.toContain('<ef:name>');
  });

  it('reads the blacklist, empty or not', async () => {
    expect(await client.getBlackList(ISSUER)).toEqual([]);
    server.blackList.add('EF-1').add('EF-2');
    expect(await client.getBlackList(ISSUER)).toEqual(['EF-1', 'EF-2']);
    server.blackList.delete('EF-2');
    expect(await client.getBlackList(ISSUER)).toEqual(['EF-1']);
  });

  it('submits a consignment the server reads field by field, and refuses the same consignment id again with 209', async () => {
    const c = consignment();
    await client.addInvoices(c);
    const stored = server.consignments.get(`${ISSUER}/${c.consignmentId}`)!;
    expect(stored.claims).toEqual([
      {
        efakturaIdentifier: 'EF-100200300',
        invoiceNumber: '2026-0042',
        documentType: 'INVOICE',
        kid: '123450006788',
        creditAccount: '86011117947',
        amount: '1875.00',
        dueDate: '2026-11-30',
        issuerName: 'Fjordvarme AS',
        presentationUrl: 'https://faktura.example.no/faktura/abc.def',
      },
    ]);
    const again = await client.addInvoices(c).catch((e) => e);
    expect(again).toBeInstanceOf(DuplicateConsignment);
    expect(again.consignmentId).toBe(c.consignmentId);
    expect(server.consignments.get(`${ISSUER}/${c.consignmentId}`)!.claims).toHaveLength(1);
  });

  it('maps a claim without receiver to the refusal 5003', async () => {
    const refused = await client.addInvoices(consignment([claim({ receiver: {} as Claim['receiver'] })])).catch((e) => e);
    expect(refused).toBeInstanceOf(EfakturaRefused);
    expect(refused.code).toBe('5003');
  });

  it('follows a consignment from processing to processed, and its invoice to accepted, rejected or cancelled', async () => {
    server.pendingPolls = 2;
    const c = consignment([claim(), claim({ invoiceNumber: '2026-0043', receiver: { socialSecurityNumber: '01010012356' } })]);
    expect(await client.getConsignmentStatus(ISSUER, c.consignmentId)).toEqual({ state: 'unknown' });
    await client.addInvoices(c);
    expect(await client.getInvoiceStatus(ISSUER, c.consignmentId, '2026-0042')).toEqual({ state: 'pending' });
    expect(await client.getConsignmentStatus(ISSUER, c.consignmentId)).toEqual({ state: 'pending' });
    expect(await client.getConsignmentStatus(ISSUER, c.consignmentId)).toEqual({ state: 'pending' });
    expect(await client.getConsignmentStatus(ISSUER, c.consignmentId)).toEqual({ state: 'processed' });
    expect(await client.getInvoiceStatus(ISSUER, c.consignmentId, '2026-0042')).toEqual({ state: 'accepted', efakturaIdentifier: 'EF-100200300' });

    server.rejectingReceivers.add('EF-100200300');
    const rejected = await client.getInvoiceStatus(ISSUER, c.consignmentId, '2026-0043');
    expect(rejected).toMatchObject({ state: 'rejected', reason: { code: 'RECEIVER_REJECTED' } });
    // The provider's text named the receiver; what we keep does not.
    expect(rejected.reason!.message).not.toContain('100200300');

    await client.cancelInvoice(ISSUER, c.consignmentId, '2026-0043');
    expect(await client.getInvoiceStatus(ISSUER, c.consignmentId, '2026-0043')).toEqual({ state: 'cancelled' });
    await client.cancelConsignment(ISSUER, c.consignmentId);
    expect(await client.getInvoiceStatus(ISSUER, c.consignmentId, '2026-0042')).toEqual({ state: 'cancelled' });
  });

  it('reports wrong credentials, 5xx, a closed port and silence as "no answer" (retryable), each with its reason', async () => {
    const wrong = new IssuerServiceProvider({ url: server.url, username: credentials.username, password: 'feil' });
    const auth = await wrong.getBlackList(ISSUER).catch((e) => e);
    expect(auth).toBeInstanceOf(EfakturaUnreachable);
    expect(auth.reason).toBe('authentication');
    expect(auth.message).not.toContain('feil');

    server.failNext(1);
    expect(await client.getBlackList(ISSUER).catch((e) => e)).toMatchObject({ name: 'EfakturaUnreachable', reason: 'server' });
    expect(await client.getBlackList(ISSUER)).toEqual([]);

    const closed = new IssuerServiceProvider({ url: 'http://127.0.0.1:1/efaktura', ...credentials });
    expect(await closed.getBlackList(ISSUER).catch((e) => e)).toMatchObject({ name: 'EfakturaUnreachable', reason: 'network' });

    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const slow = new IssuerServiceProvider({ url: `http://127.0.0.1:${port}/`, ...credentials, timeoutMs: 200 });
      expect(await slow.getBlackList(ISSUER).catch((e) => e)).toMatchObject({ name: 'EfakturaUnreachable', reason: 'timeout' });
    } finally {
      silent.close();
    }
  });
});
