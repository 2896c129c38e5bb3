/**
 * `npm run test:phive -- --seed <n> --count <n> [--mutations <n>] [--verbose]`: the differential test against phive
 * on demand, with as many documents as asked (CI runs a fixed seed inside `npm test`:
 * test/unit/ehf/phive-differential.test.ts). `count` generated JSON invoices and credit notes, plus `mutations`
 * mutated official examples (default: a third of count), each validated by our pipeline and by phive; prints a summary
 * grouped by rule id, every disagreement in full with --verbose, and exits 1 when any document disagrees.
 */
import { agrees, compareAllWithPhive, describeDisagreement, summarise, type Comparison } from '../ehf/phive-comparison.js';
import { startPhiveChecker } from '../ehf/phive-checker.js';
import { exampleMutations, generatedBodies } from './support/invoice-arbitraries.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} wants a whole number, got ${process.argv[at + 1]}`);
  return value;
}

const seed = option('seed', 8);
const count = option('count', 300);
const mutations = option('mutations', Math.ceil(count / 3));
const verbose = process.argv.includes('--verbose');

const documents = [...generatedBodies(seed, count), ...exampleMutations(seed, mutations)];
const started = performance.now();
const phive = await startPhiveChecker();
let comparisons: Comparison[];
try {
  comparisons = await compareAllWithPhive(documents, phive, (done) => done % 100 === 0 && process.stderr.write(`${done}/${documents.length}\n`));
} finally {
  await phive.close();
}
const { compared, agreeing, notComparable, byId } = summarise(comparisons);
const rejectedByBoth = comparisons.filter((c) => c.ours.length > 0 && c.phive.length > 0).length;
const validForBoth = comparisons.filter((c) => !c.notComparable && c.ours.length === 0 && c.phive.length === 0).length;
console.log(
  `phive ${phive.rules} vs ours, seed ${seed}: ${documents.length} documents (${count} generated, ${documents.length - count} mutated examples) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`  ${agreeing} agree (${validForBoth} valid for both, ${rejectedByBoth} rejected by both), ${compared - agreeing} disagree, ${notComparable} not comparable`);
for (const [key, names] of [...byId].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`  ${key}: ${names.length} documents, e.g. ${names.slice(0, 3).join(', ')}`);
}
const disagreeing = comparisons.filter((c) => !agrees(c));
for (const c of verbose ? disagreeing : disagreeing.slice(0, 5)) console.log(`\n${describeDisagreement(c)}`);
if (!verbose && disagreeing.length > 5) console.log(`\n… ${disagreeing.length - 5} more (--verbose shows all)`);
process.exitCode = disagreeing.length === 0 ? 0 : 1;
