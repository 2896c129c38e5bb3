/**
 * `fakturaflyt send <files or folders>` (DESIGN.md "CLI"): submits invoice files to the running product as an ERP
 * would — `*.json` as our invoice JSON, `*.xml` as EHF/UBL — through POST /v1/invoices, and prints one line per file:
 * the answer's status, the invoice id, or the rule ids that refused it. A folder sends its `.json` and `.xml` files
 * (not its subfolders), in name order. Exit 1 when any file was refused or not answered.
 *
 * The product is at FAKTURAFLYT_URL with FAKTURAFLYT_API_KEY, else the admin key in DATA_DIR/api-key (cli-target.ts).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { CliIo } from '../routing/cli.js';
import { cliTarget } from './cli-target.js';

const TYPES: Record<string, string> = { '.json': 'application/json', '.xml': 'application/xml' };

export async function runSend(argv: readonly string[], io: CliIo): Promise<number> {
  const paths = argv.slice(1);
  if (paths.length === 0) {
    io.err('Usage:\n  fakturaflyt send <file.json|file.xml|folder>...\n');
    return 2;
  }
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      io.err(`Cannot read ${path}\n`);
      return 2;
    }
    if (info.isDirectory()) files.push(...(await readdir(path)).filter((f) => TYPES[extname(f).toLowerCase()]).sort().map((f) => join(path, f)));
    else files.push(path);
  }
  const { base, key } = await cliTarget(io.env);
  let failed = 0;
  for (const file of files) {
    const type = TYPES[extname(file).toLowerCase()];
    if (!type) {
      io.out(`${file}: skipped (not .json or .xml)\n`);
      continue;
    }
    let res: Response;
    try {
      res = await fetch(`${base}/v1/invoices`, { method: 'POST', headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: await readFile(file) });
    } catch (err) {
      io.err(`The product's API at ${base} does not answer (${(err as Error).message}); is it running? Set FAKTURAFLYT_URL.\n`);
      return 1;
    }
    const body = (await res.json().catch(() => ({}))) as { id?: string; status?: string; message?: string; errors?: { rule: string; severity: string; path: string }[] };
    if (res.status === 202 || res.status === 200) {
      io.out(`${file}: ${res.status} ${body.id} ${body.status}${res.status === 200 ? ' (already submitted)' : ''}\n`);
    } else {
      failed++;
      const rules = (body.errors ?? []).filter((e) => e.severity !== 'warning').map((e) => `${e.rule} at ${e.path}`);
      io.out(`${file}: ${res.status} ${body.message ?? res.statusText}${rules.length ? `: ${rules.join(', ')}` : ''}\n`);
    }
  }
  io.out(`${files.length - failed} of ${files.length} accepted\n`);
  return failed ? 1 : 0;
}
