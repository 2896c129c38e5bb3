/**
 * Issue 9, item 2: hostile input never stalls or crashes anything and always gets a 4xx with a clear reason. Against a
 * running product (role `api`: the API and the engine, no worker, so accepted invoices just wait), with property-based
 * tests (fast-check, fixed seeds, bounded sizes) over the JSON model, the XML reader and the query parameters of the
 * GET routes, and single tests for the very large cases (a 20,000-line invoice, a 50 MB body, a gzip bomb). Throughout,
 * a probe asks /health every 50 ms: every answer must come within HEALTH_BOUND_MS.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { openapiPath } from '../../api/app.js';
import { LINES_LIMIT } from '../../invoice/json-shape-limits.js';
import { loadConfig } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { ourVerdict } from '../../validation/submission.js';
import { freePort } from '../support/free-port.js';
import { exampleMutations, generatedBodies, invoiceBody, officialExamples } from '../support/invoice-arbitraries.js';
import { businessInvoice, uniqueNumber } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';

/** Every request must be answered within this; a property fails on the first that is not. */
const REQUEST_BOUND_MS = 20_000;
/** A 5,000-line invoice (LINES_LIMIT), mostly the official rules: about 20 s on two shared cores. */
const LIMIT_BOUND_MS = 90_000;
/** /health while the hostile requests run. */
const HEALTH_BOUND_MS = 2_000;

let product: Product;
let dataDir: string;
const { api } = productClient(() => product.url, () => product.db);

