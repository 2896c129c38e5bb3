/**
 * Our official validation against phive, the engine behind the Peppol practical validator, on the same documents in
 * the same run (issue 8: "ours at least 2× faster than phive … with identical verdicts, compared thread for thread").
 * Part of `npm run bench:ehf` (ehf/official-validation-bench.ts).
 *
 * Both sides do the same job: UBL XML text in, the XSD + CEN + Peppol verdict out (parse included).
 *   1 thread   ours: a validation pool of one worker (the product's thread settings), every document submitted at once;
 *              phive: the checker's timing mode on one thread (PhiveChecker.java `time 1 N`).
 *   all cores  ours: a ValidationPool with one worker per core, every document submitted at once;
 *              phive: the same count on one thread per core in its JVM.
 * Both are warm: phive validates each document untimed first (`warm`: the JIT compiles the rules), and ours
 * validate a round untimed. The verdicts (fatal rule ids; our UBL-XSD = phive's XSD) must be the same.
 * "One thread" is one validating thread on each side: the JVM's JIT compiler and garbage collector threads run beside
 * phive's (as V8's do beside ours), which is how each engine runs in production.
 */
import { availableParallelism } from 'node:os';
import { sampleInvoiceUbl } from './official-sample-invoices.js';
import { validateUblOfficial } from './official-validation.js';
import { XSD_RULE } from './official-xsd.js';
import { PhiveCheckerMissingError, startPhiveChecker } from './phive-checker.js';
import { startValidationPool, type ValidationPool } from './validation-pool.js';
import { isFatal, type ValidationIssue } from '../validation/issue.js';

const DOCUMENTS = [
  { label: 'typical (1 line)', lines: 1, count: 200 },
  { label: '1000 lines', lines: 1000, count: 12 },
] as const;

const fatalIds = (issues: ValidationIssue[]): string[] => [...new Set(issues.filter(isFatal).map((i) => (i.rule === XSD_RULE ? 'XSD' : i.rule)))].sort();
const rate = (perSecond: number) => perSecond.toFixed(perSecond < 10 ? 2 : 1);

export interface PhiveBenchRow {
  label: string;
  threads: number;
  ours: number;
  phive: number;
  sameVerdict: boolean;
}

async function oursPool(pool: ValidationPool, xml: string, count: number): Promise<number> {
  await Promise.all(Array.from({ length: count }, () => pool.validate(xml)));
  const begin = performance.now();
  await Promise.all(Array.from({ length: count }, () => pool.validate(xml)));
  return count / ((performance.now() - begin) / 1000);
}

/** Prints the table; returns its rows (undefined when the phive checker is not installed, which it says). */
export async function benchAgainstPhive(pool: ValidationPool): Promise<PhiveBenchRow[] | undefined> {
  let phive;
  try {
    phive = await startPhiveChecker();
  } catch (err) {
    if (err instanceof PhiveCheckerMissingError) {
      console.log(`\nphive: not compared — ${err.message}`);
      return undefined;
    }
    throw err;
  }
  const rows: PhiveBenchRow[] = [];
  const single = await startValidationPool({ workers: 1 });
  try {
    console.log(`\nagainst phive (phive-rules-peppol 4.3.7, rule set ${phive.rules}), same documents, warm, inv/s (${availableParallelism()} cores):`);
    console.log('document            threads   ours inv/s   phive inv/s   ours/phive   verdict (fatal ids)');
    for (const { label, lines, count } of DOCUMENTS) {
      const xml = sampleInvoiceUbl(lines);
      await phive.warm(xml);
      const ours = fatalIds((await validateUblOfficial(xml)).issues);
      const theirs = (await phive.check(xml)).findings.filter((f) => f.severity === 'fatal').map((f) => f.id);
      const theirsIds = [...new Set(theirs)].sort();
      const sameVerdict = JSON.stringify(ours) === JSON.stringify(theirsIds);
      for (const threads of [1, pool.workers]) {
        const oursRate = await oursPool(threads === 1 ? single : pool, xml, count);
        const timing = await phive.time(xml, threads, count);
        const same = sameVerdict && JSON.stringify(timing.fatal) === JSON.stringify(ours);
        rows.push({ label, threads, ours: oursRate, phive: timing.perSecond, sameVerdict: same });
        const verdict = same ? `same (${ours.length ? ours.join(' ') : 'valid'})` : `DIFFERENT: ours [${ours.join(' ')}] phive [${timing.fatal.join(' ')}]`;
        console.log(
          `${label.padEnd(18)} ${String(threads).padStart(8)} ${rate(oursRate).padStart(12)} ${rate(timing.perSecond).padStart(13)} ${`${(oursRate / timing.perSecond).toFixed(2)}×`.padStart(12)}   ${verdict}   (${count} invoices)`,
        );
      }
    }
  } finally {
    await Promise.all([phive.close(), single.close()]);
  }
  return rows;
}
