/**
 * Reads the unit tests that OpenPeppol and CEN/TC 434 publish with their Schematron (the vefa-validator test-set
 * format, namespace http://difi.no/xsd/vefa/validator/1.0) and judges a rule run against them the way vefa-validator
 * does (anskaffelser/vefa-validator, AbstractExpectation):
 *   - `<scope>` on the set or the test: only these rule ids count; every other finding is ignored;
 *   - `<success>ID</success>`: ID must not fire at all, whatever its flag;
 *   - `<error [number="n"]>ID</error>`: ID fires exactly n times (default 1) with Schematron flag `fatal`;
 *   - `<warning [number="n"]>ID</warning>`: the same with flag `warning`;
 *   - any other counted finding is unexpected and fails the test.
 * `<success number="n">` is allowed by the format but vefa ignores the number, and so do we.
 */
import { createRequire } from 'node:module';
import type { SchematronLayer } from './official-artefacts.js';
import { runCompiledSchematron } from './compiled-schematron/compiled-schematron.js';
import { parseForSchematron, runSchematronOnEach } from './official-schematron.js';
import type { SvrlFinding } from './schematron-findings.js';

export interface VefaExpectation {
  rule: string;
  flag: 'fatal' | 'warning';
  count: number;
}

export interface VefaTest {
  /** 1-based position in its set, as vefa numbers them. */
  index: number;
  description: string;
  /** Set scope and test scope together; empty means every rule counts. */
  scope: string[];
  success: string[];
  expected: VefaExpectation[];
  /** The test's UBL document on its own, with its namespace declarations. */
  xml: string;
}

export interface VefaTestSet {
  /** vefa configuration id, e.g. `peppolbis-en16931-base-3.0-ubl` or `tc434-ubl`. */
  configuration: string;
  description: string;
  tests: VefaTest[];
}

interface RawAssert {
  description: string;
  scope: string[];
  success: string[];
  error: { rule: string; count: number }[];
  warning: { rule: string; count: number }[];
  fatal: string[];
}

interface RawSet extends RawAssert {
  configuration: string;
  tests: (RawAssert & { xml: string })[];
}

interface SaxonXPath {
  XPath: { evaluate(xpath: string, context: null, options: { params: Record<string, string> }): RawSet };
}

const require = createRequire(import.meta.url);
const SaxonJS = require('saxon-js') as SaxonXPath;

// One XPath 3.1 expression turns a test set into plain objects; serialize() gives each test's UBL element as a
// standalone document (it carries the namespace declarations in scope).
const ASSERT = `
  'description': normalize-space(string-join($a/*:description, ' ')),
  'scope': array { $a/*:scope ! normalize-space() },
  'success': array { $a/*:success ! normalize-space() },
  'error': array { $a/*:error ! map { 'rule': normalize-space(), 'count': if (@number) then xs:integer(@number) else 1 } },
  'warning': array { $a/*:warning ! map { 'rule': normalize-space(), 'count': if (@number) then xs:integer(@number) else 1 } },
  'fatal': array { $a/*:fatal ! normalize-space() }`;
const TEST_SET = `
  let $set := parse-xml($text)/*:testSet
  return if (empty($set)) then map { 'configuration': '' } else
  let $a := $set/*:assert return map {
    'configuration': string($set/@configuration), ${ASSERT},
    'tests': array { for $t in $set/*:test return let $a := $t/*:assert return map {
      ${ASSERT},
      'xml': serialize($t/*[not(self::*:assert)])
    } }
  }`;

export function readVefaTestSet(text: string, file: string): VefaTestSet {
  const raw = SaxonJS.XPath.evaluate(TEST_SET, null, { params: { text } });
  if (!raw.configuration) throw new Error(`${file} is not a vefa testSet`);
  if (raw.fatal.length || raw.tests.some((t) => t.fatal.length)) {
    // vefa's <fatal> is for its own FATAL flag, which no Schematron layer here produces; refuse rather than misjudge.
    throw new Error(`${file} uses <fatal>, which these tests do not interpret`);
  }
  return {
    configuration: raw.configuration,
    description: raw.description,
    tests: raw.tests.map((t, i) => ({
      index: i + 1,
      description: t.description,
      scope: [...raw.scope, ...t.scope],
      success: t.success,
      expected: [
        ...t.error.map(({ rule, count }) => ({ rule, count, flag: 'fatal' as const })),
        ...t.warning.map(({ rule, count }) => ({ rule, count, flag: 'warning' as const })),
      ],
      xml: t.xml,
    })),
  };
}

/** What is wrong with a rule run against the test's expectations; empty when the test passes. */
export function vefaMismatches(test: VefaTest, findings: SvrlFinding[]): string[] {
  const counted = test.scope.length ? findings.filter((f) => test.scope.includes(f.id)) : findings;
  const problems: string[] = [];
  for (const rule of test.success) {
    const fired = counted.filter((f) => f.id === rule);
    if (fired.length) problems.push(`${rule} must not fire, fired ${fired.length}× (${fired.map((f) => f.flag).join(', ')})`);
  }
  const key = (rule: string, flag: string) => `${rule} ${flag}`;
  const wanted = new Map(test.expected.map((e) => [key(e.rule, e.flag), e.count]));
  const actual = new Map<string, number>();
  for (const f of counted) {
    if (!test.success.includes(f.id)) actual.set(key(f.id, f.flag), (actual.get(key(f.id, f.flag)) ?? 0) + 1);
  }
  for (const k of new Set([...wanted.keys(), ...actual.keys()])) {
    const [want, got] = [wanted.get(k) ?? 0, actual.get(k) ?? 0];
    if (want !== got) problems.push(`${k}: expected ${want}×, fired ${got}×`);
  }
  return problems;
}

/** Which Schematron layers a vefa configuration runs. The UBL XSD of `…-01-3.0-ubl-invoice` is left out: its findings
 * (rule UBL-XSD) lie outside every scope in the corpus, and the partial documents of unit tests are not XSD-valid. */
const CONFIGURATION_LAYERS: Record<string, SchematronLayer[]> = {
  'peppolbis-en16931-base-3.0-ubl': ['peppol'],
  'peppolbis-en16931-01-3.0-ubl-invoice': ['cen', 'peppol'],
  'tc434-ubl': ['cen'],
};

function configurationLayers(set: VefaTestSet): SchematronLayer[] {
  const layers = CONFIGURATION_LAYERS[set.configuration];
  if (!layers) throw new Error(`unknown vefa configuration ${set.configuration}`);
  return layers;
}

/** Runs the layers the set's configuration names on one test, as the product runs them (compiled), and returns its mismatches. */
export function runVefaTest(set: VefaTestSet, test: VefaTest): string[] {
  return vefaMismatches(test, configurationLayers(set).flatMap((layer) => runCompiledSchematron(layer, test.xml)));
}

/**
 * The same for every test of the set on the SaxonJS reference (the SEF setup compiles), each layer run on all of them
 * in one transformation (runSchematronOnEach), as official-rewrite-check.ts runs the rewritten rules.
 */
export function runVefaTestsTogether(set: VefaTestSet): string[][] {
  const sources = set.tests.map((test) => parseForSchematron(test.xml));
  const findings = configurationLayers(set).map((layer) => runSchematronOnEach(layer, sources));
  return set.tests.map((test, n) =>
    vefaMismatches(
      test,
      findings.flatMap((layer) => {
        const result = layer[n]!;
        if (result instanceof Error) throw result;
        return result;
      }),
    ),
  );
}
