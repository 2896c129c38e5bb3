/**
 * The HTTP calls the end-to-end tests make on a running product. `baseUrl` is read on every call, since a test may
 * stop and start the product under it.
 */
import { expect } from 'vitest';
import { createApiKey } from '../../archive/api-keys.js';
import type { Db } from '../../archive/database.js';
import { waitFor } from './wait-for.js';

const keys = new WeakMap<Db, Promise<string>>();

/** One admin key per archive connection: tests share the database, so each makes its own. */
export function adminKey(db: Db): Promise<string> {
  let key = keys.get(db);
  if (!key) {
    key = createApiKey(db, { role: 'admin', label: 'test' }).then((k) => k.key);
    keys.set(db, key);
  }
  return key;
}

export function productClient(baseUrl: () => string, archive?: () => Db) {
  /** Every call carries an admin key of the product's archive unless the test sets its own Authorization. */
  const api = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (archive && !headers.has('authorization')) headers.set('authorization', `Bearer ${await adminKey(archive())}`);
    return fetch(baseUrl() + path, { ...init, headers });
  };
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const invoicePath = (id: string) => `/v1/invoices/${encodeURIComponent(id)}`;

  /** Submits an invoice body that must be accepted (202) and returns its id. */
  async function submit(body: unknown): Promise<string> {
    const res = await postJson('/v1/invoices', body);
    const json = await res.json();
    expect(res.status, JSON.stringify(json)).toBe(202);
    return json.id;
  }

  /** The invoice as GET /v1/invoices/{id} shows it, once its status is one of `statuses`. */
  const invoiceIn = (id: string, statuses: string[]) =>
    waitFor(`invoice ${id} in ${statuses.join('/')}`, async () => {
      const json = await (await api(invoicePath(id))).json();
      return statuses.includes(json.status) ? json : undefined;
    });

  return { api, postJson, invoicePath, submit, invoiceIn };
}
