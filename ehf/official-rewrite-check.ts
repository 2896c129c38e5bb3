/**
 * Proves that the rewritten Schematron that setup compiles (scripts/setup-validation.mjs, SCHEMATRON_LAYERS[].rewrite)
 * reports exactly what the published XSLT reports: `npx tsx ehf/official-rewrite-check.ts` (~10 min).
 *
 * Both versions of each layer run on every document in ../shared/conformance (each test of a vefa test set on its
 * own, every other XML file as it is, the derived 100- and 1000-line invoices included) and on generated invoices
 * (ehf/official-sample-invoices.ts); their SVRL reports must be identical as serialized XML: the same fired rules and
 * failed asserts with the same ids, flags, locations and texts, in the same order. Where the published rules raise a
 * dynamic error, the rewritten ones must raise the same. It prints every difference (and exits 1), how many documents
 * were compared and which assert ids fired, i.e. which asserts the corpus exercised.
 *
 * Then both again with every assert made to fail wherever its rule fires, so that the failed-assert report of nearly
 * every assert is compared, not only of those the documents break; and the constants each assert reports (test, id,
 * flag, text) are read from both XSLT files and compared, for every assert, fired or not. Each run also prints the
 * time both versions took, so that a rewrite that is slow where asserts fail shows (a table-based variant did).
 * Last, a layer setup lets run documents together must report the same on each of 16 at a time (compareTogether).
 *
 * The published XSLT comes from the validation directory (xslt/<layer>.xslt, kept beside the rewritten copy that
 * versions.json names); what the check compiles is cached in the system temp directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { documentsTogether, officialArtefact, type SchematronLayer } from './official-artefacts.js';
import { sampleInvoiceUbl, type SampleVariant } from './official-sample-invoices.js';
import { loadSchematron, parseForSchematron, svrlFindings, svrlReport, svrlReports, type SchematronStylesheet } from './official-schematron.js';
import { readVefaTestSet } from './official-vefa-testset.js';

const require = createRequire(import.meta.url);
const SaxonJS = require('saxon-js') as { serialize(node: unknown, options: { method: 'xml' }): string };
const SaxonXPath = require('saxon-js') as {
  XPath: { evaluate(xpath: string, context: unknown, options: { params?: Record<string, string>; namespaceContext?: Record<string, string>; resultForm?: 'array' }): unknown };
};

const root = fileURLToPath(new URL('../', import.meta.url));
const conformance = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const LAYERS: SchematronLayer[] = ['cen', 'peppol'];

interface Document {
  name: string;
  xml: string;
}

function* xmlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* xmlFiles(path);
    else if (name.endsWith('.xml') && !name.startsWith('buildconfig')) yield path;
  }
}

function corpus(): Document[] {
  const documents: Document[] = [];
  for (const file of xmlFiles(conformance)) {
    const name = relative(conformance, file);
    const text = readFileSync(file, 'utf8');
    if (/<(\w+:)?testSet\b/.test(text.slice(0, 2000))) {
      for (const test of readVefaTestSet(text, name).tests) documents.push({ name: `${name} #${test.index}`, xml: test.xml });
    } else {
      documents.push({ name, xml: text });
    }
  }
  const variants: SampleVariant[] = ['standard', 'categories', 'reverse-charge', 'credit-note'];
  for (const variant of variants) for (const lines of [1, 3]) documents.push({ name: `generated ${variant} ${lines} lines`, xml: sampleInvoiceUbl(lines, variant) });
  for (const lines of [100, 1000]) documents.push({ name: `generated standard ${lines} lines`, xml: sampleInvoiceUbl(lines) });
  return documents;
}

/** Why setup let the layer run documents together or not, as versions.json records it. */
function togetherReason(layer: SchematronLayer): string {
  const versions = JSON.parse(readFileSync(officialArtefact('versions.json'), 'utf8')) as Record<string, { documentsTogether?: { reason?: string } }>;
  return versions[layer]?.documentsTogether?.reason ?? 'setup did not say';
}

/** The XSLT setup compiled the layer from, as versions.json records it. */
function rewrittenXsltFile(layer: SchematronLayer): string {
  const versions = JSON.parse(readFileSync(officialArtefact('versions.json'), 'utf8')) as Record<string, { rewrite?: { file?: string } }>;
  const file = versions[layer]?.rewrite?.file;
  if (!file) throw new Error(`versions.json records no rewrite of ${layer}: run \`npm run setup\` with the current scripts/setup-validation.mjs`);
  return officialArtefact(...file.split('/'));
}

