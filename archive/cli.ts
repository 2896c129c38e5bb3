/**
 * `fakturaflyt archive …` (DESIGN.md "CLI"), straight on the archive's PostgreSQL (DATABASE_URL, else the embedded
 * one of a running `npm start` on EMBEDDED_PG_PORT):
 *
 *   fakturaflyt archive verify [--supplier ORG] [--json]               exit 1 when anything does not verify
 *   fakturaflyt archive export --supplier ORG --from D --to D --out DIR
 *   fakturaflyt archive purge [--supplier ORG] [--dry-run]             what has passed its retention date
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../routing/cli.js';
import { connect } from './database.js';
import { exportArchive } from './export.js';
import { verifyArchive } from './integrity.js';
import { purgeExpired } from './purge.js';

export const ARCHIVE_USAGE = `  fakturaflyt archive verify [--supplier <org>] [--json]
  fakturaflyt archive export --supplier <org> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --out <dir>
  fakturaflyt archive purge [--supplier <org>] [--dry-run]

The archive is DATABASE_URL, else the embedded PostgreSQL of a running npm start (EMBEDDED_PG_PORT, default 54329).
`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function runArchive(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { supplier: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\nUsage:\n${ARCHIVE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [, command, ...extra] = positionals;
  const usage = (message: string) => {
    io.err(`${message}\n\nUsage:\n${ARCHIVE_USAGE}`);
    return 2;
  };
  if (extra.length) return usage(`Unknown arguments: ${extra.join(' ')}`);
  if (values.supplier !== undefined && !/^\d{9}$/.test(values.supplier)) return usage('--supplier must be a 9-digit organisation number');
  const url = io.env.DATABASE_URL || `postgres://fakturaflyt:fakturaflyt@127.0.0.1:${io.env.EMBEDDED_PG_PORT || '54329'}/fakturaflyt`;
  if (command === 'export') {
    if (!values.supplier || !values.from || !values.to || !values.out) return usage('export needs --supplier, --from, --to and --out');
    if (!DATE.test(values.from) || !DATE.test(values.to) || values.from > values.to) return usage('--from and --to are ISO dates (YYYY-MM-DD), from not after to');
  } else if (command !== 'verify' && command !== 'purge') {
    return usage(`Unknown command: ${positionals.join(' ')}`);
  }
  const db = connect(url, 2);
  try {
    if (command === 'verify') {
      const report = await verifyArchive(db, { supplierOrg: values.supplier });
      if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const p of report.problems) io.out(`${p.supplierOrg} ${p.chainSeq ?? '-'} ${p.invoiceId} ${p.kind ?? ''} ${p.problem}\n`);
        io.out(`${report.ok ? 'OK' : 'NOT OK'}: ${report.documents} documents of ${report.suppliers} supplier(s), ${report.problems.length} problem(s)\n`);
      }
      return report.ok ? 0 : 1;
    }
    if (command === 'export') {
      const result = await exportArchive(db, { supplierOrg: values.supplier!, from: values.from!, to: values.to!, out: values.out! });
      io.out(`exported ${result.invoices} invoice(s), ${result.documents} document(s) to ${result.out} (manifest.json, index.csv, chain.csv, documents/)\n`);
      return 0;
    }
    const result = await purgeExpired(db, { dryRun: values['dry-run'], supplierOrg: values.supplier });
    io.out(`${result.dryRun ? 'would delete' : 'deleted'} ${result.invoices} invoice(s) and ${result.documents} document(s) past their retention date${result.dryRun ? '' : ' (recorded in archive_purges)'}\n`);
    return 0;
  } catch (error) {
    io.err(`archive: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.end();
  }
}
