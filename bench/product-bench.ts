/**
 * `npm run bench` (issue 12): the product end to end against the least a durable invoice can cost the engine.
 *
 * Starts the product as `npm start` does (embedded PostgreSQL unless DATABASE_URL, the Temporal dev server, its own
 * free ports and a fresh data folder), then on that same server:
 *   1. the minimal durable unit: one workflow with one no-op activity, on a task queue and worker of its own;
 *   2. a no-op of the product's shape (bench/baseline-workflows.ts);
 *   3. N invoices through the HTTP API: 40 % businesses on Peppol, 30 % consumers with eFaktura, 30 % businesses
 *      by e-mail — closed loop with --concurrency in flight, or open loop at --rate invoices/s;
 *   4. the minimal durable unit again: the ratio is invoices/s against both runs' rate together.
 * Reports sustained invoices/s to the final state, p50/p95/p99 from POST to the final state (the final time is the
 * archive's, not a poller's), CPU ms per invoice by process (engine, this Node process, PostgreSQL), and writes JSON
 * and an SVG chart to bench/results/. With --json the last line is one JSON object.
 *
 * With --workers k the product runs split, as in docker-compose.yml: this process is the API (FAKTURAFLYT_ROLE=api)
 * and k worker processes (bench/bench-worker.ts) run the workflows; their CPU is reported as `workers`.
 *
 *   npm run bench -- [--n 200] [--concurrency 8] [--rate <invoices/s>] [--workers <k>] [--json]
 */
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../main/config.js';
import { startProduct, type Product } from '../main/product.js';
import { readClusterState } from '../cluster/state.js';
import * as baselineActivities from './baseline-activities.js';
import { PRODUCT_SHAPE, PRODUCT_SHAPE_ACTIVITIES } from './baseline-workflows.js';
import { selfCpuMs, treeCpuMs } from './process-cpu.js';
import { barChartSvg } from './svg-chart.js';
import { freePort } from '../test/support/free-port.js';

const FINAL = ['delivered', 'failed', 'rejected', 'cancelled'];
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    rate: { type: 'string' },
    workers: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const n = positive('--n', values.n!);
const concurrency = positive('--concurrency', values.concurrency!);
const rate = values.rate === undefined ? undefined : positive('--rate', values.rate);
// --warmup k: invoices sent before the measured ones, closed loop, so that the figures are the sustained ones. V8
// optimises a function only once it has run enough, and most of an invoice's code runs once per invoice (the API's
// handler, each step, the PDF's drawing, each compiled rule of the official layers on its own threads): measured with
// `node --trace-opt`, its optimising compiler still spent ~17 ms per invoice on background threads in the 300 invoices
// after a warm-up of 10, ~11 after 100, ~7 after 400 and ~3.4 after 1200. The minimal unit, a few functions, is warm
// after its own 200.
const warmup = values.warmup === '0' ? 0 : positive('--warmup', values.warmup!);
// --workers k: the product runs as an API process (this one) and k worker processes, as the containers of
// docker-compose.yml do; 0 (the default): one process with both, as `npm start`.
const workerCount = values.workers === '0' ? 0 : positive('--workers', values.workers!);
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

function positive(flag: string, value: string): number {
  const x = Number(value);
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`${flag} must be a positive number, not ${value}`);
  return x;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `count` jobs with at most `width` in flight; resolves when all are done. */