/** A /health probe every 50 ms from start to stop; `slowest` is the longest answer (an unanswered probe counts as its wait). */
const health = { slowest: 0, failures: [] as string[], stop: false, running: Promise.resolve() };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-hostile-'));
  const config = loadConfig({
    PORT: '0', DATA_DIR: dataDir, DATABASE_URL: inject('databaseUrl'), TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: '0',
    RULES_DIR: 'rules', FAKTURAFLYT_ROLE: 'api',
  });
  product = await startProduct(config, { workflowBundle: { code: inject('workflowBundle') }, log: () => undefined });
  health.running = (async () => {
    while (!health.stop) {
      const started = Date.now();
      const res = await fetch(`${product.url}/health`, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => err);
      health.slowest = Math.max(health.slowest, Date.now() - started);
      if (res instanceof Error || res.status !== 200) health.failures.push(res instanceof Error ? res.message : `status ${res.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
}, 180_000);

afterAll(async () => {
  health.stop = true;
  await health.running;
  await product?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A request that must be answered within REQUEST_BOUND_MS with no 5xx; returns status and body. */
async function answered(path: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await api(path, { ...init, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
  const text = await res.text();
  expect(res.status, `${init.method ?? 'GET'} ${path.slice(0, 120)} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // A refusal says why: an error code, and for validation the rule ids.
  if (res.status >= 400 && json) expect(typeof json.error).toBe('string');
  return { status: res.status, json };
}

const post = (body: string | Buffer, type = 'application/json', headers: Record<string, string> = {}) =>
  answered('/v1/invoices', { method: 'POST', headers: { 'content-type': type, ...headers }, body: body as BodyInit });

function expectHealthy() {
  expect(health.failures).toEqual([]);
  expect(health.slowest).toBeLessThan(HEALTH_BOUND_MS);
}

// ---------------------------------------------------------------------------------------------------------------
// The JSON model: valid invoices with random values of random types put at random places.

/** Paths to every object and array in a body (the places a mutation can write to). */
function containers(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object') {
    out.push(path);
    for (const [k, v] of Object.entries(value)) containers(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates, control characters, astral planes
  fc.constantFrom('1e400', 'NaN', 'Infinity', '-Infinity', '1e15', '99999999999999999999.99', '-0', '0x10', ' 12 ', '١٢٣'),
  fc.constantFrom(1e300, -1e300, 1e16, Number.MAX_SAFE_INTEGER, -0, 0.1 + 0.2, 5e-324),
  fc.integer({ min: 2_000, max: 60_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 200 }).map(deep),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'lines', 'amount', 'quantity', 'unitPrice', 'name', 'taxId', 'vatRate', ''), fc.string({ maxLength: 12 }));

const mutatedInvoice = fc
  .tuple(invoiceBody, fc.array(fc.tuple(fc.nat(), key, oddValue, fc.boolean()), { minLength: 1, maxLength: 4 }))
  .map(([body, edits]) => {
    const copy = structuredClone(body) as Record<string, unknown>;
    for (const [pick, name, value, replace] of edits) {
      const places = containers(copy);
      const place = places[pick % places.length]!;
      const target = place.reduce<any>((at, step) => at[step], copy);
      const existing = Object.keys(target);
      const field = Array.isArray(target) ? (existing.length ? pick % existing.length : 0) : replace && existing.length ? existing[pick % existing.length]! : name;
      // defineProperty: `__proto__` becomes a key of the JSON, as a hostile client writes it, not our prototype.
      Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(copy);
  });

describe('the JSON model (property-based)', () => {
  it('answers mutated invoices with 2xx or 4xx, never 5xx, in bounded time, and stays responsive', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(mutatedInvoice, async (text) => {
        const { status, json } = await post(text);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 422) expect(json.errors.length, text.slice(0, 200)).toBeGreaterThan(0);
      }),
      { seed: 9_2001, numRuns: 60 },
    );
    // The mutations reach the checks: most are refused, with reasons.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(20);
    expectHealthy();
  });

  it('refuses prototype keys, deep nesting and numbers out of range with their rules', async () => {
    const base = businessInvoice(uniqueNumber('HOSTILE'));
    const rules = async (text: string) => (await post(text)).json.errors.map((e: { rule: string }) => e.rule);
    expect(await rules(`{"__proto__":{"admin":true},${JSON.stringify(base).slice(1)}`)).toEqual(['FF-JSON-KEY']);
    expect(await rules(JSON.stringify({ ...base, supplier: { ...base.supplier, constructor: { prototype: { x: 1 } } } }))).toEqual(['FF-JSON-KEY']);
    expect(await rules(JSON.stringify({ ...base, notes: deep(40) }))).toEqual(['FF-JSON-DEPTH']);
    expect(await rules('['.repeat(200_000) + ']'.repeat(200_000))).toEqual(['FF-JSON-DEPTH']);
    expect(await rules(JSON.stringify(base).replace(/"quantity":\s*[\d.]+/, '"quantity":1e400'))).toEqual(['FF-NUMBER-RANGE']);
    expect(await rules(JSON.stringify({ ...base, lines: [{ ...base.lines[0], quantity: 1e16 }] }))).toEqual(['FF-NUMBER-RANGE']);
    expect(await rules(JSON.stringify({ ...base, lines: [{ ...base.lines[0], quantity: '1e400' }] }))).toContain('FF-JSON-TYPE');
    expect(await rules(JSON.stringify({ ...base, lines: [{ ...base.lines[0], quantity: '99999999999999999999' }] }))).toContain('FF-NUMBER-RANGE');
    // The same limits hold for every JSON route.
    const agreement = await answered('/v1/agreements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"status":"accepted"}}' });
    expect(agreement.status).toBe(422);
    expect(agreement.json.errors[0].rule).toBe('FF-JSON-KEY');
  });

  it('refuses bodies of a type no route reads with 415 FF-CONTENT-TYPE', async () => {
    for (const [path, type] of [['/v1/invoices', 'text/plain'], ['/v1/invoices', 'multipart/form-data; boundary=x'], ['/v1/agreements', 'text/plain'], ['/v1/rules/evaluate', 'application/octet-stream']] as const) {
      const { status, json } = await answered(path, { method: 'POST', headers: { 'content-type': type }, body: '{}' });
      expect(status, `${path} ${type}`).toBe(415);
      if (path !== '/v1/invoices') expect(json.errors[0].rule).toBe('FF-CONTENT-TYPE');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The XML reader: official examples and our own UBL, with random element, attribute and text changes and injections.

const INJECTIONS = [
  (x: string) => x.replace(/(<\?xml[^>]*\?>)/, '$1<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('<cbc:Note>', '<cbc:Note>&xxe;'),
  (x: string) => x.replace(/(<\?xml[^>]*\?>)/, '$1<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:1/evil.dtd">'),
  (x: string) => x.replace(/(<\?xml[^>]*\?>)/, `$1<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>`).replace('<cbc:ID>', '<cbc:ID>&lol9;'),
  (x: string) => x.replace('<cbc:ID>', '<cbc:ID>&undefined;'),
  (x: string) => x.replace('<cbc:ID>', '<cbc:ID><![CDATA[<!ENTITY x SYSTEM "file:///etc/passwd">]]>'),
  (x: string) => x.replace(/<cbc:Note>/, `<cbc:Note>${'<a>'.repeat(500)}${'</a>'.repeat(500)}`),
  (x: string) => x.replace(/xmlns:cbc="[^"]*"/, 'xmlns:cbc="urn:evil"'),
  (x: string) => x.replace(/(<\?xml[^>]*\?>)/, '$1<?xml-stylesheet href="http://127.0.0.1:1/x.xsl"?>'),
];

function mutateXml(xml: string, pick: number, kind: number, text: string): string {
  const tags = [...xml.matchAll(/<(\w+:)?\w+(\s[^>]*)?>([^<]*)</g)];
  const m = tags[pick % Math.max(tags.length, 1)];
  if (!m) return xml;
  const at = m.index!;
  switch (kind % 6) {
    case 0: // the text of an element
      return xml.slice(0, at) + m[0].replace(/>[^<]*<$/, `>${text}<`) + xml.slice(at + m[0].length);
    case 1: // an attribute value
      return xml.slice(0, at) + m[0].replace(/="[^"]*"/, `="${text.replace(/"/g, '&quot;')}"`) + xml.slice(at + m[0].length);
    case 2: // the element name
      return xml.slice(0, at) + m[0].replace(/^<(\w+:)?\w+/, `<$1${text.replace(/[^A-Za-z]/g, '') || 'X'}`) + xml.slice(at + m[0].length);
    case 3: // cut off
      return xml.slice(0, at + (pick % 40));
    case 4: // raw text where markup goes
      return xml.slice(0, at) + text + xml.slice(at);
    default:
      return INJECTIONS[pick % INJECTIONS.length]!(xml);
  }
}

describe('the XML reader (property-based)', () => {
  const examples = officialExamples().slice(0, 8).map((e) => e.xml);
  const ours = generatedBodies(9_2002, 6).map((d) => ourVerdict(d).ehfXml).filter((x): x is string => x !== undefined);
  const documents = [...examples, ...ours, ...exampleMutations(9_2003, 4).map((d) => d.content)];

  it('answers mutated official examples and our UBL with 2xx or 4xx, never 5xx, in bounded time', async () => {
    expect(ours.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.nat(documents.length - 1), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 30 }), async (d, pick, kind, text) => {
        await post(mutateXml(documents[d]!, pick, kind, text), 'application/xml');
      }),
      { seed: 9_2004, numRuns: 30 },
    );
    expectHealthy();
  });

  it('refuses every DTD and entity trick before any parser, with FF-XML-DOCTYPE', async () => {
    for (const inject of INJECTIONS.slice(0, 3)) {
      const { status, json } = await post(inject(examples[0]!), 'application/xml');
      expect(status).toBe(422);
      expect(json.errors).toEqual([expect.objectContaining({ rule: 'FF-XML-DOCTYPE' })]);
    }
    const deepXml = `<?xml version="1.0"?><Invoice>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</Invoice>`;
    const { status, json } = await post(deepXml, 'application/xml');
    expect(status).toBe(422);
    expect(json.errors[0].rule).toBe('FF-XML-DEPTH');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The query parameters (and path parameters) of every GET route in the OpenAPI document.

const getPaths = Object.entries((parse(readFileSync(openapiPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> }).paths)
  .filter(([, item]) => 'get' in item)
  .map(([path]) => path);

describe('query parameters of the GET routes (property-based)', () => {
  it('refuses a repeated or unknown history format with 400 instead of reading neither view', async () => {
    const repeated = await answered('/v1/invoices/123456785:invoice:1/history?format=temporal&format=temporal');
    expect(repeated.status).toBe(400);
    expect(repeated.json.errors[0].rule).toBe('FF-QUERY-REPEATED');
    expect((await answered('/v1/invoices/123456785:invoice:1/history?formt=temporal')).json.errors[0].rule).toBe('FF-QUERY-UNKNOWN');
  });

  const name = fc.oneof(fc.constantFrom('invoiceNumber', 'supplierOrg', 'buyerOrg', 'customerNumber', 'status', 'channel', 'limit', 'format', 'token', '__proto__', 'constructor'), fc.string({ maxLength: 10 }));
  const value = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', '-1', '0', '1e400', 'NaN', '501', '99999999999999999999', '\u0000', '%', 'temporal'), fc.integer({ min: 150, max: 5_000 }).map((n) => 'q'.repeat(n)));
  const query = fc.array(fc.tuple(name, value), { maxLength: 4 });
  const segment = fc.oneof(fc.constantFrom('123456785:invoice:1', 'x', '..', '%00', '__proto__'), fc.string({ unit: 'binary', maxLength: 30 }));

  it('answers random queries and path values with 2xx or 4xx, never 5xx, in bounded time', async () => {
    expect(getPaths).toContain('/v1/invoices');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...getPaths), segment, query, fc.boolean(), async (template, seg, pairs, raw) => {
        const path = template.replace(/\{\w+\}/g, raw ? seg.replace(/[/?#]/g, '') : encodeURIComponent(seg));
        const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${raw ? v.replace(/[&#\s]/g, '') : encodeURIComponent(v)}`).join('&');
        const target = `${path}${search ? `?${search}` : ''}`;
        // A request line fetch itself will not send (a lone surrogate, a raw control character) never reaches us.
        if (/[\u0000-\u0020\u007f]|[\ud800-\udfff]/.test(target)) return;
        await answered(target);
      }),
      { seed: 9_2005, numRuns: 120 },
    );
    expectHealthy();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The very large cases, one test each.

describe('very large input', () => {
  it('refuses a 20,000-line invoice with 422 FF-LINES-LIMIT at once, JSON and XML', async () => {
    const base = businessInvoice(uniqueNumber('LINES'));
    const body = { ...base, lines: Array.from({ length: 20_000 }, (_, i) => ({ ...base.lines[0]!, id: String(i + 1) })) };
    const started = Date.now();
    const { status, json } = await post(JSON.stringify(body));
    expect(status).toBe(422);
    expect(json.errors).toEqual([expect.objectContaining({ rule: 'FF-LINES-LIMIT', path: '/lines' })]);
    const xml = ourVerdict({ mediaType: 'application/json', content: JSON.stringify({ ...base, invoiceNumber: uniqueNumber('LINES') }) }).ehfXml!;
    // Lines cut to their ID, so that 20,000 stay under BODY_LIMIT: the count is refused before anything parses them.
    const line = /<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/.exec(xml)![0];
    const many = xml.replace(line, '<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>'.repeat(20_000));
    const refused = await post(many, 'application/xml');
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([expect.objectContaining({ rule: 'FF-LINES-LIMIT' })]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expectHealthy();
  });

  it('checks a 5,000-line invoice (LINES_LIMIT) off the event loop: accepted in bounded time while /health answers', async () => {
    const base = businessInvoice(uniqueNumber('LINES'));
    const body = { ...base, lines: Array.from({ length: LINES_LIMIT }, (_, i) => ({ ...base.lines[0]!, id: String(i + 1) })) };
    health.slowest = 0;
    const started = Date.now();
    const res = await api('/v1/invoices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(LIMIT_BOUND_MS) });
    expect(res.status, (await res.text()).slice(0, 500)).toBe(202);
    expect(Date.now() - started).toBeLessThan(LIMIT_BOUND_MS);
    expectHealthy();
  }, 120_000);

  it('answers 5 MB of hostile XML markup (300,000 attributes, 400,000 siblings) with a 4xx while /health answers', async () => {
    health.slowest = 0;
    const attributes = `<?xml version="1.0"?><Invoice><a ${Array.from({ length: 300_000 }, (_, i) => `x${i}="1"`).join(' ')}/></Invoice>`;
    const siblings = `<?xml version="1.0"?><Invoice xmlns:cbc="urn:cbc">${'<cbc:Note>x</cbc:Note>'.repeat(400_000)}</Invoice>`;
    for (const xml of [attributes, siblings, attributes.slice(0, -20)]) {
      const { status } = await post(xml, 'application/xml');
      expect(status).toBeGreaterThanOrEqual(400);
    }
    expectHealthy();
  });

  it('refuses a 50 MB body with 413 FF-BODY-SIZE, and a gzip that inflates to 1 GB the same way', async () => {
    const big = await post(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(big.status).toBe(413);
    expect(big.json.errors[0].rule).toBe('FF-BODY-SIZE');
    // 1 GB of spaces in about 1 MB of gzip (128 gzip members of 8 MB each; a gzip stream may hold several, RFC 1952
    // 2.2); the limit counts inflated bytes, so reading stops at BODY_LIMIT.
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 128 }, () => member));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    for (const path of ['/v1/invoices', '/v1/agreements']) {
      const started = Date.now();
      const { status, json } = await answered(path, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb as unknown as BodyInit });
      expect(status, path).toBe(413);
      expect(json.errors[0].rule).toBe('FF-BODY-SIZE');
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    const broken = await post(Buffer.from('not gzip at all'), 'application/json', { 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].rule).toBe('FF-CONTENT-ENCODING');
    const unknown = await post(Buffer.from('{}'), 'application/json', { 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
    expectHealthy();
  }, 120_000);
});
