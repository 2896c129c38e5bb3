/**
 * `npm run record-histories`: runs the recorded scenarios on the time-skipping server and writes their histories
 * to test/fixtures/histories/, for the replay test: only scenarios without a recording, unless `-- --all` (which still
 * keeps the histories of earlier shapes (issue 12): files without the `.local-first` suffix). Re-record only on purpose: a history recorded by the old
 * workflow code is exactly what must keep replaying after a change.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { temporalTestServer } from '../main/temporal-binaries.js';
import { workflowsPath } from '../worker/worker.js';
import { registerSearchAttributes } from '../workflows/register-search-attributes.js';
import { LOCAL_FIRST_SUFFIX, RECORDED, runScenario } from './support/lifecycle-scenarios.js';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServer() } } });
  try {
    await registerSearchAttributes(env.connection);
    for (const [name, { scenario, during }] of Object.entries(RECORDED)) {
      const file = new URL(`./fixtures/histories/${name}.json`, import.meta.url);
      if (existsSync(file) && !process.argv.includes('--all')) continue; // old histories stay: they are what must keep replaying
      // Today's code records only its own shape: the histories of earlier shapes (issue 12) are never overwritten.
      if (existsSync(file) && !name.endsWith(LOCAL_FIRST_SUFFIX)) continue;
      const { history } = await runScenario(env, code, scenario, during);
      await writeFile(file, historyToJSON(history) + '\n');
      console.log(`recorded ${name}: ${history.events?.length} events`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
