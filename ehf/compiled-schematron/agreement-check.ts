/**
 * `npx tsx ehf/compiled-schematron/agreement-check.ts [--layer cen|peppol] [--seed n] [--count n] [--verbose]`
 * (`npm run check:schematron`): runs one Schematron layer with SaxonJS (runSchematron) and compiled
 * (runCompiledSchematron) on every UBL invoice and credit note under the conformance corpus, `count` generated
 * invoices and count/3 mutated official examples, and the XPath edge cases (agreement.ts), and compares them.
 */
import { compiledLayer } from './compiled-schematron.js';
import { compareWithSaxon, corpusDocuments, edgeCaseDocuments, generatedDocuments } from './agreement.js';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1]!;
};
const layer = arg('layer', 'cen') as 'cen' | 'peppol';
const seed = Number(arg('seed', '8'));
const count = Number(arg('count', '300'));
const verbose = process.argv.includes('--verbose');
const corpus = process.env.CONFORMANCE_DIR ?? '/work/shared/conformance';

const fromCorpus = corpusDocuments(corpus);
const generated = generatedDocuments(seed, count);
const edgeCases = edgeCaseDocuments(corpus);

const compiled = compiledLayer(layer);
console.log(`${layer}: ${compiled.schematron.counts.assertsCompiled}/${compiled.schematron.counts.asserts} asserts, ${compiled.schematron.counts.rulesCompiled}/${compiled.schematron.counts.rules} rules compiled`);
for (const n of compiled.schematron.notCompiled) console.log(`  not compiled: ${n.where}${n.id ? ` ${n.id}` : ''}: ${n.reason}`);

const r = compareWithSaxon(layer, [...fromCorpus, ...generated, ...edgeCases]);
console.log(`${r.documents} documents (${fromCorpus.length} from the corpus, ${generated.length} generated/mutated with seed ${seed}, ${edgeCases.length} edge cases); ${r.findings} SaxonJS findings`);
console.log(`  ${r.agree} agree (${r.bothRaise} of them: both raise a dynamic error, ${r.errorCodeDiffers.length} with another code), ${r.disagreements.length} disagree, ${r.notComparable} not comparable (SaxonJS cannot parse), ${r.textDiffers.length} agree but differ in a text`);
if (r.textDiffers.length) console.log(`  first text difference, ${r.textDiffers[0]}`);
for (const line of r.errorCodeDiffers.slice(0, 5)) console.log(`  error code: ${line}`);
if (r.saxonIntegerPrecision.length) console.log(`  ${r.saxonIntegerPrecision.length} more differ only by DE-R-019 warnings SaxonJS gives and the compiled layer does not (SaxonJS integer precision, see agreement.ts), e.g. ${r.saxonIntegerPrecision[0]}`);
for (const line of verbose ? r.disagreements : r.disagreements.slice(0, 15)) console.log(`  ${line}`);
process.exitCode = r.disagreements.length === 0 ? 0 : 1;
