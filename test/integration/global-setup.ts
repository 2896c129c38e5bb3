/**
 * Once per test run: a real PostgreSQL (DATABASE_URL if set, else the embedded server the product uses) with a
 * fresh database and the migrations applied, and the workflow bundle built once for every worker.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../archive/embedded-postgres.js';
import { workflowsPath } from '../../worker/worker.js';
import { failureConverterPath } from '../../engine/data-converter.js';
import { freshDatabase } from '../support/fresh-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    workflowBundle: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 54_000 + Math.floor(Math.random() * 1000) });
    serverUrl = embedded.url;
  }
  const url = await freshDatabase(serverUrl, `fakturaflyt_test_${process.pid}`);
  project.provide('databaseUrl', url);

  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietLogger });
  project.provide('workflowBundle', code);

  return async () => {
    if (embedded) await embedded.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
