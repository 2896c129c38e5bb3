/**
 * The HTTP calls the end-to-end tests make on a running product. `baseUrl` is read on every call, since a test may
 * stop and start the product under it.
 */
import { expect } from 'vitest';
import { waitFor } from './wait-for.js';

export function productClient(baseUrl: () => string, apiKey: () => string | undefined = () => undefined) {
  /** Every call carries the API key (when the test has one) unless the test sets its own Authorization. */
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const key = apiKey();
    if (key && !headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
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
