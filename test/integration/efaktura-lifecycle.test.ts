/**
 * The product configured as the README says for the eFaktura issuer service (EFAKTURA_PROVIDER=issuer-service),
 * against the SOAP stand-in and a real SMTP server on 127.0.0.1: a consumer the service finds gets eFaktura, and
 * the claim's presentation link serves the invoice PDF while a tampered one is refused; a consumer who blocked
 * the issuer gets e-mail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { startEfakturaIssuerServer, type IssuerServer } from '../support/efaktura-issuer-server.js';
import { freePort } from '../support/free-port.js';
import { testEngine, type TestEngine } from '../support/engine.js';
import { consumerInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const credentials = { username: 'fjordvarme', password: 'issuer-secret' };
let product: Product;
let issuer: IssuerServer;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let dataDir: string;

/** Its own dev server, or the cluster of `npm run test:cluster` (test/support/engine.ts). */
let engine: TestEngine;
beforeAll(async () => {
  engine = await testEngine();
  [issuer, smtp] = await Promise.all([startEfakturaIssuerServer(credentials), startSmtpSink()]);
  issuer.pendingPolls = 0; // the move from pending to accepted is the channel tests' subject; here it costs a poll interval
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-efaktura-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    ...engine.env,
    TEMPORAL_UI_PORT: '0',
    SMTP_URL: smtp.url,
    EFAKTURA_PROVIDER: 'issuer-service',
    EFAKTURA_URL: issuer.url,
    EFAKTURA_USERNAME: credentials.username,
    EFAKTURA_PASSWORD: credentials.password,
  });
  product = await startProduct(config, { workflowBundle: { code: inject('workflowBundle') }, taskQueue: engine.taskQueue, log: () => undefined });
});

afterAll(async () => {
  await product?.stop();
  await Promise.all([issuer?.stop(), smtp?.stop()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const { api, invoicePath, submit, invoiceIn } = productClient(() => product.url, () => product.db);
const finalState = (id: string) => invoiceIn(id, ['delivered', 'failed', 'rejected']);

function consumerKnownToTheService(): { body: ReturnType<typeof consumerInvoice>; identifier: string } {
  const body = consumerInvoice(uniqueNumber('C'));
  body.buyer.name = `Kari Nordmann ${body.buyer.customerNumber}`;
  const identifier = `EF-${issuer.consumers.length + 1}-${process.pid}`;
  issuer.consumers.push({ efakturaIdentifier: identifier, name: body.buyer.name, postalCode: '5030' });
  return { body, identifier };
}

describe('eFaktura through the issuer service', () => {
  it('a consumer the service finds gets eFaktura; the claim links to the PDF; a tampered link opens nothing', async () => {
    const { body, identifier } = consumerKnownToTheService();
    const id = await submit(body);
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'efaktura' });
    const receipt = state.deliveries[0];
    expect(receipt.details).toMatchObject({ provider: 'issuer-service', invoiceStatus: 'accepted', consignmentId: expect.stringMatching(/^ff[0-9a-f]{32}$/) });
    expect(receipt.details.efakturaIdentifier).toMatch(/^EF\*+\d\d$/);
    expect(JSON.stringify(state)).not.toContain(identifier);

    const stored = issuer.consignments.get(`${SUPPLIER_ORG}/${receipt.details.consignmentId}`)!;
    expect(stored.claims).toHaveLength(1);
    const link = stored.claims[0]!.presentationUrl!;
    expect(link.startsWith(`${product.url}/faktura/`)).toBe(true);

    const presented = await fetch(link);
    expect(presented.status).toBe(200);
    expect(presented.headers.get('content-type')).toBe('application/pdf');
    expect(presented.headers.get('cache-control')).toBe('no-store');
    const pdf = Buffer.from(await presented.arrayBuffer());
    expect(pdf.equals(Buffer.from(await (await api(`${invoicePath(id)}/pdf`)).arrayBuffer()))).toBe(true);

    const token = link.slice(`${product.url}/faktura/`.length);
    const [claims, mac] = token.split('.');
    const otherInvoice = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), s: `${SUPPLIER_ORG}:invoice:other` })).toString('base64url');
    for (const tampered of [`${otherInvoice}.${mac}`, `${claims}.${mac!.slice(1)}A`]) {
      const refused = await fetch(`${product.url}/faktura/${tampered}`);
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).not.toContain('pdf');
    }
  });

  it('has no sandbox to play consumers in while the issuer service is configured', async () => {
    const res = await api('/v1/sandbox/efaktura/consumers/K-1', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: true }) });
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/EFAKTURA_PROVIDER/);
  });

  it('a consumer who blocked the issuer gets the invoice by e-mail', async () => {
    const { body, identifier } = consumerKnownToTheService();
    issuer.blackList.add(identifier);
    const id = await submit(body);
    const state = await finalState(id);
    expect(state).toMatchObject({ status: 'delivered', channel: 'email' });
    expect(smtp.received.filter((m) => m.raw.includes(body.invoiceNumber)).map((m) => m.to)).toEqual([[body.buyer.email]]);
    expect([...issuer.consignments.values()].some((c) => c.claims.some((claim) => claim.invoiceNumber === body.invoiceNumber))).toBe(false);
  });
});