/** Compiles an XSLT text to SEF once, cached in the temp directory by its sha256. */
async function compiled(label: string, xslt: string): Promise<SchematronStylesheet> {
  const digest = createHash('sha256').update(xslt).digest('hex');
  const cache = join(tmpdir(), 'fakturaflyt-rewrite-check');
  const sef = join(cache, `${label}-${digest}.sef.json`);
  if (!existsSync(sef)) {
    mkdirSync(cache, { recursive: true });
    const file = join(cache, `${label}-${digest}.xslt`);
    writeFileSync(file, xslt);
    console.log(`compiling ${label} (${file}) …`);
    const setup = (await import(pathToFileURL(join(root, 'scripts', 'setup-validation.mjs')).href)) as {
      compileSef(root: string, xsltFile: string, sefFile: string): Promise<void>;
    };
    await setup.compileSef(root, file, sef);
  }
  return loadSchematron(sef);
}

/**
 * The same stylesheet with every assert failing wherever its rule fires (`<xsl:when test="false()"/>`), so that the
 * corpus exercises the failed-assert report of nearly every assert, not only of those its documents break.
 */
function everyAssertFails(xslt: string): { xslt: string; asserts: number } {
  let asserts = 0;
  const rewritten = xslt.replace(/<xsl:when test="[^"]*" \/>(\s*<xsl:otherwise>)/g, (_whole, otherwise: string) => {
    asserts++;
    return `<xsl:when test="false()" />${otherwise}`;
  });
  return { xslt: rewritten, asserts };
}

const XSLT_NAMESPACES = { xsl: 'http://www.w3.org/1999/XSL/Transform', svrl: 'http://purl.oclc.org/dsdl/svrl' };

/**
 * What each failed-assert of an XSLT reports, in order: test, id, flag and text, whether written in place (published)
 * or passed to the shared named template (rewritten). Reading both files as XML checks the escaping of every
 * assert, including those whose rule no document fires.
 */
function failedAssertConstants(xslt: string): string[] {
  return SaxonXPath.XPath.evaluate(
    `let $literal := function($e) { let $s := string($e/@select) return replace(substring($s, 2, string-length($s) - 2), "''", "'") }
     return for $a in parse-xml($xslt)//(svrl:failed-assert[not(ancestor::xsl:template[@name = 'ff-failed-assert'])] | xsl:call-template[@name = 'ff-failed-assert'])
     return if ($a/self::svrl:failed-assert)
       then string-join(($a/@test, $a/xsl:attribute[@name = 'id'], $a/xsl:attribute[@name = 'flag'], $a/svrl:text), '|')
       else string-join(for $name in ('test', 'id', 'flag', 'text') return $literal($a/xsl:with-param[@name = $name]), '|')`,
    null,
    { params: { xslt }, namespaceContext: XSLT_NAMESPACES, resultForm: 'array' },
  ) as string[];
}

type Outcome = { svrl: string; ids: string[] } | { error: string };

