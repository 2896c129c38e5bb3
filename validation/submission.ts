/**
 * The one validation pipeline, used by the API before it accepts an invoice and by the workflow's validate
 * stage: parse (our JSON or EHF/UBL XML) → compute EN 16931 totals → our checks → UBL → the official
 * XSD + CEN + Peppol rules. Fatal issues reject; warnings travel with the document.
 */
import { checkInvoice } from '../invoice/checks.js';
import { parseInvoiceJson } from '../invoice/json-input.js';
import type { Invoice, Totals } from '../invoice/model.js';
import { computeTotals, documentTotals } from '../invoice/totals.js';
import { buildUbl } from '../ehf/ubl-builder.js';
import { parseUbl, sourcePath } from '../ehf/ubl-parser.js';
import { refusedXml } from '../ehf/xml-tree.js';
import { isFatal, type ValidationIssue } from './issue.js';

export type SubmissionMediaType = 'application/json' | 'application/xml';

export interface Submission {
  mediaType: SubmissionMediaType;
  /** The document as the ERP sent it (JSON text or XML text). */
  content: string;
}

/** The submission an archived source document holds: its media type and its bytes as UTF-8 text (archive/documents.ts). */
export function archivedSubmission(source: { mediaType: string; content: Buffer }): Submission {
  return { mediaType: source.mediaType as SubmissionMediaType, content: source.content.toString('utf8') };
}

export type OfficialValidator = (ublXml: string) => Promise<ValidationIssue[]>;

export interface ParsedSubmission {
  invoice?: Invoice;
  /** The totals the document carries: ours for our JSON; for the sender's XML its own figures (documentTotals). */
  totals?: Totals;
  /** EN 16931 computed exactly from the lines (totals.ts), what our checks compare the sender's figures with. */
  computedTotals?: Totals;
  issues: ValidationIssue[];
  /** XML only: where each model path is in the sender's document, so that our findings point there. */
  sources?: Record<string, string>;
}

export interface ValidSubmission {
  valid: true;
  invoice: Invoice;
  totals: Totals;
  /** The EHF document: built from JSON, or the ERP's own XML accepted as is. */
  ehfXml: string;
  warnings: ValidationIssue[];
}

export interface InvalidSubmission {
  valid: false;
  issues: ValidationIssue[];
}

/** Parses without the official rules: for stages that work on an invoice already accepted. */
export function parseSubmission(submission: Submission): ParsedSubmission {
  let parsed: { invoice?: Invoice; issues: ValidationIssue[]; sources?: Record<string, string> };
  if (submission.mediaType === 'application/xml') {
    parsed = parseUbl(submission.content);
  } else {
    let body: unknown;
    try {
      body = JSON.parse(submission.content);
    } catch (err) {
      return { issues: [{ rule: 'FF-JSON-SYNTAX', severity: 'fatal', message: `malformed JSON: ${(err as Error).message}`, path: '/' }] };
    }
    parsed = parseInvoiceJson(body);
  }
  if (!parsed.invoice || parsed.issues.some(isFatal)) return { issues: parsed.issues };
  const computedTotals = computeTotals(parsed.invoice);
  if (!parsed.sources) return { invoice: parsed.invoice, totals: computedTotals, computedTotals, issues: parsed.issues };
  const totals = documentTotals(parsed.invoice, computedTotals);
  return { invoice: parsed.invoice, totals, computedTotals, issues: parsed.issues, sources: parsed.sources };
}

/**
 * Our checks on a parsed submission. The sender's XML travels as is (`sent` figures) and our findings point into it;
 * our JSON is rebuilt from our computation (`replaced` figures) and our findings point into the JSON.
 */
function ourChecks(parsed: ParsedSubmission & { invoice: Invoice; computedTotals: Totals }): ValidationIssue[] {
  const { sources } = parsed;
  if (!sources) return checkInvoice(parsed.invoice, parsed.computedTotals, 'replaced');
  return checkInvoice(parsed.invoice, parsed.computedTotals, 'sent').map((found) => ({ ...found, path: sourcePath(sources, found.path) }));
}

/**
 * What our own stage finds: parse, EN 16931 totals, our checks and, for our JSON, the UBL we build. Pure and CPU-bound
 * (seconds for thousands of lines), so the API runs it on a worker thread (validation/submission-check-pool.ts).
 * `ehfXml` is there only when nothing fatal was found.
 */
