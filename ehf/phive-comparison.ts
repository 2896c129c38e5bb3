/**
 * Our verdict against phive's on one document (issue 8: "for every document our fatal rule ids equal phive's").
 *
 * Two comparisons per document, both on fatal rule ids only (warnings may differ in wording and are not compared):
 *   layers   our official layers (ehf/official-validation.ts: UBL XSD, CEN, Peppol) on the UBL document, against
 *            phive on the same bytes. No exceptions: the same rules on the same document must fire the same.
 *   verdict  what the ERP gets from the pipeline (validation/submission.ts: our JSON → UBL, or the ERP's XML), against
 *            phive, after the documented differences below. When our own checks stop a JSON body before the official
 *            layers run, the layers' ids on the UBL built from it stand in for them, so the sets stay comparable.
 * Our `UBL-XSD` and phive's schema errors are one finding, `XSD`, however many errors either reports.
 *
 * KNOWN_DIFFERENCES is the only place a difference is allowed; each says why. docs/phive-differential.md repeats it.
 */
import { buildUbl } from './ubl-builder.js';
import { validateUblOfficial } from './official-validation.js';
import { XSD_RULE } from './official-xsd.js';
import type { PhiveChecker, PhiveReport } from './phive-checker.js';
import { isFatal, type ValidationIssue } from '../validation/issue.js';
import { parseSubmission, validateSubmission, type Submission } from '../validation/submission.js';

export interface KnownDifference {
  /** Which rule ids it covers. */
  rule: (id: string) => boolean;
  side: 'ours' | 'phive';
  why: string;
  /** Whether it applies to this document; `pipeline` is our answer to the ERP. */
  applies: (context: { document: DocumentUnderTest; pipeline: ValidationIssue[]; phive: PhiveReport }) => boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    rule: (id) => id.startsWith('FF-'),
    side: 'ours',
    why: 'Our own checks (KID, Norwegian account numbers, what we can deliver, JSON and XML contract): no official rule exists, so phive cannot report them.',
    applies: () => true,
  },
  {
    rule: (id) => id === 'PEPPOL-EN16931-R010',
    side: 'phive',
    why: 'A buyer without a Peppol address (a consumer, or a business with no endpoint) is never reached over Peppol; the EHF document is the archive\'s rendering, so R010 is a warning for them (validation/submission.ts forBuyersOutsidePeppol). A public buyer keeps it fatal.',
    applies: ({ pipeline }) => pipeline.some((i) => i.rule === 'PEPPOL-EN16931-R010' && i.severity === 'warning'),
  },
  {
    rule: (id) => id.startsWith('BR-DEC-'),
    side: 'ours',
    why: 'An amount in our JSON with more than two decimals: BR-DEC-* applied to the value the ERP sent, at its JSON path. We refuse it rather than round the sender\'s money, so no UBL with it is ever written; the UBL the comparison builds anyway carries the amount rounded, so phive cannot see the third decimal.',
    applies: ({ document, pipeline }) => document.mediaType === 'application/json' && pipeline.some((i) => i.rule.startsWith('BR-DEC-') && i.path.startsWith('/') && !i.path.startsWith('/Invoice') && !i.path.startsWith('/CreditNote')),
  },
];

export interface DocumentUnderTest {
  name: string;
  mediaType: Submission['mediaType'];
  content: string;
}

export interface Comparison {
  name: string;
  /** The UBL both engines judged (built from JSON, or the document itself). */
  ubl?: string;
  ours: string[];
  phive: string[];
  /** Our official layers' fatal ids on the UBL, for the layer comparison. */
  layers: string[];
  /** Ids only one side reports, after the known differences: empty when they agree. */
  onlyOurs: string[];
  onlyPhive: string[];
  /** Same for the layer comparison (no known differences apply). */
  layersOnlyOurs: string[];
  layersOnlyPhive: string[];
  /** Ids a known difference removed, with the side. */
  excused: string[];
  /** Why the document could not be compared (a JSON body that does not parse, so there is no UBL). */
  notComparable?: string;
  /** Our findings and phive's, for a report. */
  ourIssues: ValidationIssue[];
  phiveReport?: PhiveReport;
}

const asId = (rule: string): string => (rule === XSD_RULE ? 'XSD' : rule);
const fatalIds = (issues: ValidationIssue[]): string[] => [...new Set(issues.filter(isFatal).map((i) => asId(i.rule)))].sort();
const minus = (a: string[], b: string[]): string[] => a.filter((x) => !b.includes(x));

/** The UBL both engines judge: the ERP's XML, or what the pipeline builds from the JSON (undefined if it does not parse). */
function ublOf(document: DocumentUnderTest): string | undefined {
  if (document.mediaType === 'application/xml') return document.content;
  const parsed = parseSubmission({ mediaType: document.mediaType, content: document.content });
  return parsed.invoice && parsed.totals ? buildUbl(parsed.invoice, parsed.totals) : undefined;
}

export async function compareWithPhive(document: DocumentUnderTest, phive: PhiveChecker): Promise<Comparison> {
  const [comparison] = await compareAllWithPhive([document], phive);
  return comparison!;
}

/**
 * Every document compared, in order. All documents go to phive first (its JVM works through them in its own process)
 * while ours are validated here, so the two engines run side by side and the run takes about as long as the slower.
 */
