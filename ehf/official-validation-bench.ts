/**
 * What the whole validation pipeline costs per invoice: `npm run bench:ehf [-- --workers N]`.
 *
 * Generated Norwegian invoices (ehf/official-sample-invoices.ts) of 1, 100 and 1000 lines go through
 * validateSubmission as the API sends them: JSON → model → totals → our checks → UBL → UBL XSD, CEN and Peppol rules.
 * Per size it prints
 *   cold    the first invoice in a fresh process (a child process), loading the rules included;
 *   warm    the median once warm, on this thread, and the part of it each official layer takes;
 *   1 core  invoices per second, one after the other on this thread;
 *   pool    invoices per second with all of them submitted at once to a ValidationPool (default: one worker per core),
 *           which validates waiting invoices together (`batch`, default 16); `1 by 1` is the same pool with batch 1.
 *           Both pools first validate a round of invoices untimed, so that the figure is the pool once warm.
 * Throughput runs over a bounded number of invoices per size (`COUNTS`), so the whole run takes about a minute.
 * Then the same official validation against phive on the same documents, one thread each and all cores each
 * (ehf/phive-bench.ts), when the setup has built the phive checker.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sampleInvoiceBody, sampleInvoiceUbl } from './official-sample-invoices.js';
import { runCompiledSchematron } from './compiled-schematron/compiled-schematron.js';
import { validateUblOfficial, warmUpOfficialValidation } from './official-validation.js';
import { validateUblXsd } from './official-xsd.js';
import { median, medianMs } from './timing.js';
import { benchAgainstPhive } from './phive-bench.js';
import { startValidationPool, type ValidationPool } from './validation-pool.js';
import { validateSubmission, type OfficialValidator, type Submission } from '../validation/submission.js';

const SIZES = [1, 100, 1000] as const;
/** Invoices per throughput run, and warm runs for the median. */
const COUNTS: Record<(typeof SIZES)[number], { throughput: number; warm: number }> = {
  1: { throughput: 400, warm: 51 },
  100: { throughput: 40, warm: 11 },
  1000: { throughput: 4, warm: 3 },
};

const inThread: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;

function submissions(lines: number, count: number): Submission[] {
  return Array.from({ length: count }, (_, i) => ({
    mediaType: 'application/json',
    content: JSON.stringify(sampleInvoiceBody(lines, 'standard', `BENCH-${lines}-${i + 1}`)),
  }));
}

async function validated(submission: Submission, official: OfficialValidator): Promise<void> {
  const result = await validateSubmission(submission, official);
  if (!result.valid) throw new Error(`bench invoice rejected: ${JSON.stringify(result.issues.slice(0, 3))}`);
}

const rate = (perSecond: number) => perSecond.toFixed(perSecond < 10 ? 2 : 1);

/** Invoices per second through the pool, all submitted at once, after the same round untimed. */
async function poolThroughput(pool: ValidationPool, batch: Submission[]): Promise<number> {
  const official: OfficialValidator = (xml) => pool.validate(xml).then((result) => result.issues);
  await Promise.all(batch.map((submission) => validated(submission, official)));
  const begin = performance.now();
  await Promise.all(batch.map((submission) => validated(submission, official)));
  return batch.length / ((performance.now() - begin) / 1000);
}


// `--cold <lines>`: the child process that times its very first invoice.
const coldIndex = process.argv.indexOf('--cold');
if (coldIndex >= 0) {
  const [submission] = submissions(Number(process.argv[coldIndex + 1]), 1);
  const start = performance.now();
  await validated(submission!, inThread);
  console.log(JSON.stringify({ ms: performance.now() - start }));
  process.exit(0);
}

function coldMs(lines: number): number {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--cold', String(lines)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
  return (JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number }).ms;
}

const workersIndex = process.argv.indexOf('--workers');
const workers = workersIndex >= 0 ? Number(process.argv[workersIndex + 1]) : availableParallelism();

let start = performance.now();
const versions = warmUpOfficialValidation();
const warmUp = performance.now() - start;
start = performance.now();
const pool = await startValidationPool({ workers });
const poolStart = performance.now() - start;
const oneByOne = await startValidationPool({ workers, batch: 1 });
console.log(
  `official validation: UBL ${versions.ubl}, CEN ${versions.cen}, Peppol ${versions.peppol}; warm-up ${warmUp.toFixed(0)} ms on this thread, ` +
    `${poolStart.toFixed(0)} ms for a pool of ${workers} (${availableParallelism()} cores)`,
);
console.log('lines   cold ms   warm ms (xsd + cen + peppol)    1 core inv/s   pool inv/s   pool 1 by 1 inv/s');
try {
  for (const lines of SIZES) {
    const { throughput, warm } = COUNTS[lines];
    const cold = coldMs(lines);
    const [one] = submissions(lines, 1);
    await validated(one!, inThread);
    const samples: number[] = [];
    for (let i = 0; i < warm; i++) {
      const begin = performance.now();
      await validated(one!, inThread);
      samples.push(performance.now() - begin);
    }
    const xml = sampleInvoiceUbl(lines);
    const layerTimes = Math.max(3, Math.ceil(warm / 3));
    const xsd = medianMs(layerTimes, () => validateUblXsd(xml));
    const cen = medianMs(layerTimes, () => runCompiledSchematron('cen', xml));
    const peppol = medianMs(layerTimes, () => runCompiledSchematron('peppol', xml));

    const batch = submissions(lines, throughput);
    const begin = performance.now();
    for (const submission of batch) await validated(submission, inThread);
    const oneCore = throughput / ((performance.now() - begin) / 1000);
    const pooled = await poolThroughput(pool, batch);
    const pooledOneByOne = await poolThroughput(oneByOne, batch);

    const layers = `(${xsd.toFixed(0)} + ${cen.toFixed(0)} + ${peppol.toFixed(0)})`;
    console.log(
      `${String(lines).padStart(5)} ${cold.toFixed(0).padStart(9)} ${median(samples).toFixed(0).padStart(9)} ${layers.padEnd(20)} ` +
        `${rate(oneCore).padStart(14)} ${rate(pooled).padStart(12)} ${rate(pooledOneByOne).padStart(19)}   (${throughput} invoices)`,
    );
  }
  await benchAgainstPhive(pool);
} finally {
  await Promise.all([pool.close(), oneByOne.close()]);
}