export interface OurVerdict {
  invoice?: Invoice;
  totals?: Totals;
  ehfXml?: string;
  issues: ValidationIssue[];
}

export function ourVerdict(submission: Submission): OurVerdict {
  const parsed = parseSubmission(submission);
  if (!parsed.invoice || !parsed.totals || !parsed.computedTotals) return { issues: parsed.issues };
  const issues = [...parsed.issues, ...ourChecks({ ...parsed, invoice: parsed.invoice, computedTotals: parsed.computedTotals })];
  if (issues.some(isFatal)) return { invoice: parsed.invoice, totals: parsed.totals, issues };
  const ehfXml = submission.mediaType === 'application/xml' ? submission.content : buildUbl(parsed.invoice, parsed.totals);
  return { invoice: parsed.invoice, totals: parsed.totals, ehfXml, issues };
}

/** Where our stage runs: here by default; the API passes its worker pool. */
export type OurStage = (submission: Submission) => Promise<OurVerdict>;
const inline: OurStage = async (submission) => ourVerdict(submission);

export async function validateSubmission(submission: Submission, official?: OfficialValidator, ours: OurStage = inline): Promise<ValidSubmission | InvalidSubmission> {
  if (submission.mediaType === 'application/xml' && official) return validateXmlSubmission(submission.content, official, ours);
  // Our JSON (or any document when no official rules are given): our checks speak in the ERP's JSON paths, so they
  // go first; the official rules then judge the UBL we built.
  const verdict = await ours(submission);
  if (!verdict.invoice || !verdict.totals || verdict.ehfXml === undefined) return { valid: false, issues: verdict.issues };
  const { invoice, totals, ehfXml } = verdict;
  // An official finding we already report ourselves (NO-R-002, …) is left out: ours points into the ERP's JSON.
  const reported = new Set(verdict.issues.map((i) => `${i.rule}|${i.severity}`));
  const theirs = (official ? await official(ehfXml) : []).map((i) => forBuyersOutsidePeppol(i, invoice)).filter((i) => !reported.has(`${i.rule}|${i.severity}`));
  const issues = dedupe([...verdict.issues, ...theirs]);
  if (issues.some(isFatal)) return { valid: false, issues };
  return { valid: true, invoice, totals, ehfXml, warnings: issues };
}

/**
 * The ERP's own EHF XML travels unchanged, so the official rules judge it first, and when they reject it their report
 * is the answer exactly as the Peppol validators give it, with no finding of ours in between. Our parse and checks run
 * on what they accept and add what they do not check (KID, account numbers, what we cannot deliver).
 */
async function validateXmlSubmission(xml: string, official: OfficialValidator, ours: OurStage): Promise<ValidSubmission | InvalidSubmission> {
  const refused = refusedXml(xml);
  if (refused) return { valid: false, issues: [refused] };
  const theirs = await official(xml);
  if (theirs.some(isFatal)) return { valid: false, issues: theirs };
  const verdict = await ours({ mediaType: 'application/xml', content: xml });
  const issues = dedupe([...verdict.issues, ...theirs]);
  if (!verdict.invoice || !verdict.totals || issues.some(isFatal)) return { valid: false, issues };
  return { valid: true, invoice: verdict.invoice, totals: verdict.totals, ehfXml: xml, warnings: issues };
}

/**
 * A buyer without a Peppol address (BT-49), a consumer or a business we know no endpoint for, is never reached over
 * Peppol: delivery goes by eFaktura, e-mail or print, and the EHF document is the archive's rendering of the invoice.
 * For them PEPPOL-EN16931-R010 cannot be met and does not matter. (Consumers cannot have one: CEN's EM for e-mail is
 * not in Peppol's EAS list, PEPPOL-EN16931-CL008.) A public buyer must receive EHF, so it keeps R010 fatal (our check
 * says so). Every other rule keeps its flag.
 */
function forBuyersOutsidePeppol(found: ValidationIssue, invoice: Invoice): ValidationIssue {
  const { buyer } = invoice;
  if (found.rule !== 'PEPPOL-EN16931-R010' || buyer.kind === 'public' || buyer.endpointId !== undefined) return found;
  const why = buyer.kind === 'consumer' ? 'a consumer has none' : 'this buyer has none, so the invoice goes by e-mail or print';
  return { ...found, severity: 'warning', message: `${found.message} (${why}: the EHF document is archived, not sent over Peppol)` };
}

/** Our checks reuse official rule ids on purpose; the same finding twice helps nobody. */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.rule}|${i.severity}|${i.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
