/**
 * The eFaktura channel over both providers, against real PostgreSQL (agreements, outbox) and, for the issuer
 * service, the SOAP stand-in on 127.0.0.1: look-up and blacklist, one consignment per invoice however often the
 * delivery is retried or raced, polling to an answer, the presentation link in the claim, and receipts that
 * show the consumer only masked.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { recordAgreementDecision } from '../../archive/agreements.js';
import { connect, type Db } from '../../archive/database.js';
import { insertInvoice } from '../../archive/invoices.js';
import { listOutbox } from '../../archive/outbox.js';
import { retainUntil } from '../../archive/retention.js';
import { ChannelUnavailable, type DeliveryRequest } from '../../channels/channel.js';
import { consignmentIdFor, EfakturaChannel, EfakturaClaimPending } from '../../channels/efaktura/efaktura-channel.js';
import { IssuerServiceProvider } from '../../channels/efaktura/issuer-service.js';
import { EfakturaUnreachable } from '../../channels/efaktura/provider.js';
import { SandboxEfakturaProvider } from '../../channels/efaktura/sandbox-provider.js';
import { naturalKey } from '../../invoice/natural-key.js';
import { presentedInvoice } from '../../public-pages/presentation-link.js';
import { SignedLinks } from '../../public-pages/signed-link.js';
import { validateSubmission } from '../../validation/submission.js';
import { startEfakturaIssuerServer, type IssuerServer } from '../support/efaktura-issuer-server.js';
import { consumerInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';

const credentials = { username: 'fjordvarme', password: 's3cret' };
const links = new SignedLinks(Buffer.alloc(32, 9));
const BASE = 'https://faktura.example.no';
let db: Db;
let server: IssuerServer;
let heartbeats = 0;

beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  server = await startEfakturaIssuerServer(credentials);
});
afterAll(async () => {
  await server?.stop();
  await db?.end();
});
beforeEach(() => {
  server.pendingPolls = 1;
  server.rejectingReceivers.clear();
  server.blackList.clear();
});

const issuerChannel = (poll: { pollWindowMs?: number } = {}) =>
  new EfakturaChannel({ provider: new IssuerServiceProvider({ url: server.url, ...credentials }), db, links, publicBaseUrl: BASE, pollIntervalMs: 10, pollWindowMs: 5_000, ...poll });

/** A delivery request for a consumer invoice; archived when the sandbox's outbox needs the invoice row. */
async function request(buyer: Record<string, unknown> = {}, archive = false): Promise<DeliveryRequest> {
  const body = consumerInvoice(uniqueNumber('C'));
  Object.assign(body.buyer, buyer);
  const content = JSON.stringify(body);
  const result = await validateSubmission({ mediaType: 'application/json', content });
  if (!result.valid) throw new Error(JSON.stringify(result.issues));
  const { invoice, totals, ehfXml } = result;
  const invoiceId = naturalKey(invoice);
  if (archive) {
    await insertInvoice(db, {
      id: invoiceId, supplierOrg: SUPPLIER_ORG, documentType: invoice.documentType, invoiceNumber: invoice.invoiceNumber, issueDate: invoice.issueDate,
      customerKind: 'consumer', customerNumber: invoice.buyer.customerNumber ?? null, buyerOrg: null, branch: '', payableAmount: totals.payableAmount,
      currency: invoice.currency, sourceSha256: createHash('sha256').update(content).digest('hex'), idempotencyKey: null, warnings: [], verdictBasis: null,
      retainUntil: retainUntil(invoice.issueDate),
    } as Parameters<typeof insertInvoice>[1]);
  }
  return { invoiceId, deliveryKey: `${invoiceId}:efaktura`, invoice, totals, ehfXml, pdf: new Uint8Array(), heartbeat: () => void heartbeats++ };
}