function run(stylesheet: SchematronStylesheet, xml: string): Outcome {
  try {
    const report = svrlReport(stylesheet, xml);
    return { svrl: SaxonJS.serialize(report, { method: 'xml' }), ids: svrlFindings(report).map((f) => f.id) };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { error: `${e.code ?? e.name}: ${e.message}` };
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}:\n  published: …${a.slice(Math.max(0, i - 80), i + 160)}\n  rewritten: …${b.slice(Math.max(0, i - 80), i + 160)}`;
}

let failures = 0;

function compare(label: string, published: SchematronStylesheet, rewritten: SchematronStylesheet, documents: Document[]): Set<string> {
  const fired = new Map<string, number>();
  let errors = 0;
  let findings = 0;
  const before = failures;
  const ms = { published: 0, rewritten: 0 };
  for (const { name, xml } of documents) {
    let start = performance.now();
    const expected = run(published, xml);
    ms.published += performance.now() - start;
    start = performance.now();
    const actual = run(rewritten, xml);
    ms.rewritten += performance.now() - start;
    if ('error' in expected || 'error' in actual) {
      errors++;
      if (!('error' in expected && 'error' in actual && expected.error === actual.error)) {
        failures++;
        console.error(`✗ ${label} ${name}: published ${'error' in expected ? expected.error : 'ran'}, rewritten ${'error' in actual ? actual.error : 'ran'}`);
      }
      continue;
    }
    if (expected.svrl !== actual.svrl) {
      failures++;
      console.error(`✗ ${label} ${name}: SVRL differs ${firstDifference(expected.svrl, actual.svrl)}`);
      continue;
    }
    findings += expected.ids.length;
    for (const id of expected.ids) fired.set(id, (fired.get(id) ?? 0) + 1);
  }
  console.log(
    `${label}: ${documents.length} documents, ${findings} failed asserts (${fired.size} distinct ids), ${errors} dynamic errors (the same in both), ` +
      `${failures > before ? `${failures - before} DIFFERENCES` : 'identical SVRL'}; ${(ms.published / 1000).toFixed(0)} s published, ${(ms.rewritten / 1000).toFixed(0)} s rewritten`,
  );
  return new Set(fired.keys());
}

/**
 * A layer that setup lets run several documents in one transformation (versions.json `documentsTogether`, as the
 * validation pool runs them) must write for each of 16 documents at a time exactly the SVRL it writes for it alone.
 * Documents on which the rules raise a dynamic error are left out: a batch that raises is run one by one
 * (runSchematronOnEach).
 */
function compareTogether(label: string, layer: SchematronLayer, stylesheet: SchematronStylesheet, documents: Document[]): void {
  if (!documentsTogether(layer)) return console.log(`${label}: one transformation per document (${togetherReason(layer)})`);
  const before = failures;
  const alone: { name: string; source: ReturnType<typeof parseForSchematron>; svrl: string }[] = [];
  for (const { name, xml } of documents) {
    try {
      const source = parseForSchematron(xml);
      alone.push({ name, source, svrl: SaxonJS.serialize(svrlReport(stylesheet, source), { method: 'xml' }) });
    } catch {
      // a dynamic error: see above
    }
  }
  let compared = 0;
  for (let i = 0; i < alone.length; i += 16) {
    const chunk = alone.slice(i, i + 16);
    let reports: unknown[];
    try {
      reports = svrlReports(stylesheet, chunk.map((document) => document.source));
    } catch (err) {
      failures++;
      console.error(`✗ ${label}: ${chunk[0]!.name} and the next ${chunk.length - 1} raised together: ${(err as Error).message}`);
      continue;
    }
    chunk.forEach((document, n) => {
      compared++;
      const svrl = SaxonJS.serialize(reports[n], { method: 'xml' });
      if (svrl !== document.svrl) {
        failures++;
        console.error(`✗ ${label} ${document.name}: SVRL differs in one transformation with others ${firstDifference(document.svrl, svrl)}`);
      }
    });
  }
  console.log(`${label}, 16 documents per transformation: ${compared} documents, ${failures > before ? `${failures - before} DIFFERENCES` : 'identical SVRL to one by one'}`);
}

const documents = corpus();
// Every assert failing multiplies the report; the documents up to 200 kB hold every kind of rule context.
const smallDocuments = documents.filter((d) => d.xml.length <= 200_000);
const started = performance.now();
for (const layer of LAYERS) {
  const publishedXslt = readFileSync(officialArtefact('xslt', `${layer}.xslt`), 'utf8');
  const published = await compiled(`${layer}-published`, publishedXslt);
  const rewritten = loadSchematron(officialArtefact('sef', `${layer}.sef.json`));
  const fired = compare(layer, published, rewritten, documents);
  console.log(`  ids that fired: ${[...fired].sort().join(' ')}`);
  compareTogether(layer, layer, rewritten, documents);

  const rewrittenXslt = readFileSync(rewrittenXsltFile(layer), 'utf8');
  const [constantsBefore, constantsAfter] = [failedAssertConstants(publishedXslt), failedAssertConstants(rewrittenXslt)];
  const changed = constantsBefore.filter((c, i) => c !== constantsAfter[i]);
  if (changed.length || constantsBefore.length !== constantsAfter.length) {
    failures++;
    console.error(`✗ ${layer}: ${changed.length} failed-asserts report other constants after the rewrite, e.g. ${changed[0]}`);
  } else {
    console.log(`  test, id, flag and text of all ${constantsBefore.length} failed-asserts carried over exactly`);
  }
  const [forcedPublished, forcedRewritten] = [everyAssertFails(publishedXslt), everyAssertFails(rewrittenXslt)];
  if (forcedPublished.asserts !== forcedRewritten.asserts) throw new Error(`${layer}: ${forcedPublished.asserts} asserts published, ${forcedRewritten.asserts} rewritten`);
  const forcedRewrittenSheet = await compiled(`${layer}-rewritten-failing`, forcedRewritten.xslt);
  const forced = compare(`${layer} with every assert failing`, await compiled(`${layer}-published-failing`, forcedPublished.xslt), forcedRewrittenSheet, smallDocuments);
  compareTogether(`${layer} with every assert failing`, layer, forcedRewrittenSheet, smallDocuments);
  const ids = new Set([...publishedXslt.matchAll(/<svrl:failed-assert test="[^"]*">\s*<xsl:attribute name="id">([^<]*)</g)].map((m) => m[1]));
  console.log(`  failed-assert reports compared for ${forced.size} of the ${ids.size} assert ids (${forcedPublished.asserts} asserts)`);
}
console.log(`${failures ? 'FAILED' : 'OK'}: ${documents.length} documents × ${LAYERS.length} layers in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failures ? 1 : 0;
