/**
 * The compiled Schematron against SaxonJS on the same official XSLT (ehf/official-schematron.ts, the reference):
 * the documents to compare (the conformance corpus, generated and mutated invoices, XPath edge cases) and the
 * comparison — the multisets of (id, flag, location), the texts, and dynamic errors (both must raise or neither).
 * Used by `npm run check:schematron` (agreement-check.ts, everything) and by test/unit/ehf/compiled-schematron-
 * agreement.test.ts (a fixed-seed part in every `npm test`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SchematronLayer } from '../official-artefacts.js';
import { readVefaTestSet } from '../official-vefa-testset.js';
import { runSchematron } from '../official-schematron.js';
import type { SvrlFinding } from '../schematron-findings.js';
import { buildUbl } from '../ubl-builder.js';
import { parseSubmission } from '../../validation/submission.js';
import { exampleMutations, generatedBodies } from '../../test/support/invoice-arbitraries.js';
import { runCompiledSchematron } from './compiled-schematron.js';

export interface AgreementDocument {
  name: string;
  xml: string;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.xml') ? [path] : [];
  });
}

/** Every UBL invoice and credit note under the conformance corpus: whole documents and each vefa unit test's document. */
export function corpusDocuments(corpus: string): AgreementDocument[] {
  const documents: AgreementDocument[] = [];
  for (const file of files(corpus)) {
    const text = readFileSync(file, 'utf8');
    const root = /<(?:[\w.-]+:)?(Invoice|CreditNote|testSet)[\s>]/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1];
    if (root === 'Invoice' || root === 'CreditNote') documents.push({ name: file.slice(corpus.length + 1), xml: text });
    else if (root === 'testSet') {
      const set = readVefaTestSet(text, file);
      for (const t of set.tests) if (/<(?:[\w.-]+:)?(Invoice|CreditNote)[\s>]/.test(t.xml.slice(0, 300))) documents.push({ name: `${file.slice(corpus.length + 1)}#${t.index}`, xml: t.xml });
    }
  }
  return documents;
}

/** `count` generated JSON invoices turned into UBL by buildUbl and count/3 mutated official examples, as test:phive makes them. */
export function generatedDocuments(seed: number, count: number): AgreementDocument[] {
  const documents: AgreementDocument[] = [];
  for (const d of [...generatedBodies(seed, count), ...exampleMutations(seed, Math.ceil(count / 3))]) {
    if (d.mediaType === 'application/xml') documents.push({ name: d.name, xml: d.content });
    else {
      const parsed = parseSubmission({ mediaType: d.mediaType, content: d.content });
      if (parsed.invoice && parsed.totals) documents.push({ name: d.name, xml: buildUbl(parsed.invoice, parsed.totals) });
    }
  }
  return documents;
}

// Edge cases of the XPath semantics the rules lean on (casts, untypedAtomic, cardinality, dates, whitespace), each
// applied to every official example: where SaxonJS raises a dynamic error, the compiled layer must too.
export const EDGE_CASES: [string, (xml: string) => string][] = [
  ['amount not a number', (x) => x.replace(/(<cbc:LineExtensionAmount[^>]*>)[^<]*/, '$1abc')],
  ['amount with exponent', (x) => x.replace(/(<cbc:PayableAmount[^>]*>)[^<]*/, '$11e2')],
  ['amount padded', (x) => x.replace(/(<cbc:TaxExclusiveAmount[^>]*>)([^<]*)/, '$1 $2 ')],
  ['amount with many decimals', (x) => x.replace(/(<cbc:PriceAmount[^>]*>)([^<]*)/, '$1$2123456789')],
  ['amount empty', (x) => x.replace(/(<cbc:TaxAmount[^>]*>)[^<]*/, '$1')],
  ['amount negative zero', (x) => x.replace(/(<cbc:AllowanceTotalAmount[^>]*>)[^<]*/, '$1-0.00')],
  ['charge indicator TRUE', (x) => x.replace(/(<cbc:ChargeIndicator>)[^<]*/, '$1TRUE')],
  ['charge indicator 1', (x) => x.replace(/(<cbc:ChargeIndicator>)[^<]*/, '$11')],
  ['charge indicator padded', (x) => x.replace(/(<cbc:ChargeIndicator>)([^<]*)/, '$1 $2 ')],
  ['date invalid', (x) => x.replace(/(<cbc:IssueDate>)[^<]*/, '$12024-02-30')],
  ['date with Z', (x) => x.replace(/(<cbc:IssueDate>)([^<]*)/, '$1$2Z')],
  ['period dates reversed', (x) => x.replace(/(<cbc:StartDate>)[^<]*/, '$12099-12-31')],
  ['percent 25.0', (x) => x.replace(/(<cbc:Percent>)25(<)/g, '$125.0$2')],
  ['percent empty', (x) => x.replace(/(<cbc:Percent>)[^<]*/, '$1')],
  ['duplicate line id', (x) => x.replace(/(<cac:InvoiceLine>\s*)(<cbc:ID>[^<]*<\/cbc:ID>)/, '$1$2$2')],
  ['duplicate payable amount', (x) => x.replace(/(<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>)/, '$1$1')],
  ['no-break space in code', (x) => x.replace(/(<cbc:DocumentCurrencyCode>)([^<]*)/, '$1\u00a0$2')],
  ['quantity with exponent', (x) => x.replace(/(<cbc:InvoicedQuantity[^>]*>)[^<]*/, '$11E1')],
];
/** Each edge case applied to every official example (BIS Billing 3.0.21). */
export function edgeCaseDocuments(corpus: string): AgreementDocument[] {
  const dir = join(corpus, 'openpeppol-bis-billing-3.0.21-examples');
  const documents: AgreementDocument[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
    const xml = readFileSync(join(dir, file), 'utf8');
    for (const [name, mutate] of EDGE_CASES) {
      const mutated = mutate(xml);
      if (mutated !== xml) documents.push({ name: `edge:${file}:${name}`, xml: mutated });
    }
  }
  return documents;
}