/** A consumer the service knows, by a name no other test uses (the look-up matches name with postal code). */
function consumer(nationalId?: string): { identifier: string; name: string } {
  const n = ++consumers;
  const identifier = `EF-${String(n).padStart(3, '0')}${process.pid}`;
  const name = `Kari Nordmann ${n}`;
  server.consumers.push({ efakturaIdentifier: identifier, nationalId, name, postalCode: '5030' });
  return { identifier, name };
}
let consumers = 0;

describe('eFaktura channel over the issuer service', () => {
  it('finds the consumer, submits one claim with a presentation link, polls it to accepted, and masks the receiver in the receipt', async () => {
    const { identifier } = consumer('01010012356');
    const req = await request({ nationalId: '01010012356' });
    const channel = issuerChannel();
    expect(await channel.lookup(req.invoice)).toBe('found');
    heartbeats = 0;
    const receipt = await channel.deliver(req);

    const consignmentId = consignmentIdFor(req.deliveryKey);
    expect(receipt.details).toEqual({ provider: 'issuer-service', consignmentId, invoiceStatus: 'accepted', efakturaIdentifier: `EF${'*'.repeat(identifier.length - 4)}${identifier.slice(-2)}` });
    expect(JSON.stringify(receipt)).not.toContain('01010012356');
    expect(heartbeats).toBeGreaterThanOrEqual(2); // polled at least twice: PROCESSING, then PROCESSED
    const [claim] = server.consignments.get(`${SUPPLIER_ORG}/${consignmentId}`)!.claims;
    expect(claim).toMatchObject({ efakturaIdentifier: identifier, kid: '123450006788', creditAccount: '86011117947', amount: req.totals.payableAmount.toFixed(2), dueDate: '2026-11-30', issuerName: req.invoice.supplier.name });
    expect(claim!.presentationUrl.startsWith(`${BASE}/faktura/`)).toBe(true);
    expect(presentedInvoice(links, claim!.presentationUrl.slice(`${BASE}/faktura/`.length))).toBe(req.invoiceId);
  });

  it('retries a pending claim by polling the same consignment, and a raced second attempt gets 209 and polls too: one claim', async () => {
    const req = await request({ name: consumer().name });
    const consignmentId = consignmentIdFor(req.deliveryKey);
    server.pendingPolls = 1_000;
    const pending = await issuerChannel({ pollWindowMs: 50 }).deliver(req).catch((e) => e);
    expect(pending).toBeInstanceOf(EfakturaClaimPending);
    server.pendingPolls = 0;
    await expect(issuerChannel().deliver(req)).resolves.toMatchObject({ details: { consignmentId, invoiceStatus: 'accepted' } });
    const adds = () => server.requests.filter((r) => r.operation === 'addInvoices' && r.xml.includes(consignmentIdFor(raced.deliveryKey))).length;

    // Two attempts of one delivery at once (a worker presumed dead and its successor): both find no consignment,
    // both submit; the service keeps the first and answers the second 209.
    const raced = await request({ name: consumer().name });
    server.gate('getConsignmentStatus', 2);
    const both = await Promise.all([issuerChannel().deliver(raced), issuerChannel().deliver(raced)]);
    expect(both[0].details.consignmentId).toBe(both[1].details.consignmentId);
    expect(adds()).toBe(2);
    expect(server.consignments.get(`${SUPPLIER_ORG}/${consignmentIdFor(raced.deliveryKey)}`)!.claims).toHaveLength(1);
    expect(server.requests.filter((r) => r.operation === 'addInvoices' && r.xml.includes(consignmentId))).toHaveLength(1);
  });

  it('a consumer on the blacklist is ConsumerBlocked; one not found without agreement is AgreementMissing; no claim either way', async () => {
    const { identifier, name } = consumer();
    server.blackList.add(identifier);
    const blocked = await request({ name });
    expect(await issuerChannel().lookup(blocked.invoice)).toBe('blocked');
    expect(await issuerChannel().deliver(blocked).catch((e) => e)).toMatchObject({ name: 'ChannelUnavailable', type: 'ConsumerBlocked' });

    const stranger = await request({ name: 'Ola Ukjent' });
    expect(await issuerChannel().lookup(stranger.invoice)).toBe('not_found');
    const missing = await issuerChannel().deliver(stranger).catch((e) => e);
    expect(missing).toBeInstanceOf(ChannelUnavailable);
    expect(missing.type).toBe('AgreementMissing');
    for (const r of [blocked, stranger]) expect(server.consignments.has(`${SUPPLIER_ORG}/${consignmentIdFor(r.deliveryKey)}`)).toBe(false);
  });

  it('an accepted agreement request addresses a consumer the look-up does not find by the agreement reference', async () => {
    const req = await request({ name: 'Per Avtale' });
    await recordAgreementDecision(db, SUPPLIER_ORG, '*', req.invoice.buyer.customerNumber!, 'accepted', 'test');
    expect(await issuerChannel().lookup(req.invoice)).toBe('agreement_accepted');
    const receipt = await issuerChannel().deliver(req);
    const customerNumber = req.invoice.buyer.customerNumber!;
    expect(receipt.details.efakturaReference).toBe(`${customerNumber.slice(0, 2)}${'*'.repeat(customerNumber.length - 4)}${customerNumber.slice(-2)}`);
    const [claim] = server.consignments.get(`${SUPPLIER_ORG}/${consignmentIdFor(req.deliveryKey)}`)!.claims;
    expect(claim!.efakturaReference).toBe(req.invoice.buyer.customerNumber);
  });

  it('a claim the bank rejects is ClaimRejected (the next channel takes over); an outage is retryable and submits once', async () => {
    const rejecting = consumer();
    server.rejectingReceivers.add(rejecting.identifier);
    expect(await issuerChannel().deliver(await request({ name: rejecting.name })).catch((e) => e)).toMatchObject({ name: 'ChannelUnavailable', type: 'ClaimRejected' });

    const req = await request({ name: consumer().name });
    server.failNext(1);
    expect(await issuerChannel().deliver(req).catch((e) => e)).toBeInstanceOf(EfakturaUnreachable);
    await expect(issuerChannel().deliver(req)).resolves.toMatchObject({ details: { invoiceStatus: 'accepted' } });
  });
});

