/**
 * `fakturaflyt peppol import <file.csv>`: fills the local Peppol participant registry of a running product
 * (PEPPOL_LOOKUP=sandbox) from a CSV file `identifier,name,documentTypes`, through the same API an integrator
 * uses (POST /v1/sandbox/peppol/participants), so the checks, the all-or-nothing import and the "sandbox only"
 * rule are the API's own. The file is checked here first, so a bad line is reported without a running product.
 *
 *   FAKTURAFLYT_URL   the API (default http://127.0.0.1:$PORT, PORT default 3000)
 *   FAKTURAFLYT_API_KEY  sent as `Authorization: Bearer`; else the admin key in DATA_DIR/api-key (main/cli-target.ts)
 *
 * Exit codes: 0 imported, 1 refused (bad lines, not sandbox, API error), 2 usage or unreadable file.
 */
import { readFile } from 'node:fs/promises';
import { cliTarget } from '../../main/cli-target.js';
import { parseParticipantCsv } from './participant-csv.js';

export interface RegistryCliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export const REGISTRY_USAGE = `Usage:
  fakturaflyt peppol import <file.csv>

The CSV has the header identifier,name,documentTypes, e.g.
  0192:987654325,Bergen Bygg AS,invoice;creditNote
The product must run with PEPPOL_LOOKUP=sandbox; FAKTURAFLYT_URL names its API (default http://127.0.0.1:3000).
`;

export async function run(argv: readonly string[], io: RegistryCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }): Promise<number> {
  const [group, command, file, ...extra] = argv;
  if (group !== 'peppol' || command !== 'import' || !file || extra.length) {
    io.err(REGISTRY_USAGE);
    return 2;
  }
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (err) {
    io.err(`Cannot read ${file}: ${(err as Error).message}\n`);
    return 2;
  }
  const parsed = parseParticipantCsv(csv);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${file} ${e.path}: ${e.rule} ${e.message}\n`);
    io.err('Nothing imported.\n');
    return 1;
  }
  const { base, key } = await cliTarget(io.env);
  let response: Response;
  try {
    response = await fetch(`${base}/v1/sandbox/peppol/participants`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: csv,
    });
  } catch (err) {
    io.err(`The product's API at ${base} does not answer (${(err as Error).message}); is it running? Set FAKTURAFLYT_URL.\n`);
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as { imported?: number; message?: string; errors?: { path: string; rule: string; message: string }[] };
  if (!response.ok) {
    io.err(`${response.status} ${body.message ?? response.statusText}\n`);
    for (const e of body.errors ?? []) io.err(`${file} ${e.path}: ${e.rule} ${e.message}\n`);
    return 1;
  }
  io.out(`Imported ${body.imported} participant(s) into the local Peppol registry at ${base}.\n`);
  return 0;
}
