/**
 * Archive integrity (issue 9 item 4): the SHA-256 of every document and the hash chain per supplier, verified; the
 * documents unchangeable and undeletable before their retention date (triggers); the auditor export; the purge of
 * what has passed retention, after which the chain still verifies.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runArchive } from '../../archive/cli.js';
import { APP_ROLE, connect, type Db } from '../../archive/database.js';
import { putDocument } from '../../archive/documents.js';
import { chainLink, verifyArchive } from '../../archive/integrity.js';
import { insertInvoice } from '../../archive/invoices.js';
import { purgeExpired } from '../../archive/purge.js';

let db: Db;
let out: string;
beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  out = await mkdtemp(join(tmpdir(), 'fakturaflyt-export-'));
});
afterAll(async () => {
  await db?.end();
  await rm(out, { recursive: true, force: true });
});

/** A supplier of its own per test (the chain is per supplier), not a real organisation. */
const supplier = () => String(800_000_000 + Math.floor(Math.random() * 99_999_999));

async function archived(supplierOrg: string, number: string, retainUntil = '2031-12-31', issueDate = '2026-11-02') {
  const id = `${supplierOrg}:invoice:${number}`;
  await insertInvoice(db, {
    id, supplierOrg, documentType: 'invoice', invoiceNumber: number, issueDate, customerKind: 'business', customerNumber: null, buyerOrg: null,
    branch: '', payableAmount: 100, currency: 'NOK', sourceSha256: 'x'.repeat(64), idempotencyKey: null, warnings: [], verdictBasis: null, retainUntil,
  } as never);
  for (const kind of ['source', 'ehf', 'pdf'] as const) {
    await putDocument(db, { invoiceId: id, kind, mediaType: kind === 'pdf' ? 'application/pdf' : 'application/xml', content: `${kind} of ${id}`, retainUntil });
  }
  return id;
}

/** Changes the archive behind the triggers' back, as a database administrator could: what verify must catch. */
async function tamper(sql: string, params: unknown[]) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const io = () => {
  const lines = { out: '', err: '' };
  return { lines, io: { out: (t: string) => void (lines.out += t), err: (t: string) => void (lines.err += t), env: { DATABASE_URL: inject('databaseUrl') } } };
};

describe('the hash chain', () => {
  it('links every document of a supplier and verifies', async () => {
    const org = supplier();
    await archived(org, 'A-1');
    await archived(org, 'A-2');
    const report = await verifyArchive(db, { supplierOrg: org });
    expect(report).toMatchObject({ ok: true, documents: 6, problems: [] });
    expect(report.heads).toEqual([{ supplierOrg: org, chainSeq: 6, chainHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const cli = io();
    expect(await runArchive(['archive', 'verify', '--supplier', org], cli.io)).toBe(0);
    expect(cli.lines.out).toContain('OK: 6 documents');
  });

  it('finds a changed document, a removed one, and an invoice without its source', async () => {
    const org = supplier();
    const first = await archived(org, 'B-1');
    const second = await archived(org, 'B-2');
    await tamper("UPDATE documents SET content = convert_to('forged', 'UTF8') WHERE invoice_id = $1 AND kind = 'ehf'", [first]);
    await tamper("DELETE FROM documents WHERE invoice_id = $1 AND kind = 'source'", [second]);
    const report = await verifyArchive(db, { supplierOrg: org });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ invoiceId: first, kind: 'ehf', chainSeq: 2, problem: 'content_changed' }),
        expect.objectContaining({ invoiceId: second, kind: 'ehf', chainSeq: 5, problem: 'gap_in_chain' }),
        expect.objectContaining({ invoiceId: second, problem: 'source_missing' }),
      ]),
    );
    const cli = io();
    expect(await runArchive(['archive', 'verify', '--supplier', org], cli.io)).toBe(1);
    expect(cli.lines.out).toContain('content_changed');
  });

  it('finds a link rewritten to hide a change', async () => {
    const org = supplier();
    const id = await archived(org, 'C-1');
    const forged = createHash('sha256').update('forged').digest('hex');
    await tamper("UPDATE documents SET content = convert_to('forged', 'UTF8'), sha256 = $2 WHERE invoice_id = $1 AND kind = 'pdf'", [id, forged]);
    const report = await verifyArchive(db, { supplierOrg: org });
    expect(report.problems).toEqual([expect.objectContaining({ invoiceId: id, kind: 'pdf', problem: 'link_broken' })]);
  });
});

