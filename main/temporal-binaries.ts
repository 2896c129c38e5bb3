/** The pinned Temporal binaries that `npm install` put under .tools/ (scripts/setup.mjs), or the env overrides. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const tools = fileURLToPath(new URL('../.tools/temporal/bin/', import.meta.url));

function binary(envName: string, name: string): string {
  const path = process.env[envName] || tools + name;
  if (!existsSync(path)) throw new Error(`${name} not found at ${path}: run \`npm run setup\` (or set ${envName})`);
  return path;
}

export const temporalCli = (): string => binary('TEMPORAL_CLI_PATH', 'temporal');
export const temporalTestServer = (): string => binary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
