/**
 * `npm run chaos` (issue 9): faults as a repeatable command. Starts the product as split processes — PostgreSQL, the
 * Temporal dev server, an API process and a worker process (FAKTURAFLYT_ROLE=api / worker, as in docker-compose) —
 * keeps invoices flowing through the HTTP API, and meanwhile kills the worker and the API with SIGKILL at random
 * moments, restarts the engine, stops PostgreSQL for a while and sends concurrent duplicates. Then it waits for every
 * accepted invoice to reach a final state and counts at the receiving side: the outbox (Peppol AP and eFaktura stand-
 * ins, which deduplicate), the deliveries recorded per invoice, and a real SMTP server on loopback (e-mail is
 * at-least-once: its duplicates are counted by Message-ID and reported as a rate).
 *
 *   npm run chaos -- [--n 200] [--concurrency 4] [--seed 1] [--json]
 *
 * Exit 1 when an accepted invoice did not reach a final state or a deduplicating channel delivered twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../archive/embedded-postgres.js';
import { connect } from '../archive/database.js';
import { startTemporalDevServer, type DevServer } from '../main/temporal-dev-server.js';
import { startSmtpSink } from '../test/support/smtp-sink.js';
import { freePort } from '../test/support/free-port.js';

const FINAL = ['delivered', 'failed', 'rejected', 'cancelled'];
const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { n: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '4' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } } });
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`[chaos] ${line}\n`);

// A small seeded generator: the same seed gives the same sequence of faults and invoices.
let state = Number(values.seed) >>> 0 || 1;
const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const between = (a: number, b: number) => a + random() * (b - a);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A product process kept running like a container with a restart policy; `kill()` is the fault. */
class Supervised {
  child?: ChildProcess;
  restarts = 0;
  stopping = false;
  constructor(readonly name: string, private readonly env: NodeJS.ProcessEnv) {}
  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/start.ts')], { cwd: root, env: { ...process.env, ...this.env }, stdio: ['ignore', process.env.CHAOS_DEBUG ? 'inherit' : 'ignore', process.env.CHAOS_DEBUG ? 'inherit' : 'ignore'] });
    this.child = child;
    child.on('exit', () => {
      if (this.stopping || this.child !== child) return;
      this.restarts++;
      setTimeout(() => !this.stopping && this.start(), 500);
    });
  }
  /** SIGKILL: no shutdown, no draining; the restart policy brings it back. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}

async function main(): Promise<number> {
  const faults: Record<string, number> = { 'worker killed': 0, 'worker killed just after an SMTP acceptance': 0, 'api killed': 0, 'engine restarted': 0, 'database stopped': 0, 'duplicates sent': 0 };
  const dir = await mkdtemp(join(tmpdir(), 'fakturaflyt-chaos-'));
  const [pgPort, enginePort, apiPort] = [await freePort(), await freePort(), await freePort()];
  // The e-mail fault: now and then the worker is killed 0–30 ms after the SMTP server accepted a message, the window
  // in which it has sent the mail but not yet recorded it; without a record its retry sends again. Only when that
  // session is the only one open: a kill that also cuts other messages off between their final "." and the server's
  // answer measures SMTP's own at-least-once window, which the random kills above cover.
  let worker: Supervised | undefined;
  let lastAcceptanceKill = 0;
  const killedAfter: string[] = []; // the Message-IDs whose acceptance was followed by a kill
  const acceptedAt = new Map<string, number>(); // Message-ID → when the server answered 250 (the last time)
  const smtp = await startSmtpSink({
    onAccepted: (mail, openSessions) => {
      acceptedAt.set(messageIdOf(mail.raw), Date.now());
      if (openSessions !== 1 || random() >= 0.5 || Date.now() - lastAcceptanceKill < 1500 || !worker) return;
      lastAcceptanceKill = Date.now();
      faults['worker killed just after an SMTP acceptance']++;
      killedAfter.push(messageIdOf(mail.raw));
      setTimeout(() => worker?.kill(), between(0, 30));
    },
  });
  let database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: join(dir, 'db'), port: pgPort });
  const startEngine = () => startTemporalDevServer({ port: enginePort, dbFile: join(dir, 'temporal.sqlite'), namespace: 'default' });
  let engine: DevServer = await startEngine();
  const env = {
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: engine.address,
    PORT: String(apiPort),
    SMTP_URL: smtp.url,
    AGREEMENT_WAIT: 'PT3S',
    LINK_SECRET: 'chaos-link-secret-of-at-least-thirty-two-bytes',
  };
  const api = new Supervised('api', { ...env, FAKTURAFLYT_ROLE: 'api' });
  worker = new Supervised('worker', { ...env, FAKTURAFLYT_ROLE: 'worker' });
  const base = `http://127.0.0.1:${apiPort}`;
  const owner = connect(database.url, 2);
  try {
    api.start();
    worker.start();
    const key = await until('the API and its first admin key', async () => {
      const health = await fetch(`${base}/health`).catch(() => undefined);
      if (health?.status !== 200) return undefined;
      return (await readFile(join(env.DATA_DIR, 'api-key'), 'utf8').catch(() => '')).trim() || undefined;
    }, 180_000);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(base + path, { method: path.startsWith('/v1/sandbox') ? 'PUT' : 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const run = Date.now().toString(36);
    const accepted = new Set<string>();
    let submitted = 0;
    let done = false;

    // The faults, while invoices flow.
    const chaos = (async () => {
      while (!done) {
        await pause(between(2000, 5000));
        if (done) break;
        const pick = random();
        if (pick < 0.4) {
          faults['worker killed']++;
          worker.kill();
        } else if (pick < 0.65) {
          faults['api killed']++;
          api.kill();
        } else if (pick < 0.85) {
          faults['engine restarted']++;
          await engine.stop();
          engine = await startEngine();
        } else {
          faults['database stopped']++;
          await database.stop();
          await pause(between(2000, 6000));
          database = await startEmbeddedPostgres({ dataDir: join(dir, 'db'), port: pgPort });
        }
      }
    })();

    // An ERP that retries until its invoice is accepted, and sometimes sends it twice at once.
    const submitOne = async (i: number) => {
      const body = invoice(run, i);
      if (body.buyer.kind === 'consumer' && i % 3 === 0) await retry(() => post(`/v1/sandbox/efaktura/consumers/${encodeURIComponent(body.buyer.customerNumber!)}`, { consent: true }));
      const send = () => retry(async () => {
        const res = await post('/v1/invoices', body, { 'Idempotency-Key': `chaos-${run}-${i}` });
        if (res.status !== 202 && res.status !== 200) throw new Error(`POST answered ${res.status}`);
        return (await res.json()) as { id: string };
      });
      const twice = i % 10 === 0;
      if (twice) faults['duplicates sent']++;
      const answers = await Promise.all(twice ? [send(), send()] : [send()]);
      for (const a of answers) accepted.add(a.id);
      submitted++;
    };
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) await submitOne(next++);
    }));
    say(`${submitted} invoices accepted (${accepted.size} ids); the faults go on until every one is final`);

    // The faults go on while the accepted invoices work their way to a final state; then they stop, everything is
    // up again, and the last ones finish.
    const ids = [...accepted];
    const finalCount = async () => {
      const { rows } = await owner.query<{ n: string }>('SELECT count(*) AS n FROM invoices WHERE id = ANY($1) AND status = ANY($2)', [ids, FINAL]);
      return Number(rows[0]!.n);
    };
    const allFinal = async () => ((await finalCount().catch(() => 0)) === ids.length ? true : undefined);
    await until('every accepted invoice in a final state, under faults', allFinal, 300_000).catch(() => undefined);
    done = true;
    await chaos;
    // A delivery cut off by many kills waits out its retry backoff (5 s doubling, channelOptions in the workflow).
    await until('every accepted invoice in a final state', allFinal, 900_000).catch(() => undefined);
    say(`faults: ${JSON.stringify(faults)}`);

    // The receiving side.
    const statuses = await owner.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM invoices WHERE id = ANY($1) GROUP BY status', [ids]);
    const twiceDelivered = await owner.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT invoice_id FROM deliveries WHERE invoice_id = ANY($1) AND status = 'delivered' GROUP BY invoice_id HAVING count(*) > 1) x`,
      [ids],
    );
    const outbox = await owner.query<{ channel: string; messages: string; keys: string }>(
      'SELECT channel, count(*) AS messages, count(DISTINCT message_key) AS keys FROM outbox WHERE invoice_id = ANY($1) GROUP BY channel',
      [ids],
    );
    // Sends the record saw cut off before the server's answer was noted: the upper bound of what may be duplicated.
    const resent = await owner.query<{ n: string }>(`SELECT count(*) AS n FROM mail_sends WHERE invoice_id = ANY($1) AND attempts > 1`, [ids]);
    const messageIds = smtp.received.map((m) => messageIdOf(m.raw));
    const smtpDuplicates = messageIds.length - new Set(messageIds).size;
    const copies = (id: string) => messageIds.filter((m) => m === id).length;
    const afterTargetedKill = { kills: killedAfter.length, sentAgain: killedAfter.filter((id) => copies(id) > 1).length };
    // The window in which a kill sends a mail twice, under this run's load: from the server's 250 to the send's record
    // (mail_sends), against the window without that record, to the archived delivery (milliseconds).
    const windows = await owner.query<{ mid: string; marked: number; archived: number | null }>(
      `SELECT m.details->>'messageId' AS mid, extract(epoch FROM m.sent_at) * 1000 AS marked,
              (SELECT extract(epoch FROM min(e.at)) * 1000 FROM invoice_events e WHERE e.invoice_id = m.invoice_id AND e.type = 'receipt' AND e.at >= m.sent_at) AS archived
       FROM mail_sends m WHERE m.invoice_id = ANY($1) AND m.state = 'sent'`,
      [ids],
    );
    const gaps = (pick: (r: { marked: number; archived: number | null }) => number | null) =>
      windows.rows.flatMap((r) => { const at = acceptedAt.get(r.mid); const v = pick(r); return at === undefined || v === null ? [] : [Number(v) - at]; }).sort((a, b) => a - b);
    const median = (xs: number[]) => (xs.length ? Math.round(xs[Math.floor(xs.length / 2)]!) : null);
    const p95 = (xs: number[]) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!) : null);
    const toMark = gaps((r) => r.marked);
    const toArchive = gaps((r) => r.archived);
    const window = { toRecordMs: { p50: median(toMark), p95: p95(toMark) }, toArchivedReceiptMs: { p50: median(toArchive), p95: p95(toArchive) } };
    const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, Number(r.n)]));
    const notFinal = ids.length - FINAL.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);
    const result = {
      invoices: ids.length,
      byStatus,
      notFinal,
      deliveredTwice: Number(twiceDelivered.rows[0]!.n),
      outbox: Object.fromEntries(outbox.rows.map((r) => [r.channel, { messages: Number(r.messages), duplicates: Number(r.messages) - Number(r.keys) }])),
      smtp: { messages: messageIds.length, duplicates: smtpDuplicates, duplicateRate: messageIds.length ? smtpDuplicates / messageIds.length : 0, sentAgainAfterInterruptedSend: Number(resent.rows[0]!.n), afterTargetedKill, window },
      faults,
      unexpectedRestarts: { api: api.restarts - faults['api killed'], worker: worker.restarts - faults['worker killed'] - faults['worker killed just after an SMTP acceptance'] },
    };
    say(`final: ${JSON.stringify(byStatus)}; not final: ${notFinal}`);
    say(`delivered twice (deliveries per invoice): ${result.deliveredTwice}; outbox: ${JSON.stringify(result.outbox)}`);
    say(`SMTP: ${result.smtp.messages} messages, ${smtpDuplicates} duplicates by Message-ID (${(result.smtp.duplicateRate * 100).toFixed(2)} %), ${result.smtp.sentAgainAfterInterruptedSend} sent again after a send cut off before its answer was recorded`);
    say(`SMTP: of ${afterTargetedKill.kills} messages whose acceptance was followed by a worker kill (0–30 ms), ${afterTargetedKill.sentAgain} were sent again`);
    say(`SMTP: from the server's 250 to the send's record p50 ${window.toRecordMs.p50} ms, p95 ${window.toRecordMs.p95} ms; to the archived receipt (the record before mail_sends) p50 ${window.toArchivedReceiptMs.p50} ms, p95 ${window.toArchivedReceiptMs.p95} ms`);
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    const outboxDuplicates = Object.values(result.outbox).reduce((sum, o) => sum + o.duplicates, 0);
    return notFinal === 0 && result.deliveredTwice === 0 && outboxDuplicates === 0 ? 0 : 1;
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    await owner.end().catch(() => undefined);
    await engine.stop().catch(() => undefined);
    await database.stop().catch(() => undefined);
    await smtp.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const messageIdOf = (raw: string) => /^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? '';

/** An ERP's retry: the product may be down for a moment (that is the point); try again with a short backoff. */
async function retry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await call();
      if (value instanceof Response && value.status >= 500) throw new Error(`answered ${value.status}`);
      return value;
    } catch (err) {
      if (attempt > 600) throw err;
      await pause(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)));
    }
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(200);
  }
}