describe('immutability and retention', () => {
  it('refuses to change or delete an archived document, or an invoice, before its retention date', async () => {
    const org = supplier();
    const id = await archived(org, 'D-1');
    await expect(db.query("UPDATE documents SET media_type = 'text/plain' WHERE invoice_id = $1", [id])).rejects.toThrow(/immutable/);
    await expect(db.query('DELETE FROM documents WHERE invoice_id = $1', [id])).rejects.toThrow(/bokføringsloven/);
    await expect(db.query('DELETE FROM invoice_events WHERE invoice_id = $1', [id]).then(() => db.query('DELETE FROM invoices WHERE id = $1', [id]))).rejects.toThrow(/bokføringsloven/);
  });

  it('refuses a document whose SHA-256 is not its content', async () => {
    const org = supplier();
    const id = await archived(org, 'E-1');
    await expect(
      db.query("INSERT INTO documents (invoice_id, kind, media_type, sha256, content, retain_until) VALUES ($1, 'model', 'application/json', $2, 'x', '2031-12-31')", [id, '0'.repeat(64)]),
    ).rejects.toThrow(/does not match/);
  });

  it('purges only what has passed retention, on the record, and the rest of the chain still verifies', async () => {
    const org = supplier();
    const old = await archived(org, 'F-OLD', '2001-12-31', '1996-03-01');
    const kept = await archived(org, 'F-NEW');
    const dry = await purgeExpired(db, { dryRun: true, supplierOrg: org });
    expect(dry).toEqual({ dryRun: true, invoices: 1, documents: 3 });
    expect((await db.query('SELECT 1 FROM invoices WHERE id = $1', [old])).rowCount).toBe(1);
    const cli = io();
    // Only this test's supplier: other tests' invoices of old issue dates share the database.
    expect(await runArchive(['archive', 'purge', '--supplier', org], cli.io)).toBe(0);
    expect(cli.lines.out).toContain('deleted 1 invoice(s) and 3 document(s)');
    expect((await db.query('SELECT 1 FROM invoices WHERE id = $1', [old])).rowCount).toBe(0);
    expect((await db.query('SELECT 1 FROM documents WHERE invoice_id = $1', [kept])).rowCount).toBe(3);
    const purge = await db.query("SELECT detail FROM archive_purges WHERE detail @> $1::jsonb ORDER BY id DESC LIMIT 1", [JSON.stringify([{ supplierOrg: org }])]);
    expect(purge.rows[0].detail).toEqual([{ supplierOrg: org, documents: 3, removed: [[1, expect.any(String)], [2, expect.any(String)], [3, expect.any(String)]] }]);
    expect(await verifyArchive(db, { supplierOrg: org })).toMatchObject({ ok: true, documents: 3 });
  });
});

describe('a purge of documents that are not the start of the chain', () => {
  it('keeps the chain verifying where expired documents sit between kept ones (31 December archived after January)', async () => {
    const org = supplier();
    await archived(org, 'J-1', '2031-12-31', '2026-01-05');
    const december = await archived(org, 'D-31', '2001-12-31', '1996-12-31'); // archived after January's, expired
    const february = await archived(org, 'F-1', '2031-12-31', '2026-02-01');
    const cli = io();
    expect(await runArchive(['archive', 'purge', '--supplier', org], cli.io)).toBe(0);
    expect(cli.lines.out).toContain('deleted 1 invoice(s) and 3 document(s)');
    expect((await db.query('SELECT 1 FROM invoices WHERE id = $1', [december])).rowCount).toBe(0);
    expect(await verifyArchive(db, { supplierOrg: org })).toMatchObject({ ok: true, documents: 6, problems: [] });
    // A document removed behind the purge's back is still a gap.
    await tamper("DELETE FROM documents WHERE invoice_id = $1 AND kind = 'ehf'", [february]);
    expect((await verifyArchive(db, { supplierOrg: org })).problems).toEqual([expect.objectContaining({ invoiceId: february, kind: 'pdf', problem: 'gap_in_chain' })]);
  });
});

