/**
 * The whole product in one process, on its embedded defaults or on configured services: the archive
 * (PostgreSQL), the engine (Temporal), the routing rules (hot-reloaded), the worker and the HTTP API.
 * `npm start` and the end-to-end tests both start it through here.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createActivities } from '../activities/index.js';
import { createApp } from '../api/app.js';
import { resumeUnstarted } from '../api/lifecycle-start.js';
import { APP_ROLE, connect, type Db } from '../archive/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../archive/embedded-postgres.js';
import { migrate } from '../archive/migrate.js';
import { configuredEfakturaProvider } from '../channels/efaktura/configured-provider.js';
import { EfakturaChannel } from '../channels/efaktura/efaktura-channel.js';
import { EmailChannel } from '../channels/email.js';
import { LocalPeppolChannel } from '../channels/peppol-local.js';
import { startMlsPoller } from '../channels/peppol/mls-poller.js';
import { OutboxAccessPoint } from '../channels/peppol/outbox-access-point.js';
import { PeppolChannel, type PeppolChannelOptions } from '../channels/peppol/peppol-channel.js';
import { PhossAccessPoint } from '../channels/peppol/phoss-ap.js';
import { createPeppolLookup } from '../channels/peppol/create-lookup.js';
import type { SmpClientOptions } from '../channels/peppol/smp-client.js';
import { AgreementRequester } from '../channels/agreement-request/requester.js';
import { PrintChannel } from '../channels/print/print-channel.js';
import { printProvider } from '../channels/print/select.js';
import { startPrintStatusRefresh } from '../channels/print/status-refresh.js';
import { smsGateway } from '../channels/sms/select.js';
import { createInvoiceWorker } from '../worker/worker.js';
import { TASK_QUEUE } from '../workflows/definitions.js';
import { registerSearchAttributes } from '../workflows/register-search-attributes.js';
import type { Config } from './config.js';
import { startRoutingRuntime, type RoutingRuntime } from './routing-runtime.js';
import { startTemporalDevServer, type DevServer } from './temporal-dev-server.js';
import { officialValidator } from './official-validator.js';
import { firstAdminKey } from './first-admin-key.js';
import { loadLinkSecret, SignedLinks } from '../public-pages/signed-link.js';
import type { ApiDeps } from '../api/deps.js';
import { StartupWork, type BackoffOptions } from './startup-work.js';
import { startPdfRenderPool } from '../documents/pdf-render-pool.js';
import { productDataConverter } from '../engine/data-converter.js';
import { EncryptionCodec } from '../engine/payload-codec.js';
import { loadPayloadKeys } from '../engine/payload-keys.js';
import { startCodecServer, type CodecServer } from '../engine/codec-server.js';

export interface Product {
  url: string;
  db: Db;
  client: Client;
  temporalAddress: string;
  temporalUiUrl?: string;
  /** The UI's codec endpoint, when this process started the dev server with its UI. */
  codecEndpoint?: string;
  routing: RoutingRuntime;
  /** The admin key of DATA_DIR/api-key, when this installation made it. */
  adminKey?: string;
  /** The embedded servers' processes, when this process started them (the benchmark reads their CPU time). */
  processes: { engine?: number; database?: number };
  /** The archive's URL as DATABASE_URL would name it (the embedded server's when none was given): for processes of the same installation. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface ProductOptions {
  /** Keep the Temporal dev server's state in DATA_DIR (npm start) or in memory (tests). */
  persistentEngine?: boolean;
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  log?: (message: string, meta?: Record<string, unknown>) => void;
  /** Called when a part fails on its own after start (the worker); the caller decides to stop. */
  onFatal?: (err: Error) => void;
  /** Called once the API listens, which is before the start-up work that needs the archive is done. */
  onListening?: (url: string) => void;
  /** Backoff of the start-up work's retries (main/startup-work.ts); tests shorten it. */
  startupBackoff?: BackoffOptions;
  /** Peppol: polling the access point in the deliver activity, and how often the MLS poller asks (tests make them fast). */
  /** `smp`: SMP client options for tests in this process (an extra TLS CA; a real run uses NODE_EXTRA_CA_CERTS). */
  peppol?: { poll?: PeppolChannelOptions['poll']; mlsPollEveryMs?: number; smp?: SmpClientOptions };
}