const SUPPLIER = { name: 'Fjordvarme AS', taxId: '123456785', foretaksregisteret: true, address: { street: 'Strandgaten 1', postalCode: '5013', city: 'Bergen', country: 'NO' } };
const LINES = [{ description: 'Fjernvarme', quantity: 1200, unitPrice: 1.25, taxCode: 'S', vatRate: 25 }];

function invoice(run: string, i: number): { buyer: { kind?: string; customerNumber?: string; [field: string]: unknown } } & Record<string, unknown> {
  const address = { street: 'Kaigaten 2', postalCode: '5015', city: 'Bergen', country: 'NO' };
  const base = { documentType: 'invoice', invoiceNumber: `CHAOS-${run}-${i}`, issueDate: '2026-11-02', dueDate: '2026-11-30', currency: 'NOK', buyerReference: 'PO-1', supplier: SUPPLIER, payment: { account: '86011117947', kid: '123450006788' }, lines: LINES };
  switch (i % 4) {
    case 0: // Peppol, through the access point stand-in
      return { ...base, buyer: { name: 'Bergen Bygg AS', taxId: '987654325', address } };
    case 1: // e-mail to a business outside Peppol
      return { ...base, buyer: { name: 'Sandnes Snekkeri AS', taxId: '988077917', email: `faktura+${i}@snekkeri.example`, address } };
    default: // consumers: a third with eFaktura consent, the others asked for an agreement, then e-mail after the wait
      return { ...base, buyer: { kind: 'consumer', name: 'Kari Nordmann', customerNumber: `CHAOS-${run}-K${i}`, email: `kari+${i}@example.no`, address } };
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[chaos] failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