export interface AgreementReport {
  documents: number;
  findings: number;
  agree: number;
  bothRaise: number;
  notComparable: number;
  /** Same findings, another text: the first one, described. */
  textDiffers: string[];
  errorCodeDiffers: string[];
  /** Documents whose only difference is DE-R-019 warnings SaxonJS gives (its integer precision, see below). */
  saxonIntegerPrecision: string[];
  disagreements: string[];
}

type Outcome = SvrlFinding[] | Error;
const run = (f: () => SvrlFinding[]): Outcome => {
  try {
    return f();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
};
const key = (f: SvrlFinding) => `${f.id}|${f.flag}|${f.location}`;
const code = (e: Error) => (e as Error & { code?: string }).code ?? 'no code';

export function compareWithSaxon(layer: SchematronLayer, documents: readonly AgreementDocument[]): AgreementReport {
  const report: AgreementReport = { documents: documents.length, findings: 0, agree: 0, bothRaise: 0, notComparable: 0, textDiffers: [], errorCodeDiffers: [], saxonIntegerPrecision: [], disagreements: [] };
  for (const d of documents) {
    const saxon = run(() => runSchematron(layer, d.xml));
    if (saxon instanceof Error && !/^[A-Z]{4}\d{4}$/.test(code(saxon))) {
      report.notComparable++; // SaxonJS could not parse it at all
      continue;
    }
    const ours = run(() => runCompiledSchematron(layer, d.xml));
    if (saxon instanceof Error || ours instanceof Error) {
      if (saxon instanceof Error && ours instanceof Error) {
        report.agree++;
        report.bothRaise++;
        if (code(saxon) !== code(ours)) report.errorCodeDiffers.push(`${d.name}: saxon ${code(saxon)}, compiled ${code(ours)}`);
      } else {
        report.disagreements.push(`${d.name}: saxon ${saxon instanceof Error ? `error ${code(saxon)} ${saxon.message}` : `${saxon.length} findings`}, compiled ${ours instanceof Error ? `error ${code(ours)} ${ours.message}` : `${ours.length} findings`}`);
      }
      continue;
    }
    report.findings += saxon.length;
    const a = ours.map(key).sort();
    const b = saxon.map(key).sort();
    if (a.join('\n') === b.join('\n')) {
      report.agree++;
      const texts = new Map(saxon.map((f) => [key(f), f.text]));
      const differing = ours.find((f) => texts.get(key(f)) !== f.text);
      if (differing) report.textDiffers.push(`${d.name} ${key(differing)}:\n    compiled ${JSON.stringify(differing.text)}\n    saxon    ${JSON.stringify(texts.get(key(differing)))}`);
    } else {
      const onlyOurs = a.filter((k) => !b.includes(k));
      const onlySaxon = b.filter((k) => !a.includes(k));
      // SaxonJS 2.7 computes xs:integer beyond 2^53 in doubles: DE-R-019's IBAN check (`xs:integer(…30 digits…) mod 97`)
      // then fails on valid IBANs (`xs:integer("131400000000000000000000000000") mod 97` is 35 in SaxonJS, 91 exactly).
      if (onlyOurs.length === 0 && onlySaxon.every((k) => k.startsWith('DE-R-019|'))) {
        report.saxonIntegerPrecision.push(d.name);
        continue;
      }
      report.disagreements.push(`${d.name}: only compiled [${onlyOurs.join(', ')}] only saxon [${onlySaxon.join(', ')}]`);
    }
  }
  return report;
}
