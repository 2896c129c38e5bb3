/**
 * A running system over time: rules edited while it runs (a broken edit changes nothing; a valid one routes the
 * next invoice while a waiting invoice keeps its plan), and a restart that resumes an in-flight invoice.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../../main/config.js';
import { startProduct, type Product } from '../../main/product.js';
import { testEngine, type TestEngine } from '../support/engine.js';
import { productClient } from '../support/product-client.js';
import { businessInvoice, consumerInvoice, SUPPLIER_ORG, uniqueNumber } from '../support/invoices.js';
import { waitFor } from '../support/wait-for.js';

let dataDir: string;
let rulesDir: string;
let config: Config;
let product: Product | undefined;

/** Its own dev server, or the cluster of `npm run test:cluster` (test/support/engine.ts). */
let engine: TestEngine;
beforeAll(async () => {
  engine = await testEngine();
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-restart-'));
  rulesDir = join(dataDir, 'rules');
  await cp('rules', rulesDir, { recursive: true });
  config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    ...engine.env,
    TEMPORAL_UI_PORT: '0',
    RULES_DIR: rulesDir,
  });
});

afterAll(async () => {
  await product?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const start = () => startProduct(config, { persistentEngine: true, workflowBundle: { code: inject('workflowBundle') }, taskQueue: engine.taskQueue, log: () => undefined });
const { api, postJson: post, invoicePath, submit, invoiceIn: until } = productClient(() => product!.url, () => product!.db);
const get = async (path: string) => (await api(path)).json();

describe('a running system', () => {
  it('keeps routing on a broken rule edit, takes a valid one for the next invoice, and a waiting invoice keeps its plan; a restart resumes it', async () => {
    product = await start();
    const before = (await get('/v1/rules')).active.version;

    const customer = uniqueNumber('C');
    const waitingId = await submit(consumerInvoice(customer));
    const waiting = await until(waitingId, ['awaiting_agreement']);
    expect(waiting.rule).toEqual({ id: 'consumer-agreement', rulesVersion: before });

    // A broken edit: an unknown operator. The running version stays, and the rejection is visible.
    const file = join(rulesDir, 'routing.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('{"===": [{"var": "customer.kind"}, "public"]}', '{"equals": [{"var": "customer.kind"}, "public"]}'));
    const rejected = await waitFor('the rejected candidate', async () => (await get('/v1/rules')).rejected ?? undefined);
    expect(rejected.activeVersion).toBe(before);
    expect(rejected.errors.some((e: { path: string }) => /routing\.yaml:\d+:\d+/.test(e.path))).toBe(true);
    expect((await get('/v1/rules')).active.version).toBe(before);
    // The rejection is recorded by a listener that may still be running when the API already shows it.
    await waitFor('the rejection metric', async () => /fakturaflyt_rules_reloads_total\{outcome="rejected"\} [1-9]/.test(await (await api('/metrics')).text()));
    const unchanged = await submit({ ...businessInvoice(), tags: ['print-only'] });
    expect((await until(unchanged, ['delivered'])).rule).toEqual({ id: 'business-peppol', rulesVersion: before });

    // A valid edit (lint would refuse print for public or EHF-registered buyers): a new first rule for tagged consumer invoices. The next invoice is routed by it.
    const tagged = original.replace(
      'rules:\n',
      'rules:\n  - id: tagged-print\n    description: Consumer invoices the ERP tags print-only go on paper\n    when: {"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"in": ["print-only", {"var": "tags"}]}]}\n    then: [print]\n\n',
    );
    await writeFile(file, tagged);
    const after = await waitFor('the new version', async () => {
      const rules = await get('/v1/rules');
      return rules.active.version !== before && !rules.rejected ? rules.active.version : undefined;
    });
    const next = await submit({ ...consumerInvoice(uniqueNumber('C')), tags: ['print-only'] });
    const routed = await until(next, ['delivered']);
    expect(routed.rule).toEqual({ id: 'tagged-print', rulesVersion: after });
    expect(routed.channel).toBe('print');
    const versions = (await get('/v1/rules')).versions;
    expect(versions.find((v: { version: string }) => v.version === after).diff).toMatch(/\+  - id: tagged-print/);

    // The waiting invoice kept the plan it started with.
    expect((await get(invoicePath(waitingId))).rule).toEqual({ id: 'consumer-agreement', rulesVersion: before });

    // Restart: stop everything, start again on the same data; the waiting invoice is still waiting and resumes.
    await product.stop();
    product = await start();
    expect((await get(invoicePath(waitingId))).status).toBe('awaiting_agreement');
    const decision = await post('/v1/agreements', { supplierOrg: SUPPLIER_ORG, customerNumber: customer, status: 'accepted' });
    expect((await decision.json()).invoicesReached).toEqual([waitingId]);
    const delivered = await until(waitingId, ['delivered']);
    expect(delivered.channel).toBe('efaktura');
    // One delivery; the agreement request's SMS receipt sits beside it as `requested`.
    expect(delivered.deliveries.map((d: { status: string; channel: string }) => `${d.status}:${d.channel}`)).toEqual(['requested:efaktura', 'delivered:efaktura']);
  });
});
