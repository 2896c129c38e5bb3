/**
 * Access control (issue 9): walks the OpenAPI document and, for every operation that needs a key, checks 401 without
 * a key and with a wrong one, 403 for every role it does not admit, and neither for the roles it does. Then an erp
 * key's tenancy: it sees and acts for its own suppliers only.
 */
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { createApp, openapiPath } from '../../api/app.js';
import { createApiKey, ROLES, type Role } from '../../archive/api-keys.js';
import { connect, type Db } from '../../archive/database.js';
import { insertInvoice } from '../../archive/invoices.js';
import { businessInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';

const CALLBACK_SECRET = 'callback-secret-for-the-access-test';
const OTHER_SUPPLIER = '987654325';
let db: Db;
let server: Server;
let base: string;
const keys = {} as Record<Role, string>;
let otherErp: string;

beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  // No engine is needed to be refused: a lazy connection that nothing here reaches.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = createApp({ db, temporal, namespace: 'default', taskQueue: 'access-test', bodyLimit: '1mb', callbackSecret: CALLBACK_SECRET, log: () => undefined } as never);
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  for (const role of ROLES) keys[role] = (await createApiKey(db, { role, suppliers: role === 'erp' ? [SUPPLIER_ORG] : [], label: `access test ${role}` })).key;
  otherErp = (await createApiKey(db, { role: 'erp', suppliers: [OTHER_SUPPLIER] })).key;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.end();
});

interface Operation {
  method: string;
  path: string;
  templated?: boolean;
  roles?: string[];
  open: boolean;
}

function operations(): Operation[] {
  const doc = parse(readFileSync(openapiPath, 'utf8')) as { paths: Record<string, Record<string, { 'x-roles'?: string[]; security?: unknown[] }>> };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, 'x'), templated: path.includes('{'), roles: op['x-roles'], open: Array.isArray(op.security) && op.security.length === 0 })),
  );
}

