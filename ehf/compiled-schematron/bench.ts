/**
 * `npx tsx ehf/compiled-schematron/bench.ts [--layer cen|peppol]`: ms per document, warm, on this thread, for one
 * Schematron layer run by SaxonJS (runSchematron) and compiled (runCompiledSchematron), on the generated Norwegian
 * invoices of official-sample-invoices.ts (1 and 1000 lines, as `npm run bench:ehf`). Two figures each: from XML
 * text (parsing included, as runSchematron(layer, xml) is used in the bench) and the rules alone (SaxonJS on a document
 * parsed once by parseForSchematron; compiled: from text less the light-tree parse). Checks that both give the same findings first.
 */
import { sampleInvoiceUbl } from '../official-sample-invoices.js';
import { parseForSchematron, runSchematron } from '../official-schematron.js';
import { medianMs } from '../timing.js';
import { compiledLayer, parseLightTree, runCompiledSchematron } from './compiled-schematron.js';

const at = process.argv.indexOf('--layer');
const layer = (at < 0 ? 'cen' : process.argv[at + 1]) as 'cen' | 'peppol';
const RUNS: Record<number, { saxon: number; compiled: number }> = { 1: { saxon: 200, compiled: 3000 }, 1000: { saxon: 6, compiled: 60 } };

const ms = (times: number, run: () => unknown): number => medianMs(times, run, Math.min(times, 20));

const loadStart = performance.now();
compiledLayer(layer);
console.log(`${layer}: compiled layer loaded in ${(performance.now() - loadStart).toFixed(0)} ms (XSLT read, XPath parsed and compiled)`);
for (const lines of [1, 1000] as const) {
  const xml = sampleInvoiceUbl(lines);
  const key = (f: { id: string; flag: string; location: string }) => `${f.id}|${f.flag}|${f.location}`;
  const same = runSchematron(layer, xml).map(key).sort().join() === runCompiledSchematron(layer, xml).map(key).sort().join();
  const saxonDoc = parseForSchematron(xml);
  const runs = RUNS[lines]!;
  const saxonText = ms(runs.saxon, () => runSchematron(layer, xml));
  const saxonParsed = ms(runs.saxon, () => runSchematron(layer, saxonDoc));
  const compiledText = ms(runs.compiled, () => runCompiledSchematron(layer, xml));
  const parseOnly = ms(runs.compiled, () => parseLightTree(xml));
  console.log(
    `${lines} line(s), ${(xml.length / 1024).toFixed(0)} KiB, same findings: ${same}\n` +
      `  from text:  SaxonJS ${saxonText.toFixed(2)} ms, compiled ${compiledText.toFixed(3)} ms (light-tree parse ${parseOnly.toFixed(3)} ms) → ${(saxonText / compiledText).toFixed(1)}×\n` +
      // The compiled layer caches cast values on the tree's nodes, so it is not timed on one tree again and again:
      // its rules alone are the time from text less the parse.
      `  rules alone: SaxonJS ${saxonParsed.toFixed(2)} ms (on a document parsed once), compiled ${(compiledText - parseOnly).toFixed(3)} ms (from text less the parse) → ${(saxonParsed / (compiledText - parseOnly)).toFixed(1)}×`,
  );
}