describe('the auditor export', () => {
  it('writes the period’s documents (both bounds inclusive), an index, the chain and a manifest with every file’s hash', async () => {
    const org = supplier();
    const before = await archived(org, 'G-0', '2031-12-31', '2026-09-30');
    const first = await archived(org, 'G-1', '2031-12-31', '2026-10-01');
    const last = await archived(org, 'G-2', '2031-12-31', '2026-10-31');
    const dir = join(out, org);
    const cli = io();
    expect(await runArchive(['archive', 'export', '--supplier', org, '--from', '2026-10-01', '--to', '2026-10-31', '--out', dir], cli.io), cli.lines.err).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ supplierOrg: org, invoices: 2, documents: 6, chainHead: { chainSeq: 9 } });
    for (const file of manifest.files) {
      expect(createHash('sha256').update(await readFile(join(dir, file.path))).digest('hex'), file.path).toBe(file.sha256);
    }
    const index = await readFile(join(dir, 'index.csv'), 'utf8');
    expect(index).toContain(first);
    expect(index).toContain(last);
    expect(index).not.toContain(before);
    // The auditor can recompute the chain from the export alone.
    const [, ...rows] = (await readFile(join(dir, 'chain.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    let prev = '0'.repeat(64);
    for (const [seq, prevHash, hash, invoiceId, kind, sha] of rows) {
      expect(prevHash).toBe(prev);
      expect(chainLink(prevHash!, Number(seq), invoiceId!, kind!, sha!)).toBe(hash);
      prev = hash!;
    }
    expect(rows).toHaveLength(9);
  });

  it('refuses a period that is not two ISO dates in order', async () => {
    const cli = io();
    expect(await runArchive(['archive', 'export', '--supplier', '123456785', '--from', '2026-10-31', '--to', '2026-10-01', '--out', out], cli.io)).toBe(2);
    expect(cli.lines.err).toContain('ISO dates');
  });
});

describe('the product’s own database role', () => {
  it('has no superuser rights, adds to the archive, and may not change or remove a document or an invoice', async () => {
    const app = connect(inject('databaseUrl'), 1, { role: APP_ROLE });
    try {
      const who = await app.query("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser");
      expect(who.rows[0]).toEqual({ current_user: APP_ROLE, superuser: false });
      const org = supplier();
      const id = `${org}:invoice:H-1`;
      await insertInvoice(app, {
        id, supplierOrg: org, documentType: 'invoice', invoiceNumber: 'H-1', issueDate: '2026-11-02', customerKind: 'business', customerNumber: null, buyerOrg: null,
        branch: '', payableAmount: 1, currency: 'NOK', sourceSha256: 'x'.repeat(64), idempotencyKey: null, warnings: [], verdictBasis: null, retainUntil: '2031-12-31',
      } as never);
      await putDocument(app, { invoiceId: id, kind: 'source', mediaType: 'application/json', content: '{}', retainUntil: '2031-12-31' });
      await expect(app.query("UPDATE documents SET media_type = 'x' WHERE invoice_id = $1", [id])).rejects.toThrow(/permission denied/);
      await expect(app.query('DELETE FROM documents WHERE invoice_id = $1', [id])).rejects.toThrow(/permission denied/);
      await expect(app.query('DELETE FROM invoices WHERE id = $1', [id])).rejects.toThrow(/permission denied/);
      await expect(app.query('ALTER TABLE documents DISABLE TRIGGER documents_immutable')).rejects.toThrow(/owner/);
    } finally {
      await app.end();
    }
  });
});