const call = (op: Operation, authorization?: string) =>
  fetch(base + op.path, {
    method: op.method,
    headers: { ...(authorization ? { authorization } : {}), ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
    body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
  });

describe('every operation of the OpenAPI document', () => {
  const ops = operations();

  it('declares either who may call it or that it is open', () => {
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) expect(op.open || (op.roles?.length ?? 0) > 0, `${op.method} ${op.path}`).toBe(true);
  });

  it('answers 401 without a key and with a wrong one, 403 to roles it does not admit, and lets the others in', async () => {
    for (const op of ops.filter((o) => !o.open)) {
      const name = `${op.method} ${op.path}`;
      expect((await call(op)).status, `${name} without a key`).toBe(401);
      expect((await call(op, 'Bearer ffk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, `${name} with a made-up key`).toBe(401);
      expect((await call(op, 'Basic dXNlcjpwYXNz')).status, `${name} with Basic auth`).toBe(401);
      for (const role of ROLES) {
        const status = (await call(op, `Bearer ${keys[role]}`)).status;
        if (op.roles!.includes(role)) expect([401, 403], `${name} as ${role}`).not.toContain(status);
        else expect(status, `${name} as ${role}`).toBe(403);
      }
      const asCallback = (await call(op, `Bearer ${CALLBACK_SECRET}`)).status;
      if (op.roles!.includes('callback')) expect([401, 403], `${name} as a provider callback`).not.toContain(asCallback);
      else expect(asCallback, `${name} as a provider callback`).toBe(403);
    }
  });

  it('leaves the open ones open', async () => {
    // The pages we send to people open only with their signed token; their tests are beside them.
    for (const op of ops.filter((o) => o.open && o.method === 'GET' && !o.templated && o.path !== '/health')) expect((await call(op)).status, `${op.method} ${op.path}`).toBe(200);
  });

  it('does not take a revoked key', async () => {
    const created = await createApiKey(db, { role: 'admin' });
    const list = { method: 'GET', path: '/v1/keys', open: false };
    expect((await call(list, `Bearer ${created.key}`)).status).toBe(200);
    const revoke = await fetch(`${base}/v1/keys/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${keys.admin}` } });
    expect(revoke.status).toBe(204);
    expect((await call(list, `Bearer ${created.key}`)).status).toBe(401);
  });
});

describe('an erp key', () => {
  let theirs: string;

  beforeAll(async () => {
    // An invoice of the other supplier, already delivered (no engine is asked about a final invoice).
    const invoice = businessInvoice(uniqueNumber('ACCESS'));
    theirs = `${OTHER_SUPPLIER}:invoice:${invoice.invoiceNumber}`;
    await insertInvoice(db, {
      id: theirs, supplierOrg: OTHER_SUPPLIER, documentType: 'invoice', invoiceNumber: invoice.invoiceNumber, issueDate: '2026-11-02', customerKind: 'business',
      customerNumber: null, buyerOrg: SUPPLIER_ORG, branch: '', payableAmount: 100, currency: 'NOK', sourceSha256: 'x'.repeat(64), idempotencyKey: 'same-key-1',
      warnings: [], verdictBasis: null, retainUntil: '2031-12-31',
    } as never);
    await db.query("UPDATE invoices SET status = 'delivered', stage = 'done' WHERE id = $1", [theirs]);
  });

  const get = (path: string, key: string) => fetch(base + path, { headers: { authorization: `Bearer ${key}` } });

  it('does not see another supplier’s invoice, by id, documents, history or search', async () => {
    const path = `/v1/invoices/${encodeURIComponent(theirs)}`;
    for (const suffix of ['', '/document', '/pdf', '/history', '/history?format=temporal']) expect((await get(path + suffix, keys.erp)).status, suffix).toBe(404);
    expect((await get(path, otherErp)).status).toBe(200);
    const mine = await (await get(`/v1/invoices?supplierOrg=${OTHER_SUPPLIER}`, keys.erp)).json();
    expect(mine.invoices).toEqual([]);
    const all = await (await get('/v1/invoices?limit=500', keys.erp)).json();
    expect(all.invoices.every((i: { supplierOrg: string }) => i.supplierOrg === SUPPLIER_ORG)).toBe(true);
    const theirsListed = await (await get(`/v1/invoices?supplierOrg=${OTHER_SUPPLIER}`, otherErp)).json();
    expect(theirsListed.invoices.map((i: { id: string }) => i.id)).toContain(theirs);
  });

  it('cannot submit in another supplier’s name, nor reuse its Idempotency-Key to reach its invoice', async () => {
    const forged = { ...businessInvoice(uniqueNumber('FORGED')), supplier: { ...businessInvoice('x').supplier, taxId: OTHER_SUPPLIER } };
    const res = await fetch(`${base}/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${keys.erp}`, 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(403);
    expect(body.errors[0].rule).toBe('FF-AUTH-SUPPLIER');
    // The other supplier's Idempotency-Key names nothing for this tenant: the forged body is judged on its own.
    const again = await fetch(`${base}/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${keys.erp}`, 'content-type': 'application/json', 'idempotency-key': 'same-key-1' }, body: JSON.stringify(forged) });
    expect(again.status).toBe(403);
  });

  it('cannot decide agreements: the consumer’s consent comes from the provider or support, not from the supplier’s ERP', async () => {
    const res = await fetch(`${base}/v1/agreements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.erp}`, 'content-type': 'application/json' },
      body: JSON.stringify({ supplierOrg: OTHER_SUPPLIER, customerNumber: 'K-1', status: 'accepted' }),
    });
    expect(res.status).toBe(403);
  });
});

describe('npx fakturaflyt keys', () => {
  const cli = async (args: string[], env: Record<string, string>) => {
    const { execFile } = await import('node:child_process');
    return new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ['bin/fakturaflyt.mjs', ...args], { env: { ...process.env, ...env } }, (error, out, err) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
      );
    });
  };

  it('creates an erp key (printed on the last line), lists it and revokes it', async () => {
    const env = { FAKTURAFLYT_URL: base, FAKTURAFLYT_API_KEY: keys.admin };
    const created = await cli(['keys', 'create', '--role', 'erp', '--supplier', '923609016', '--label', 'ERP of Bygg AS'], env);
    expect(created.code, created.err).toBe(0);
    const key = created.out.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^ffk_[0-9a-f]{12}_/);
    const id = key.split('_')[1]!;
    const mine = await fetch(`${base}/v1/invoices`, { headers: { authorization: `Bearer ${key}` } });
    expect(mine.status).toBe(200);
    const listed = await cli(['keys', 'list'], env);
    expect(listed.out).toMatch(new RegExp(`${id}\\s+erp\\s+active\\s+923609016\\s+ERP of Bygg AS`));
    expect(listed.out).not.toContain(key.split('_')[2]);
    expect((await cli(['keys', 'revoke', id], env)).code).toBe(0);
    expect((await fetch(`${base}/v1/invoices`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    const refused = await cli(['keys', 'create', '--role', 'erp'], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('supplier');
    const noKey = await cli(['keys', 'list'], { FAKTURAFLYT_URL: base, FAKTURAFLYT_API_KEY: keys.erp });
    expect(noKey.code).toBe(1);
    expect(noKey.err).toMatch(/^403/);
  });
});