async function closedLoop(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

// --- invoices as an ERP sends them -------------------------------------------------------------------------------
const SUPPLIER = { name: 'Fjordvarme AS', taxId: '123456785', foretaksregisteret: true, address: { street: 'Strandgaten 1', postalCode: '5013', city: 'Bergen', country: 'NO' } };
const LINES = [
  { description: 'Fjernvarme', quantity: 1200, unitPrice: 1.25, taxCode: 'S', vatRate: 25, unitCode: 'KWH' },
  { description: 'Fastledd', quantity: 1, unitPrice: 199, taxCode: 'S', vatRate: 25 },
];
type Kind = 'peppol' | 'efaktura' | 'email';
const kindOf = (i: number): Kind => (i % 10 < 4 ? 'peppol' : i % 10 < 7 ? 'efaktura' : 'email');

function invoice(run: string, i: number) {
  const base = { documentType: 'invoice', invoiceNumber: `BENCH-${run}-${i}`, issueDate: '2026-11-02', dueDate: '2026-11-30', currency: 'NOK', supplier: SUPPLIER, payment: { account: '86011117947', kid: '123450006788' }, lines: LINES };
  const address = { street: 'Kaigaten 2', postalCode: '5015', city: 'Bergen', country: 'NO' };
  switch (kindOf(i)) {
    case 'peppol': // the OpenPEPPOL NO example buyer, registered in the local registry
      return { ...base, buyerReference: 'PO-4711', buyer: { name: 'Bergen Bygg AS', taxId: '987654325', address } };
    case 'efaktura':
      return { ...base, buyerReference: 'K', buyer: { kind: 'consumer', name: 'Kari Nordmann', customerNumber: consumer(run, i), email: 'kari@example.no', address } };
    case 'email': // a business outside Peppol
      return { ...base, buyerReference: 'PO-4712', buyer: { name: 'Sandnes Snekkeri AS', taxId: '988077917', email: 'faktura@snekkeri.example', address } };
  }
}
const consumer = (run: string, i: number) => `BENCH-${run}-K${i}`;

// --- the run --------------------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const run = Date.now().toString(36);
  const dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-bench-'));
  let databaseUrl = process.env.DATABASE_URL || undefined;
  let freshDatabase: string | undefined;
  if (databaseUrl) {
    // A fresh database on the given server, like the fresh data folder of the embedded one.
    freshDatabase = `fakturaflyt_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${freshDatabase}`);
    await admin.query(`CREATE DATABASE ${freshDatabase}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${freshDatabase}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { EMBEDDED_PG_PORT: String(await freePort()) }),
    // TEMPORAL_ADDRESS: on that engine (e.g. the cluster of `npm run cluster:start`), on a task queue of this run's own;
    // else a dev server of the benchmark's own.
    ...(process.env.TEMPORAL_ADDRESS ? { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS } : { TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: '0' }),
    RULES_DIR: here('../rules'),
    ...(workerCount ? { FAKTURAFLYT_ROLE: 'api' } : {}),
  });
  say(`[bench] starting the product (data in ${dataDir}${config.temporalAddress ? `, engine ${config.temporalAddress}` : ''})`);
  const taskQueue = config.temporalAddress ? `invoices-bench-${run}` : undefined;
  const product = await startProduct(config, { log: () => undefined, taskQueue });
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < workerCount; i++) workers.push(await startWorkerProcess(product, dataDir, taskQueue));
    if (workerCount) say(`[bench] ${workerCount} worker process(es) polling`);
    const result = await measure(product, run, workers);
    const out = here('./results/');
    await mkdir(out, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(join(out, `bench-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      join(out, `bench-${stamp}.svg`),
      barChartSvg({
        title: `fakturaflyt: ${result.n} invoices, ${result.mode}, ${new Date().toISOString().slice(0, 16)}`,
        throughput: [
          { label: 'invoices (end to end)', perSecond: result.invoicesPerSecond },
          { label: 'minimal durable unit', perSecond: result.minimalBaselinePerSecond },
          { label: `no-op of the product's shape`, perSecond: result.shapeBaselinePerSecond },
        ],
        latencyMs: [
          { label: 'p50', ms: result.p50Ms },
          { label: 'p95', ms: result.p95Ms },
          { label: 'p99', ms: result.p99Ms },
        ],
      }),
    );
    say('');
    say(`invoices/s (to final state)     ${result.invoicesPerSecond.toFixed(2)}   (${result.final.delivered} delivered, ${result.final.other} other final)`);
    say(`minimal durable unit /s         ${result.minimalBaselinePerSecond.toFixed(2)}   (both runs: ${result.minimalBaselineRuns.before.toFixed(2)} before and ${result.minimalBaselineRuns.after.toFixed(2)} after the invoices)`);
    say(`no-op of the product's shape /s ${result.shapeBaselinePerSecond.toFixed(2)}   (${PRODUCT_SHAPE})`);
    say(`ratio (invoices ÷ minimal)      ${result.ratio.toFixed(2)}`);
    say(`POST → final p50/p95/p99        ${result.p50Ms.toFixed(0)} / ${result.p95Ms.toFixed(0)} / ${result.p99Ms.toFixed(0)} ms`);
    const { engine, node, postgres, workers: workerCpu } = result.cpuMsPerInvoiceByProcess;
    say(`CPU ms per invoice              ${result.cpuMsPerInvoice.toFixed(0)} (engine ${fmt(engine)}, node ${fmt(node)}${workerCount ? `, worker processes ${fmt(workerCpu)}` : ''}, postgres ${fmt(postgres)})`);
    const unit = (x: { engine: number | null; node: number }) => `${((x.engine ?? 0) + x.node).toFixed(0)} (engine ${fmt(x.engine)}, node ${fmt(x.node)})`;
    say(`CPU ms per minimal unit         ${unit(result.cpuMsPerMinimalUnit)}; per no-op of the shape ${unit(result.cpuMsPerShapeUnit)}`);
    say(`written: bench/results/bench-${stamp}.json and .svg`);
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await Promise.all(workers.map((w) => new Promise((done) => (w.exitCode !== null ? done(null) : (w.once('exit', done), w.kill('SIGTERM'))))));
    await product.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (freshDatabase && process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${freshDatabase}`).catch(() => undefined);
      await admin.end();
    }
  }
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(0));

/** A worker process of the same installation: its archive, its engine, its data folder (payload keys), its task queue. */
async function startWorkerProcess(product: Product, dataDir: string, taskQueue: string | undefined): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('./bench-worker.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: product.databaseUrl, TEMPORAL_ADDRESS: product.temporalAddress, RULES_DIR: here('../rules'), BENCH_TASK_QUEUE: taskQueue ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, failed) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) ready();
    });
    child.once('exit', (code) => failed(new Error(`a worker process exited with ${code} before it was ready`)));
  });
  child.stdout!.resume();
  return child;
}

async function measure(product: Product, run: string, workerProcesses: ChildProcess[]) {
  const key = product.adminKey;
  if (!key) throw new Error('the fresh archive made no admin key');
  // The API is called by node:http with kept-alive connections: fetch (undici) cost ~0.5 ms more CPU per request on
  // this machine, work of the load generator that the product's figures would carry.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 8) });
  const api = (method: 'POST' | 'PUT', path: string, body: string) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const req = http.request(product.url + path, { method, agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(body);
    });

  // Baselines: same engine, own task queue and worker.
  say('[bench] baselines: the minimal durable unit and a no-op of the product\'s shape');
  const bundle = await bundleWorkflowCode({ workflowsPath: here('./baseline-workflows.ts'), logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: product.temporalAddress });
  const worker = await Worker.create({ connection, taskQueue: `bench-baseline-${run}`, workflowBundle: bundle, activities: baselineActivities });
  const running = worker.run();
  // The baseline worker stays (idle, polling) through the invoices, since the minimal unit runs again after them; it is
  // stopped before the product is, also when the run fails.
  let baselineWorkerStopped = false;
  const stopBaselineWorker = async () => {
    if (baselineWorkerStopped) return;
    baselineWorkerStopped = true;
    worker.shutdown();
    await running;
    await connection.close();
  };
  try {
    const client: Client = product.client;
    // The engine's process: the dev server this run started, or the server `npm run cluster:start` noted (same address).
    const cluster = await readClusterState(resolve(process.env.DATA_DIR || '.data', 'cluster'));
    const enginePid = product.processes.engine ?? (cluster?.address === product.temporalAddress ? cluster.serverPid : undefined);
    // A baseline's own CPU per unit (engine and this process), so the invoice's cost reads against the least one costs.
    const baseline = async (workflow: 'minimalDurableUnit' | 'productShape', count: number, pass: string) => {
      const started = performance.now();
      const before = { engine: treeCpuMs(enginePid), node: selfCpuMs() };
      await closedLoop(count, concurrency, async (i) => {
        await client.workflow.execute(workflow, { taskQueue: `bench-baseline-${run}`, workflowId: `bench-${run}-${workflow}-${pass}-${i}` });
      });
      const perSecond = count / ((performance.now() - started) / 1000);
      const engineMs = before.engine === undefined ? null : (treeCpuMs(enginePid)! - before.engine) / count;
      return { perSecond, cpuMsPerUnit: { engine: engineMs, node: (selfCpuMs() - before.node) / count } };
    };
    await baseline('minimalDurableUnit', 200, 'warm-up');
    const minimal = await baseline('minimalDurableUnit', n, 'before');
    const shape = await baseline('productShape', n, 'before');

    // The consumers who take eFaktura (the sandbox provider's "Ja takk til alle").
    for (let i = 0; i < n + warmup; i++) {
      if (kindOf(i) !== 'efaktura') continue;
      const res = await api('PUT', `/v1/sandbox/efaktura/consumers/${encodeURIComponent(consumer(run, i))}`, JSON.stringify({ consent: true }));
      if (res.status >= 300) throw new Error(`sandbox consumer: ${res.status} ${res.body}`);
    }

    // An invoice's slot is free again when its workflow ends: the engine says so at once, as it does to the baselines'
    // `execute` (a poll of the archive every 50 ms held each slot ~25 ms longer than the baselines'). The times reported
    // are still the archive's (below); the workflow ends only after the archive has the final status.
    const submit = async (i: number, posted: Map<string, number>) => {
      const at = Date.now();
      const res = await api('POST', '/v1/invoices', JSON.stringify(invoice(run, i)));
      const body = JSON.parse(res.body) as { id?: string; message?: string; errors?: unknown };
      if (res.status !== 202 || !body.id) throw new Error(`invoice ${i}: ${res.status} ${res.body.slice(0, 500)}`);
      posted.set(body.id, at);
      await client.workflow.getHandle(body.id).result().catch(() => undefined); // a failed invoice is final too
    };

    say(`[bench] warming up with ${warmup} invoices`);
    const warm = new Map<string, number>();
    await closedLoop(warmup, concurrency, (i) => submit(n + i, warm));

    say(`[bench] ${n} invoices, ${rate ? `open loop at ${rate}/s` : `closed loop, ${concurrency} in flight`}`);
    const posted = new Map<string, number>();
    const workersCpu = () => (workerProcesses.length ? workerProcesses.reduce((sum, w) => sum + (treeCpuMs(w.pid) ?? 0), 0) : undefined);
    const cpuBefore = { engine: treeCpuMs(enginePid), postgres: treeCpuMs(product.processes.database), node: selfCpuMs(), workers: workersCpu() };
    if (rate) {
      const start = Date.now();
      const all: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        const due = start + (i * 1000) / rate;
        const delay = due - Date.now();
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay)); // the open loop's schedule, not a wait for a condition
        all.push(submit(i, posted));
      }
      await Promise.all(all);
    } else {
      await closedLoop(n, concurrency, (i) => submit(i, posted));
    }
    const cpuAfter = { engine: treeCpuMs(enginePid), postgres: treeCpuMs(product.processes.database), node: selfCpuMs(), workers: workersCpu() };

    // This machine's speed drifts within minutes (the minimal unit alone cost 28 to 42 ms of CPU in one evening), so the
    // minimal unit runs again after the invoices, and the ratio is taken against both runs together.
    say('[bench] the minimal durable unit again, after the invoices');
    const minimalAfter = await baseline('minimalDurableUnit', n, 'after');
    await stopBaselineWorker();
    // Both runs together: n units each, so the combined rate is the harmonic mean of the two rates.
    const minimalBaselinePerSecond = 2 / (1 / minimal.perSecond + 1 / minimalAfter.perSecond);
    const shapeBaselinePerSecond = shape.perSecond;

    // The final time is the archive's: the event that closed each invoice's timeline.
    const { rows } = await product.db.query<{ invoice_id: string; at: Date; type: string }>(
      `SELECT DISTINCT ON (invoice_id) invoice_id, at, type FROM invoice_events WHERE invoice_id = ANY($1) AND type = ANY($2) ORDER BY invoice_id, id`,
      [[...posted.keys()], FINAL],
    );
    const latencies = rows.map((r) => new Date(r.at).getTime() - posted.get(r.invoice_id)!).sort((a, b) => a - b);
    const firstPost = Math.min(...posted.values());
    const lastFinal = Math.max(...rows.map((r) => new Date(r.at).getTime()));
    const invoicesPerSecond = rows.length / ((lastFinal - firstPost) / 1000);
    const per = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? null : (after - before) / n);
    const byProcess = {
      engine: per(cpuBefore.engine, cpuAfter.engine),
      node: per(cpuBefore.node, cpuAfter.node),
      ...(workerProcesses.length ? { workers: per(cpuBefore.workers, cpuAfter.workers) } : {}),
      postgres: per(cpuBefore.postgres, cpuAfter.postgres),
    };
    return {
      n,
      mode: rate ? `open loop ${rate}/s` : `closed loop ${concurrency}`,
      invoicesPerSecond,
      minimalBaselinePerSecond,
      minimalBaselineRuns: { before: minimal.perSecond, after: minimalAfter.perSecond },
      shapeBaselinePerSecond,
      shapeActivities: PRODUCT_SHAPE_ACTIVITIES,
      shape: PRODUCT_SHAPE,
      ratio: invoicesPerSecond / minimalBaselinePerSecond,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
      cpuMsPerInvoice: Object.values(byProcess).reduce<number>((sum, x) => sum + (x ?? 0), 0),
      workerProcesses: workerProcesses.length,
      cpuMsPerInvoiceByProcess: byProcess,
      // Engine and this process (the baselines touch no PostgreSQL; their worker runs in this process).
      cpuMsPerMinimalUnit: minimal.cpuMsPerUnit,
      cpuMsPerShapeUnit: shape.cpuMsPerUnit,
      final: { delivered: rows.filter((r) => r.type === 'delivered').length, other: rows.filter((r) => r.type !== 'delivered').length },
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    };
  } finally {
    agent.destroy();
    await stopBaselineWorker();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[bench] failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