describe('eFaktura channel over the sandbox provider', () => {
  it('consent = found and delivered into the outbox once; blocked = on the blacklist', async () => {
    const sandbox = new SandboxEfakturaProvider(db);
    const channel = new EfakturaChannel({ provider: sandbox, db, links, publicBaseUrl: BASE, pollIntervalMs: 10 });
    const req = await request({}, true);
    const customer = req.invoice.buyer.customerNumber!;
    expect(await channel.lookup(req.invoice)).toBe('not_found');
    await sandbox.setConsumer(customer, true, false);
    expect(await channel.lookup(req.invoice)).toBe('found');
    const first = await channel.deliver(req);
    const again = await channel.deliver(req);
    expect(again).toMatchObject({ receiptId: first.receiptId, details: { provider: 'sandbox', invoiceStatus: 'accepted' } });
    const claims = await listOutbox(db, { invoiceId: req.invoiceId, channel: 'efaktura' });
    expect(claims).toHaveLength(1);
    expect(JSON.parse(claims[0]!.content.toString())).toMatchObject({ kid: '123450006788', creditAccount: '86011117947', currency: 'NOK', consignmentId: first.details.consignmentId });

    await sandbox.cancelConsignment(SUPPLIER_ORG, first.details.consignmentId!);
    expect(await sandbox.getInvoiceStatus(SUPPLIER_ORG, first.details.consignmentId!, req.invoice.invoiceNumber)).toEqual({ state: 'cancelled' });

    await sandbox.setConsumer(customer, true, true);
    expect(await channel.lookup(req.invoice)).toBe('blocked');
    expect(await sandbox.getBlackList(SUPPLIER_ORG)).toContain(`sandbox-${customer}`);
  });
});
