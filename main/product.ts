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
import { connect, type Db } from '../archive/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../archive/embedded-postgres.js';
import { migrate } from '../archive/migrate.js';
import { SandboxEfakturaChannel } from '../channels/efaktura-sandbox.js';
import { EmailChannel } from '../channels/email.js';
import { LocalPeppolChannel } from '../channels/peppol-local.js';
import { startMlsPoller } from '../channels/peppol/mls-poller.js';
import { OutboxAccessPoint } from '../channels/peppol/outbox-access-point.js';
import { PeppolChannel, type PeppolChannelOptions } from '../channels/peppol/peppol-channel.js';
import { PhossAccessPoint } from '../channels/peppol/phoss-ap.js';
import { RegistryPeppolLookup } from '../channels/peppol/registry-lookup.js';
import { LocalPrintChannel } from '../channels/print-local.js';
import { createInvoiceWorker } from '../worker/worker.js';
import { TASK_QUEUE } from '../workflows/definitions.js';
import { registerSearchAttributes } from '../workflows/register-search-attributes.js';
import type { Config } from './config.js';
import { startRoutingRuntime, type RoutingRuntime } from './routing-runtime.js';
import { startTemporalDevServer, type DevServer } from './temporal-dev-server.js';
import { officialValidator } from './official-validator.js';
import { loadLinkSecret, SignedLinks } from '../public-pages/signed-link.js';

export interface Product {
  url: string;
  db: Db;
  client: Client;
  temporalAddress: string;
  temporalUiUrl?: string;
  routing: RoutingRuntime;
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
  /** Peppol: polling the access point in the deliver activity, and how often the MLS poller asks (tests make them fast). */
  peppol?: { poll?: PeppolChannelOptions['poll']; mlsPollEveryMs?: number };
}

export async function startProduct(config: Config, options: ProductOptions = {}): Promise<Product> {
  const log = options.log ?? ((message: string, meta?: Record<string, unknown>) => console.log(`[fakturaflyt] ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`));
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stack.reverse()) await step().catch((err) => log('stop step failed', { error: (err as Error).message }));
  };
  try {
    const dataDir = resolve(config.dataDir);

    // Archive
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort });
      stack.push(() => embedded.stop());
      databaseUrl = embedded.url;
      if (embedded.stoppedLeftover) log('archive: stopped the embedded PostgreSQL an earlier run left running', { pid: embedded.stoppedLeftover });
      log('archive: embedded PostgreSQL', { dataDir: embedded.databaseDir, port: config.embeddedPostgresPort });
    } else {
      log('archive: PostgreSQL from DATABASE_URL');
    }
    const db = connect(databaseUrl);
    stack.push(() => db.end());
    const applied = await migrate(db);
    if (applied.length) log('archive: migrations applied', { applied });

    // Engine
    let temporalAddress = config.temporalAddress;
    let devServer: DevServer | undefined;
    if (!temporalAddress) {
      devServer = await startTemporalDevServer({
        port: config.temporalPort,
        uiPort: config.temporalUiPort || undefined,
        dbFile: options.persistentEngine ? join(dataDir, 'temporal.sqlite') : undefined,
        namespace: config.temporalNamespace,
      });
      stack.push(() => devServer!.stop());
      temporalAddress = devServer.address;
      if (devServer.stoppedLeftover) log('engine: stopped the Temporal dev server an earlier run left running', { pid: devServer.stoppedLeftover });
      log('engine: Temporal dev server', { address: temporalAddress, ui: devServer.uiUrl });
    }
    const connection = await Connection.connect({ address: temporalAddress });
    stack.push(() => connection.close());
    await registerSearchAttributes(connection, config.temporalNamespace);
    const client = new Client({ connection, namespace: config.temporalNamespace });

    // Rules
    const routing = await startRoutingRuntime({ rulesDir: resolve(config.rulesDir), db, log });
    stack.push(() => routing.close());

    // Channels
    // The participant registry (sandbox API, PEPPOL_LOOKUP=sandbox); Peppol delivery goes through the access point.
    const peppolRegistry = new LocalPeppolChannel(db, dataDir);
    const peppolLookup = new RegistryPeppolLookup(peppolRegistry);
    if (config.peppol.accessPoint === 'phoss-ap' && !config.peppol.accessPointUrl) throw new Error('PEPPOL_AP=phoss-ap needs PEPPOL_AP_URL');
    const accessPoint =
      config.peppol.accessPoint === 'phoss-ap'
        ? new PhossAccessPoint({ url: config.peppol.accessPointUrl!, token: config.peppol.accessPointToken })
        : new OutboxAccessPoint(db, dataDir);
    const peppol = new PeppolChannel({ db, lookup: peppolLookup, accessPoint, poll: options.peppol?.poll });
    const efaktura = new SandboxEfakturaChannel(db, dataDir);
    const email = new EmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom, db, dataDir });
    stack.push(async () => email.close());
    const print = new LocalPrintChannel(db, dataDir);
    const links = new SignedLinks(await loadLinkSecret(config.linkSecret, dataDir));
    const official = await officialValidator(log);
    stack.push(() => official.close());

    // Worker
    const taskQueue = options.taskQueue ?? TASK_QUEUE;
    if (config.role !== 'api') {
      const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
      stack.push(() => nativeConnection.close());
      const worker: Worker = await createInvoiceWorker({
        connection: nativeConnection,
        namespace: config.temporalNamespace,
        taskQueue,
        workflowBundle: options.workflowBundle,
        activities: createActivities({ db, channels: { peppol, efaktura, email, print }, route: (facts) => routing.decide(facts), official, agreementWait: config.agreementWait }),
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
    }

    // API
    let url = '';
    if (config.role !== 'worker') {
      const app = createApp({ db, temporal: client, namespace: config.temporalNamespace, taskQueue, peppol: peppolRegistry, efaktura, official, rules: routing.api, bodyLimit: config.bodyLimit, links, publicBaseUrl: config.publicBaseUrl, callbackSecret: config.callbackSecret, log });
      const server: Server = await new Promise((resolveListen, reject) => {
        const s = app.listen(config.port, config.host, () => resolveListen(s)).once('error', reject);
      });
      stack.push(() => new Promise<void>((done) => server.close(() => done())));
      const address = server.address();
      url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;
      log('api: listening', { url });
      await resumeUnstarted(db, client, taskQueue, log);
    }

    return { url, db, client, temporalAddress, temporalUiUrl: devServer?.uiUrl, routing, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