export async function startProduct(config: Config, options: ProductOptions = {}): Promise<Product> {
  const log = options.log ?? ((message: string, meta?: Record<string, unknown>) => console.log(`[fakturaflyt] ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`));
  const stack: (() => Promise<void>)[] = [];
  const startup = new StartupWork(log, options.startupBackoff);
  const stop = async () => {
    startup.stop();
    for (const step of stack.reverse()) await step().catch((err) => log('stop step failed', { error: (err as Error).message }));
  };
  try {
    const dataDir = resolve(config.dataDir);

    // Archive
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort });
      stack.push(() => embedded!.stop());
      databaseUrl = embedded.url;
      if (embedded.stoppedLeftover) log('archive: stopped the embedded PostgreSQL an earlier run left running', { pid: embedded.stoppedLeftover });
      log('archive: embedded PostgreSQL', { dataDir: embedded!.databaseDir, port: config.embeddedPostgresPort });
    } else {
      log('archive: PostgreSQL from DATABASE_URL');
    }
    // Migrations as the owner of DATABASE_URL; the product's own work as the role without superuser rights.
    const ownerUrl = databaseUrl;
    const db = connect(databaseUrl, 10, { role: APP_ROLE });
    stack.push(() => db.end());
    // The migrations (as the owner of DATABASE_URL) run once the API listens (below): a database that is not
    // reachable yet is waited for, not fatal.

    // Engine. Every payload, failure messages included, goes through the codec (AES-256-GCM, engine/payload-codec.ts)
    // on its way to the engine (engine/data-converter.ts).
    const payloadCodec = new EncryptionCodec(await loadPayloadKeys(config.payloadKeys, dataDir));
    const dataConverter = productDataConverter(payloadCodec);
    let temporalAddress = config.temporalAddress;
    let devServer: DevServer | undefined;
    let codecServer: CodecServer | undefined;
    if (!temporalAddress) {
      if (config.temporalUiPort) {
        const uiOrigins = [`http://127.0.0.1:${config.temporalUiPort}`, `http://localhost:${config.temporalUiPort}`];
        codecServer = await startCodecServer({ codec: payloadCodec, port: config.temporalCodecPort, allowedOrigins: uiOrigins });
        stack.push(() => codecServer!.stop());
      }
      devServer = await startTemporalDevServer({
        codecEndpoint: codecServer?.url,
        port: config.temporalPort,
        uiPort: config.temporalUiPort || undefined,
        dbFile: options.persistentEngine ? join(dataDir, 'temporal.sqlite') : undefined,
        namespace: config.temporalNamespace,
      });
      stack.push(() => devServer!.stop());
      temporalAddress = devServer.address;
      if (devServer.stoppedLeftover) log('engine: stopped the Temporal dev server an earlier run left running', { pid: devServer.stoppedLeftover });
      log('engine: Temporal dev server', { address: temporalAddress, ui: devServer.uiUrl, codecEndpoint: codecServer?.url });
    }
    // A worker's process talks to the engine over the SDK's native connection, its client too: with the worker beside
    // the API (role all), an invoice's first workflow task comes back in the answer to its start (eager workflow
    // start), not through a poll — fewer engine round trips (issue 12). The API alone keeps the plain gRPC client.
    const nativeConnection = config.role === 'api' ? undefined : await startup.run('engine connection', () => NativeConnection.connect({ address: temporalAddress }));
    const connection = nativeConnection ?? (await startup.run('engine connection', () => Connection.connect({ address: temporalAddress })));
    stack.push(() => connection.close());
    await startup.run('engine search attributes', () => registerSearchAttributes(connection, config.temporalNamespace));
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });

    // Channels
    // The receiver lookup (PEPPOL_LOOKUP: the local registry, or SML/SMP behind the PostgreSQL cache); the registry
    // table stays fillable through the sandbox API while PEPPOL_LOOKUP=sandbox. Delivery goes through the access point.
    const peppolLookups = createPeppolLookup(config.peppol, db, { smp: options.peppol?.smp });
    log('peppol: receiver lookup', { lookup: config.peppol.lookup, ...(config.peppol.lookup === 'sml' ? { zone: config.peppol.smlZone } : {}) });
    const peppolRegistry = new LocalPeppolChannel(db, dataDir, peppolLookups.lookup);
    if (config.peppol.accessPoint === 'phoss-ap' && !config.peppol.accessPointUrl) throw new Error('PEPPOL_AP=phoss-ap needs PEPPOL_AP_URL');
    const accessPoint =
      config.peppol.accessPoint === 'phoss-ap'
        ? new PhossAccessPoint({ url: config.peppol.accessPointUrl!, token: config.peppol.accessPointToken })
        : new OutboxAccessPoint(db, dataDir);
    const peppol = new PeppolChannel({ db, lookup: peppolLookups.lookup, accessPoint, poll: options.peppol?.poll });
    const links = new SignedLinks(await loadLinkSecret(config.linkSecret, dataDir));
    const efakturaProvider = configuredEfakturaProvider(config.efaktura, db, dataDir);
    const efaktura = new EfakturaChannel({ provider: efakturaProvider.provider, db, links, publicBaseUrl: config.publicBaseUrl });
    const email = new EmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom, db, dataDir });
    stack.push(async () => email.close());
    const print = new PrintChannel(printProvider(config.print, db, dataDir));
    const agreementRequests = new AgreementRequester({
      db,
      sms: smsGateway(config.sms, db, dataDir),
      smsSender: config.sms.sender,
      mailer: email,
      links,
      publicBaseUrl: config.publicBaseUrl,
      scope: config.agreementScope,
    });
    const official = await officialValidator(log);
    stack.push(() => official.close());
    const taskQueue = options.taskQueue ?? TASK_QUEUE;

    // API: it listens before the archive is ready, so that /health can say what the product waits for.
    let url = '';
    const apiDeps: ApiDeps = { db, temporal: client, namespace: config.temporalNamespace, taskQueue, peppol: peppolRegistry, efakturaSandbox: efakturaProvider.sandbox, official, bodyLimit: config.bodyLimit, links, publicBaseUrl: config.publicBaseUrl, callbackSecret: config.callbackSecret, peppolLookup: peppolLookups.lookup, peppolRegistry: peppolLookups.registry, agreementScope: config.agreementScope, startup, log, payloadCodec, eagerStart: config.role === 'all' };
    if (config.role !== 'worker') {
      const app = createApp(apiDeps);
      const server: Server = await new Promise((resolveListen, reject) => {
        const s = app.listen(config.port, config.host, () => resolveListen(s)).once('error', reject);
      });
      stack.push(() => new Promise<void>((done) => server.close(() => done())));
      const address = server.address();
      url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;
      log('api: listening', { url });
      options.onListening?.(url);
    }

    // Archive schema: retried with backoff while the database is not reachable (the API answers 503 `starting`).
    const applied = await startup.run('archive migrations', async () => {
      const owner = connect(ownerUrl, 1);
      try {
        return await migrate(owner);
      } finally {
        await owner.end();
      }
    });
    if (applied.length) log('archive: migrations applied', { applied });
    const adminKey = config.role === 'worker' ? undefined : await startup.run('first admin key', () => firstAdminKey(db, dataDir, (line) => log(line)));
    startup.markArchiveReady();

    // Rules
    const routing = await startRoutingRuntime({ rulesDir: resolve(config.rulesDir), db, log });
    stack.push(() => routing.close());
    apiDeps.rules = routing.api;

    // Worker
    if (config.role !== 'api') {
      const pdfPool = startPdfRenderPool();
      stack.push(() => pdfPool.close());
      const worker: Worker = await createInvoiceWorker({
        connection: nativeConnection!,
        namespace: config.temporalNamespace,
        taskQueue,
        workflowBundle: options.workflowBundle,
        dataConverter,
        activities: createActivities({ db, channels: { peppol, efaktura, email, print }, route: (facts) => routing.decide(facts), official, agreementRequests, agreementWait: config.agreementWait, renderPdf: (invoice, totals) => pdfPool.render(invoice, totals) }),
      });
      const running = worker.run();
      // A worker that dies on its own (not by our shutdown) takes the product down in order, not by a crash.
      running.catch((err) => {
        log('worker: stopped with an error', { error: (err as Error).message });
        options.onFatal?.(err as Error);
      });
      stack.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      log('worker: running', { taskQueue });
      if (accessPoint.reportsMls) {
        const poller = startMlsPoller({ db, accessPoint, everyMs: options.peppol?.mlsPollEveryMs, log });
        stack.push(() => poller.stop());
      }
      log('peppol: access point', { accessPoint: accessPoint.name });
      const stopPrintRefresh = startPrintStatusRefresh(db, print.provider, log);
      stack.push(stopPrintRefresh);
    }

    // Invoices accepted but not started when the process last stopped: in the background, retried with backoff
    // (/health says `degraded` until it is done); a failure there no longer ends the process.
    if (config.role !== 'worker') void startup.background('resume unstarted invoices', () => resumeUnstarted(db, client, taskQueue, log, { eager: config.role === 'all' }));

    return { url, db, client, temporalAddress, temporalUiUrl: devServer?.uiUrl, codecEndpoint: codecServer?.url, routing, adminKey, processes: { engine: devServer?.pid, database: embedded?.pid }, databaseUrl: ownerUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