export async function compareAllWithPhive(documents: readonly DocumentUnderTest[], phive: PhiveChecker, progress?: (done: number) => void): Promise<Comparison[]> {
  const ubls = documents.map(ublOf);
  const reports = ubls.map((ubl) => (ubl === undefined ? undefined : phive.check(ubl)));
  // Settled even if an earlier comparison throws, so no rejection goes unhandled.
  reports.forEach((r) => r?.catch(() => undefined));
  const comparisons: Comparison[] = [];
  for (const [i, document] of documents.entries()) {
    comparisons.push(await compareOne(document, ubls[i], reports[i]));
    progress?.(i + 1);
  }
  return comparisons;
}

async function compareOne(document: DocumentUnderTest, ubl: string | undefined, phiveReport: Promise<PhiveReport> | undefined): Promise<Comparison> {
  const submission: Submission = { mediaType: document.mediaType, content: document.content };
  let officialRan = false;
  const pipelineResult = await validateSubmission(submission, async (xml) => {
    officialRan = true;
    return (await validateUblOfficial(xml)).issues;
  });
  const pipeline = pipelineResult.valid ? pipelineResult.warnings : pipelineResult.issues;
  if (ubl === undefined || phiveReport === undefined) {
    return { name: document.name, ours: fatalIds(pipeline), phive: [], layers: [], onlyOurs: [], onlyPhive: [], layersOnlyOurs: [], layersOnlyPhive: [], excused: [], notComparable: `no UBL: ${pipeline.map((i) => i.rule).join(', ')}`, ourIssues: pipeline };
  }
  const layerIssues = (await validateUblOfficial(ubl)).issues;
  const layers = fatalIds(layerIssues);
  const report = await phiveReport;
  const phiveIds = [...new Set(report.findings.filter((f) => f.severity === 'fatal').map((f) => f.id))].sort();
  let ours = officialRan ? fatalIds(pipeline) : [...new Set([...fatalIds(pipeline), ...layers])].sort();
  let theirs = phiveIds;
  const excused: string[] = [];
  for (const difference of KNOWN_DIFFERENCES) {
    if (!difference.applies({ document, pipeline, phive: report })) continue;
    const side = difference.side === 'ours' ? ours : theirs;
    const dropped = side.filter(difference.rule);
    excused.push(...dropped.map((id) => `${difference.side}:${id}`));
    if (difference.side === 'ours') ours = minus(ours, dropped);
    else theirs = minus(theirs, dropped);
  }
  return {
    name: document.name,
    ubl,
    ours,
    phive: phiveIds,
    layers,
    onlyOurs: minus(ours, theirs),
    onlyPhive: minus(theirs, ours),
    layersOnlyOurs: minus(layers, phiveIds),
    layersOnlyPhive: minus(phiveIds, layers),
    excused,
    ourIssues: [...pipeline, ...(officialRan ? [] : layerIssues)],
    phiveReport: report,
  };
}

export const agrees = (c: Comparison): boolean => c.notComparable === undefined && c.onlyOurs.length + c.onlyPhive.length + c.layersOnlyOurs.length + c.layersOnlyPhive.length === 0;

/** One disagreement as a readable block: what each side said about the ids they disagree on. */
export function describeDisagreement(c: Comparison): string {
  if (c.notComparable) return `${c.name}: not comparable (${c.notComparable})`;
  const ids = new Set([...c.onlyOurs, ...c.onlyPhive, ...c.layersOnlyOurs, ...c.layersOnlyPhive]);
  const lines = [
    `${c.name}`,
    `  verdict: ours [${c.ours.join(' ')}] phive [${c.phive.join(' ')}]${c.excused.length ? ` (excused: ${c.excused.join(' ')})` : ''}`,
    `  layers:  ours [${c.layers.join(' ')}]`,
  ];
  for (const i of c.ourIssues.filter((i) => ids.has(asId(i.rule)))) lines.push(`  ours   ${i.severity} ${i.rule} at ${i.path}: ${i.message.slice(0, 240)}`);
  for (const f of c.phiveReport?.findings.filter((f) => ids.has(f.id)) ?? []) lines.push(`  phive  ${f.severity} ${f.id} at ${f.location}: ${f.text.slice(0, 240)}`);
  return lines.join('\n');
}

/** Disagreements grouped by the ids they are about, e.g. `ours-only BR-CO-15` → 3 documents. */
export function summarise(comparisons: Comparison[]): { compared: number; agreeing: number; notComparable: number; byId: Map<string, string[]> } {
  const byId = new Map<string, string[]>();
  const add = (key: string, name: string) => byId.set(key, [...(byId.get(key) ?? []), name]);
  for (const c of comparisons) {
    for (const id of c.onlyOurs) add(`verdict ours-only ${id}`, c.name);
    for (const id of c.onlyPhive) add(`verdict phive-only ${id}`, c.name);
    for (const id of c.layersOnlyOurs) add(`layers ours-only ${id}`, c.name);
    for (const id of c.layersOnlyPhive) add(`layers phive-only ${id}`, c.name);
  }
  return {
    compared: comparisons.filter((c) => !c.notComparable).length,
    agreeing: comparisons.filter(agrees).length,
    notComparable: comparisons.filter((c) => c.notComparable).length,
    byId,
  };
}
