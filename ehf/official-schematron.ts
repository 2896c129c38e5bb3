/**
 * The SaxonJS reference of the official Schematron layers (CEN EN 16931 and Peppol BIS Billing 3.0): the XSLT compiled
 * to SaxonJS SEF at setup (from rewritten copies that report the same, see scripts/setup-validation.mjs). Each SEF
 * (6 MB and 2 MB of JSON) is parsed once and kept; SaxonJS then runs the rules and we read its SVRL report. The product
 * runs the layers compiled to JavaScript (compiled-schematron/); this is what that is checked against
 * (compiled-schematron/agreement-check.ts) and where the shared finding types live.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { documentsTogether, officialArtefact, type SchematronLayer } from './official-artefacts.js';
import type { SvrlFinding } from './schematron-findings.js';

/** The part of the SaxonJS API we use (the package ships no type declarations). */
interface SaxonJs {
  transform(
    options: { stylesheetInternal: unknown; destination: 'raw' } & ({ sourceText: string } | { sourceNode: unknown } | { initialSelection: unknown[] }),
    mode: 'sync',
  ): { principalResult: unknown };
  XPath: {
    evaluate(xpath: string, context: unknown, options: { namespaceContext?: Record<string, string>; params?: Record<string, unknown>; resultForm?: 'array' }): unknown;
  };
}

/** A stylesheet compiled to SEF, parsed and ready to run. */
export interface SchematronStylesheet {
  readonly sef: unknown;
}

/** A UBL document parsed once by SaxonJS, so that both layers can run on it. */
export interface SchematronSource {
  readonly document: unknown;
}


const require = createRequire(import.meta.url);
const SaxonJS = require('saxon-js') as SaxonJs;

// SaxonJS returns the SVRL report's svrl:schematron-output element; one XPath turns it into plain objects. The
// skeleton writes every finding as a child of that element, which costs a third of searching the whole report.
const FINDINGS = `for $a in self::svrl:schematron-output/(svrl:failed-assert | svrl:successful-report)
  return map { 'id': string($a/@id), 'flag': string($a/@flag), 'location': string($a/@location), 'text': normalize-space($a/svrl:text) }`;
const SVRL = { svrl: 'http://purl.oclc.org/dsdl/svrl' };

const stylesheets = new Map<SchematronLayer, SchematronStylesheet>();

export function loadSchematron(sefFile: string): SchematronStylesheet {
  return { sef: JSON.parse(readFileSync(sefFile, 'utf8')) as unknown };
}

function stylesheet(layer: SchematronLayer): SchematronStylesheet {
  let loaded = stylesheets.get(layer);
  if (!loaded) {
    loaded = loadSchematron(officialArtefact('sef', `${layer}.sef.json`));
    stylesheets.set(layer, loaded);
  }
  return loaded;
}

/** Parses a document for the Schematron layers; throws on XML SaxonJS cannot parse (the XSD layer reports that first). */
export function parseForSchematron(xml: string): SchematronSource {
  return { document: SaxonJS.XPath.evaluate('parse-xml($xml)', null, { params: { xml } }) };
}

/** The SVRL report of a stylesheet on a document, as SaxonJS's tree. */
export function svrlReport(stylesheet: SchematronStylesheet, source: string | SchematronSource): unknown {
  const input = typeof source === 'string' ? { sourceText: source } : { sourceNode: source.document };
  return SaxonJS.transform({ stylesheetInternal: stylesheet.sef, destination: 'raw', ...input }, 'sync').principalResult;
}

export function svrlFindings(report: unknown): SvrlFinding[] {
  return SaxonJS.XPath.evaluate(FINDINGS, report, { namespaceContext: SVRL, resultForm: 'array' }) as SvrlFinding[];
}

/** Runs one Schematron layer on XML text or on a document parsed with parseForSchematron. */
export function runSchematron(layer: SchematronLayer, source: string | SchematronSource): SvrlFinding[] {
  return svrlFindings(svrlReport(stylesheet(layer), source));
}

/**
 * The SVRL reports of a stylesheet on several documents from one transformation: the documents are its initial match
 * selection, so the root template runs on each in turn and writes one report each, in order. A transformation costs
 * ~6 ms before it reads the document (SaxonJS walks the whole SEF to set up its context, builds the modes), which is
 * half of what a typical invoice costs the CEN layer; one transformation for several documents pays that once.
 *
 * Each document gets the report it gets alone only if no global variable the stylesheet uses reads the document:
 * globals are evaluated once per transformation. Setup checks that per layer (documentsTogether in
 * scripts/setup-validation.mjs, recorded in versions.json); runSchematronOnEach asks it. Throws what SaxonJS throws.
 */
export function svrlReports(stylesheet: SchematronStylesheet, sources: readonly SchematronSource[]): unknown[] {
  const { principalResult } = SaxonJS.transform(
    { stylesheetInternal: stylesheet.sef, destination: 'raw', initialSelection: sources.map((source) => source.document) },
    'sync',
  );
  const reports = Array.isArray(principalResult) ? principalResult : [principalResult];
  // The skeleton's root template writes exactly one svrl:schematron-output; anything else means we cannot pair them up.
  if (reports.length !== sources.length) throw new Error(`expected ${sources.length} SVRL reports from one transformation, got ${reports.length}`);
  return reports;
}

/**
 * Runs one layer on each document: one transformation for all where setup allowed it for the layer (svrlReports),
 * otherwise, or if that raises, one per document, so that an error belongs to the document that raised it. Each
 * entry is that document's findings or the error its transformation threw.
 */
export function runSchematronOnEach(layer: SchematronLayer, sources: readonly SchematronSource[]): (SvrlFinding[] | Error)[] {
  if (sources.length > 1 && documentsTogether(layer)) {
    try {
      return svrlReports(stylesheet(layer), sources).map(svrlFindings);
    } catch {
      // one of them raised: find out which, below
    }
  }
  return sources.map((source) => {
    try {
      return runSchematron(layer, source);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  });
}

