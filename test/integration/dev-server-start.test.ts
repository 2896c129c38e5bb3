// The dev server picks some of its ports at random and binds them a moment later, so a process starting at the same
// moment can take one and the server exits before serving (seen in CI: exit 2). startTemporalDevServer starts it again,
// up to three times. Here a wrapper stands in for the CLI (TEMPORAL_CLI_PATH, main/temporal-binaries.ts): it exits
// with 2 the first times, as the real one does on such a clash, and then runs the real CLI.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporalCli } from '../../main/temporal-binaries.js';
import { startTemporalDevServer } from '../../main/temporal-dev-server.js';
import { freePort } from '../support/free-port.js';

const realCli = temporalCli();
const dir = mkdtempSync(join(tmpdir(), 'fakturaflyt-cli-wrapper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CLI that exits with 2 on its first `failures` starts (counted in a file), then is the real one. */
function flakyCli(name: string, failures: number): { path: string; starts: () => number } {
  const count = join(dir, `${name}.count`);
  writeFileSync(count, '0');
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\nn=$(($(cat '${count}') + 1))\necho $n > '${count}'\nif [ $n -le ${failures} ]; then exit 2; fi\nexec '${realCli}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, starts: () => Number(readFileSync(count, 'utf8').trim()) };
}

async function withCli<T>(path: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.TEMPORAL_CLI_PATH;
  process.env.TEMPORAL_CLI_PATH = path;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = before;
  }
}

describe('starting the dev server', () => {
  it('starts it again when it exits before serving, and serves', async () => {
    const cli = flakyCli('twice', 2);
    const lines: string[] = [];
    const server = await withCli(cli.path, async () => startTemporalDevServer({ port: await freePort(), log: (line) => lines.push(line) }));
    try {
      expect(cli.starts()).toBe(3);
      expect(lines.filter((l) => l.includes('starting it again'))).toHaveLength(2);
      expect(server.pid).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('gives up after three starts that all exit, with the exit code', async () => {
    const cli = flakyCli('always', 99);
    await expect(withCli(cli.path, async () => startTemporalDevServer({ port: await freePort() }))).rejects.toThrow(/exited with 2 before serving/);
    expect(cli.starts()).toBe(3);
  });
});
