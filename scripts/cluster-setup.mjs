#!/usr/bin/env node
// `npm run cluster:setup`: builds the real Temporal server and its schema tool from the Go module proxy, pinned, into
// .tools/temporal-server/<version>/ (git-ignored) with the PostgreSQL schema folders of the same module version, and
// reuses them when present (like scripts/setup.mjs for its parts). On demand only: never part of `npm install`, since
// the first build takes minutes (about 8 on two cores); later builds reuse Go's module and build caches.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const clusterToolsDir = join(root, '.tools', 'temporal-server', TEMPORAL_SERVER_VERSION);
export const clusterBinaries = {
  server: join(clusterToolsDir, 'temporal-server'),
  sqlTool: join(clusterToolsDir, 'temporal-sql-tool'),
  /** schema/postgresql/v12/{temporal,visibility}/versioned of the same module version, for temporal-sql-tool. */
  schemaDir: join(clusterToolsDir, 'schema', 'postgresql', 'v12'),
};

// The module's go.mod asks for a newer Go than may be installed; GOTOOLCHAIN=auto fetches that toolchain (itself a
// module from the proxy) instead of failing.
const goEnv = () => ({ ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'auto', GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() });

export function clusterToolsPresent() {
  const marker = join(clusterToolsDir, '.installed');
  return existsSync(marker) && readFileSync(marker, 'utf8') === `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}` && existsSync(clusterBinaries.server) && existsSync(clusterBinaries.sqlTool) && existsSync(join(clusterBinaries.schemaDir, 'temporal', 'versioned'));
}

export function setupCluster({ log = (line) => console.log(`[cluster:setup] ${line}`) } = {}) {
  const wanted = `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`;
  if (clusterToolsPresent()) {
    log(`temporal-server and temporal-sql-tool present (${wanted}, ${clusterToolsDir})`);
    return clusterBinaries;
  }
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('Go is missing: install Go (https://go.dev/dl/, any 1.21 or later: GOTOOLCHAIN=auto fetches the version the module asks for), then run `npm run cluster:setup` again');
  }
  const started = Date.now();
  log(`downloading ${wanted} from the Go module proxy`);
  const module = JSON.parse(execFileSync('go', ['mod', 'download', '-json', wanted], { cwd: root, env: goEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  if (!module.Dir) throw new Error(`go mod download ${wanted} gave no module folder: ${module.Error ?? JSON.stringify(module)}`);

  // Built into a temporary folder and renamed at the end: an interrupted build leaves no half-installed version.
  const temporary = `${clusterToolsDir}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  for (const [name, pkg] of [['temporal-server', './cmd/server'], ['temporal-sql-tool', './cmd/tools/sql']]) {
    log(`building ${name} from ${pkg} (the first build takes minutes)`);
    // Inside the module's own folder, so its go.mod and go.sum pin every dependency (read-only in the module cache;
    // only the output is written).
    execFileSync('go', ['build', '-o', join(temporary, name), pkg], { cwd: module.Dir, env: goEnv(), stdio: 'inherit' });
  }
  const schema = join(temporary, 'schema', 'postgresql', 'v12');
  mkdirSync(dirname(schema), { recursive: true });
  cpSync(join(module.Dir, 'schema', 'postgresql', 'v12'), schema, { recursive: true });
  makeWritable(join(temporary, 'schema')); // the module cache's files are read-only; ours may be removed later
  writeFileSync(join(temporary, '.installed'), wanted);
  rmSync(clusterToolsDir, { recursive: true, force: true });
  mkdirSync(dirname(clusterToolsDir), { recursive: true });
  renameSync(temporary, clusterToolsDir);
  log(`built ${wanted} in ${Math.round((Date.now() - started) / 1000)} s: ${clusterToolsDir}`);
  return clusterBinaries;
}

function makeWritable(path) {
  const stat = statSync(path);
  chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    setupCluster();
  } catch (err) {
    console.error(`[cluster:setup] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
