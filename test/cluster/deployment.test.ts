/**
 * docker-compose.yml and the Dockerfile, without a Docker engine (none runs here): both files parsed and their
 * structure checked (Temporal's current layout, health checks, graceful stop, configuration by environment), then the
 * API and two workers started the way their containers would be — the Dockerfile's CMD with the image's and the
 * service's environment, FAKTURAFLYT_ROLE=api / worker — on the local PostgreSQL and the cluster of
 * `npm run cluster:start`, an invoice carried end to end through them, and each stopped with SIGTERM as `docker stop` does.
 * Part of `npm run test:cluster` (vitest.cluster.config.ts), not of `npm test`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Db } from '../../archive/database.js';
import { freePort } from '../support/free-port.js';
import { businessInvoice } from '../support/invoices.js';
import { productClient } from '../support/product-client.js';
import { waitFor } from '../support/wait-for.js';
// @ts-expect-error plain ESM script without types
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster-setup.mjs';

const root = resolve(import.meta.dirname, '../..');
type Service = { image?: string; build?: unknown; environment?: Record<string, string | number>; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] }; command?: string[]; entrypoint?: string[]; volumes?: string[]; stop_grace_period?: string; stop_signal?: string; deploy?: { replicas: string | number } };
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.at(-1)!;

describe('docker-compose.yml', () => {
  it("follows Temporal's current layout: admin-tools sets up the schemas, then the server, then the namespace; no auto-setup image", () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'temporal', 'temporal-admin-tools', 'temporal-create-namespace', 'temporal-ui', 'worker']);
    for (const service of Object.values(services)) expect(service.image ?? '').not.toMatch(/auto-setup/);
    const version = String(TEMPORAL_SERVER_VERSION).replace(/^v/, '');
    expect(services.temporal.image).toBe(`temporalio/server:\${TEMPORAL_VERSION:-${version}}`);
    expect(services['temporal-admin-tools'].image).toBe(`temporalio/admin-tools:\${TEMPORAL_VERSION:-${version}}`);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(services.temporal.depends_on).toEqual({ 'temporal-admin-tools': { condition: 'service_completed_successfully' } });
    expect(services['temporal-admin-tools'].depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services['temporal-create-namespace'].depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
  });

  it('runs scripts that exist: the schema setup with temporal-sql-tool on both databases, the namespace with the CLI', () => {
    for (const name of ['temporal-admin-tools', 'temporal-create-namespace']) {
      const script = services[name].command!.at(-1)!.replace(/^\/deploy\//, 'deploy/');
      expect(services[name].volumes).toContain('./deploy:/deploy:ro');
      expect(existsSync(join(root, script)), script).toBe(true);
      expect(spawnSync('sh', ['-n', join(root, script)]).status, `${script} is valid sh`).toBe(0);
    }
    const setup = readFileSync(join(root, 'deploy/temporal-setup-postgres.sh'), 'utf8');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d']) expect(setup).toContain(step);
    expect(setup).toMatch(/for db in temporal temporal_visibility/);
    expect(setup).toContain('/etc/temporal/schema/postgresql/v12');
    expect(readFileSync(join(root, 'deploy/temporal-create-namespace.sh'), 'utf8')).toMatch(/temporal operator namespace create/);
    const dynamicConfig = services.temporal.volumes!.find((v) => v.startsWith('./cluster/dynamic-config.yaml:'));
    expect(dynamicConfig, 'the same dynamic config as npm run cluster:start').toBeDefined();
  });

  it('has health checks, graceful stop and N worker replicas; the API and the workers share one image and their keys by environment', () => {
    for (const name of ['postgres', 'temporal', 'api', 'worker']) expect(services[name].healthcheck?.test.length, name).toBeGreaterThan(0);
    expect(services.api.healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
    expect(services.worker.healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
    for (const name of ['api', 'worker']) {
      expect(services[name].stop_signal).toBe('SIGTERM');
      expect(services[name].stop_grace_period).toMatch(/^\d+s$/);
      expect(services[name].image).toBe('fakturaflyt:latest');
      expect(services[name].build).toBe('.');
    }
    expect(services.api.environment!.FAKTURAFLYT_ROLE).toBe('api');
    expect(services.worker.environment!.FAKTURAFLYT_ROLE).toBe('worker');
    expect(String(services.worker.deploy!.replicas)).toMatch(/^\$\{WORKER_REPLICAS:-\d+\}$/);
    // Required, with the reason: compose refuses to start without them.
    for (const key of ['LINK_SECRET', 'PAYLOAD_KEYS']) {
      expect(services.worker.environment![key]).toBe(services.api.environment![key]);
      expect(() => interpolate(String(services.api.environment![key]), {})).toThrow(new RegExp(`set ${key}`));
    }
    expect(services.worker.depends_on!.api).toEqual({ condition: 'service_healthy' });
  });
});

describe('Dockerfile', () => {
  it('builds in one stage (npm ci with .tools) and runs a slim stage with Node as the main process', () => {
    expect(dockerfile.length).toBe(2);
    const [build] = dockerfile;
    expect(build.from).toMatch(/^node:\d+-bookworm AS build$/);
    expect(build.run.some((r) => r.includes('npm ci'))).toBe(true);
    expect(build.run.some((r) => r.includes('npm prune --omit=dev'))).toBe(true);
    expect(runtime.from).toMatch(/^node:\d+-bookworm-slim AS runtime$/);
    expect(runtime.copy).toContain('--from=build /app ./');
    expect(runtime.cmd).toEqual(['node', '--import', 'tsx', 'main/start.ts']);
    expect(runtime.healthcheck).toMatch(/CMD \["node", "deploy\/healthcheck.mjs"\]$/);
    expect(runtime.env).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', READY_FILE: expect.any(String) });
    expect(runtime.user).toBe('node');
  });
});

describe('the containers, started as processes on the cluster', () => {
  const processes: { name: string; child: ChildProcess; env: Record<string, string>; output: string[]; exit: Promise<number | null> }[] = [];
  const dirs: string[] = [];
  let db: Db;
  let apiUrl = '';
  // The values an operator gives compose (.env): one link secret and one payload key for every container.
  const operator = { LINK_SECRET: randomBytes(32).toString('hex'), PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}` };

  /** The container's environment: the image's ENV, then the service's (compose interpolated), mapped to this machine. */
  async function containerEnv(service: Service, name: string): Promise<Record<string, string>> {
    const dir = await mkdtemp(join(tmpdir(), `fakturaflyt-${name}-`));
    dirs.push(dir);
    const env: Record<string, string> = { ...runtime.env };
    for (const [key, value] of Object.entries(service.environment ?? {})) env[key] = interpolate(String(value), operator);
    // What the container's network and volumes would give it: the database and engine by address, /app = this checkout.
    expect(env.DATABASE_URL).toMatch(/@postgres:5432\/fakturaflyt$/);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    return {
      ...env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      RULES_DIR: env.RULES_DIR.replace(/^\/app\//, `${root}/`),
      DATA_DIR: join(dir, 'data'),
      READY_FILE: join(dir, 'ready'),
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? dir,
    };
  }

  function start(name: string, env: Record<string, string>) {
    const child = spawn(runtime.cmd[0], runtime.cmd.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    processes.push({ name, child, env, output, exit });
  }

  const healthy = (env: Record<string, string>) => spawnSync('node', ['deploy/healthcheck.mjs'], { cwd: root, env }).status === 0;

  beforeAll(async () => {
    db = connect(inject('databaseUrl'), 2);
    const apiEnv = await containerEnv(services.api, 'api');
    apiUrl = `http://127.0.0.1:${apiEnv.PORT}`;
    start('api', apiEnv);
    for (const n of [1, 2]) start(`worker-${n}`, await containerEnv(services.worker, `worker-${n}`));
    for (const p of processes) {
      let ended = false;
      void p.exit.then(() => (ended = true));
      await waitFor(`${p.name} healthy (deploy/healthcheck.mjs)`, async () => {
        if (ended) throw new Error(`${p.name} exited: ${p.output.join('').slice(-2000)}`);
        return healthy(p.env);
      }, 150_000);
    }
  });

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await db?.end();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const { submit, invoiceIn } = productClient(() => apiUrl, () => db);

  it('the API (no worker of its own) and two workers carry invoices to delivery on the Temporal cluster', async () => {
    expect(processes.map((p) => p.env.FAKTURAFLYT_ROLE)).toEqual(['api', 'worker', 'worker']);
    const ids = await Promise.all([submit(businessInvoice()), submit(businessInvoice())]);
    for (const id of ids) {
      const state = await invoiceIn(id, ['delivered', 'failed', 'rejected']);
      expect(state.status, JSON.stringify(state)).toBe('delivered');
      expect(state.channel).toBe('peppol');
    }
    // The API process polls no task queue: the deliveries were the workers'.
    expect(processes[0].output.join('')).not.toMatch(/worker: running/);
  });

  it('stops each process gracefully on SIGTERM, as docker stop does, within its grace period', async () => {
    for (const p of processes) {
      const grace = Number((p.name === 'api' ? services.api : services.worker).stop_grace_period!.replace(/s$/, '')) * 1000;
      p.child.kill('SIGTERM');
      const code = await Promise.race([p.exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), grace).unref())]);
      expect(code, `${p.name}: ${p.output.join('').slice(-1500)}`).toBe(0);
      expect(existsSync(p.env.READY_FILE), `${p.name} no longer reports healthy`).toBe(false);
      expect(healthy(p.env)).toBe(false);
    }
  });
});

/** Compose's variable interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?error}`, `$$` for a literal `$`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const set = vars[name!];
    if (set) return set;
    if (op === ':?') throw new Error(`${name}: ${arg}`);
    return op === ':-' ? arg! : '';
  });
}

interface Stage {
  from: string;
  run: string[];
  copy: string[];
  env: Record<string, string>;
  cmd: string[];
  healthcheck?: string;
  user?: string;
}

/** The Dockerfile's stages: instructions joined over `\` continuations, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  for (const line of lines) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line.trim())!;
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case 'FROM':
        stages.push({ from: rest, run: [], copy: [], env: {}, cmd: [] });
        break;
      case 'RUN':
        stage!.run.push(rest);
        break;
      case 'COPY':
        stage!.copy.push(rest);
        break;
      case 'ENV':
        for (const [, k, v] of rest.matchAll(/(\w+)=(\S+)/g)) stage!.env[k] = v;
        break;
      case 'CMD':
        stage!.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK':
        stage!.healthcheck = rest;
        break;
      case 'USER':
        stage!.user = rest;
        break;
    }
  }
  return stages;
}
