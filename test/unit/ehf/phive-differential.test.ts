/**
 * Differential test against phive (issue 8): on a fixed seed, generated invoices and credit notes over the whole JSON
 * model and mutated official examples are validated by our pipeline and by phive with phive-rules-peppol 4.3.7; every
 * document's fatal rule ids must be the same, apart from ehf/phive-comparison.ts KNOWN_DIFFERENCES. More documents on
 * demand: `npm run test:phive -- --seed <n> --count <n>`. Needs the checker the setup builds (`npm run setup`): without
 * it this test fails, it does not skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { agrees, compareAllWithPhive, compareWithPhive, describeDisagreement, type Comparison } from '../../../ehf/phive-comparison.js';
import { PhiveCheckerMissingError, startPhiveChecker, type PhiveChecker } from '../../../ehf/phive-checker.js';
import { sampleInvoiceUbl } from '../../../ehf/official-sample-invoices.js';
import { exampleMutations, generatedBodies, officialExamples } from '../../support/invoice-arbitraries.js';
import { consumerInvoice } from '../../support/invoices.js';

const SEED = 20268;
const GENERATED = 200;
const MUTATED = 80;

// Started by the first test that needs it, so that a missing checker fails each of those tests with its install
// hint (in a beforeAll it would only mark them skipped).
let started: Promise<PhiveChecker> | undefined;
const checker = (): Promise<PhiveChecker> => (started ??= startPhiveChecker());
const documents = [...generatedBodies(SEED, GENERATED), ...exampleMutations(SEED, MUTATED)];

afterAll(async () => {
  await started?.then((phive) => phive.close(), () => undefined);
});

describe('our validation agrees with phive (phive-rules-peppol 4.3.7)', () => {
  let comparisons: Comparison[] = [];

  it(`gives the same fatal rule ids on ${GENERATED} generated and ${MUTATED} mutated official documents (seed ${SEED})`, async () => {
    comparisons = await compareAllWithPhive(documents, await checker());
    const disagreements = comparisons.filter((c) => !agrees(c)).map(describeDisagreement);
    expect(disagreements).toEqual([]);
  }, 300_000);

  it('compares documents both accept and documents both reject, not only one kind', () => {
    expect(comparisons).toHaveLength(documents.length);
    const validForBoth = comparisons.filter((c) => agrees(c) && c.ours.length === 0 && c.phive.length === 0);
    const rejectedByBoth = comparisons.filter((c) => agrees(c) && c.ours.length > 0);
    expect(validForBoth.length).toBeGreaterThan(documents.length / 5);
    expect(rejectedByBoth.length).toBeGreaterThan(documents.length / 10);
    // Schema errors (our UBL-XSD, phive's XSD) and Schematron rejections both occur.
    expect(comparisons.some((c) => c.phive.includes('XSD') && c.ours.includes('XSD'))).toBe(true);
  });

  it('generates across the whole JSON model', () => {
    const bodies = generatedBodies(SEED, GENERATED).map((d) => JSON.parse(d.content) as Record<string, any>);
    const lines = bodies.flatMap((b) => b.lines as Record<string, any>[]);
    const seen = {
      categories: new Set(lines.map((l) => l.taxCode)),
      rates: new Set(lines.filter((l) => l.taxCode === 'S').map((l) => l.vatRate)),
      documentTypes: new Set(bodies.map((b) => b.documentType)),
      buyerKinds: new Set(bodies.map((b) => b.buyer.kind ?? (b.buyer.address.country === 'NO' ? 'business' : 'foreign'))),
      currencies: new Set(bodies.map((b) => b.currency)),
    };
    expect([...seen.categories].sort()).toEqual(['AE', 'E', 'G', 'K', 'O', 'S', 'Z']);
    expect([...seen.rates].sort()).toEqual([11.11, 12, 15, 25]);
    expect([...seen.documentTypes].sort()).toEqual(['creditNote', 'invoice']);
    expect([...seen.buyerKinds].sort()).toEqual(['business', 'consumer', 'foreign', 'public']);
    expect(seen.currencies.size).toBeGreaterThan(2);
    expect(bodies.some((b) => b.allowanceCharges?.length)).toBe(true);
    expect(lines.some((l) => l.allowanceCharges?.length)).toBe(true);
    expect(lines.some((l) => l.grossPrice !== undefined && l.priceDiscount === undefined)).toBe(true);
    expect(lines.some((l) => !Number.isInteger(l.quantity * 100))).toBe(true);
    expect(bodies.some((b) => b.attachments?.length)).toBe(true);
    expect(bodies.some((b) => b.prepaidAmount !== undefined)).toBe(true);
    expect(bodies.some((b) => b.roundingAmount !== undefined)).toBe(true);
  });

  it('counts our UBL-XSD and phive\'s schema errors as one finding', async () => {
    const [example] = officialExamples().filter((e) => e.name === 'base-example.xml');
    const broken = example!.xml.replace('<cbc:IssueDate>', '<cbc:Unknown>1</cbc:Unknown><cbc:IssueDate>');
    const comparison = await compareWithPhive({ name: 'unknown element', mediaType: 'application/xml', content: broken }, await checker());
    expect(comparison.ours).toEqual(['XSD']);
    expect(comparison.phive).toEqual(['XSD']);
    expect(comparison.phiveReport!.skipped).toEqual(['cen', 'peppol']);
  });

  it('excuses only the documented differences: R010 for a consumer is fatal for phive and a warning for us', async () => {
    const phive = await checker();
    const comparison = await compareWithPhive({ name: 'consumer', mediaType: 'application/json', content: JSON.stringify(consumerInvoice('K-77')) }, phive);
    expect(comparison.phive).toEqual(['PEPPOL-EN16931-R010']);
    expect(comparison.ours).toEqual([]);
    expect(comparison.excused).toEqual(['phive:PEPPOL-EN16931-R010']);
    expect(agrees(comparison)).toBe(true);
    // The same invoice to a public buyer keeps R010 fatal on both sides: nothing is excused.
    const publicBuyer = { ...consumerInvoice('K-78'), buyer: { kind: 'public', name: 'Bergen kommune', address: { country: 'NO' } } };
    const strict = await compareWithPhive({ name: 'public', mediaType: 'application/json', content: JSON.stringify(publicBuyer) }, phive);
    expect(strict.excused).toEqual([]);
    expect(strict.phive).toContain('PEPPOL-EN16931-R010');
  });

  it('times a document inside the JVM (the benchmark\'s mode) and reports its verdict', async () => {
    const phive = await checker();
    const valid = await phive.time(sampleInvoiceUbl(1), 2, 4);
    expect(valid).toMatchObject({ threads: 2, count: 4, fatal: [] });
    expect(valid.perSecond).toBeGreaterThan(0);
    const broken = await phive.time(sampleInvoiceUbl(1).replace('<cbc:IssueDate>', '<cbc:Unknown/><cbc:IssueDate>'), 1, 1);
    expect(broken.fatal).toEqual(['XSD']);
  });

  it('fails with how to install it when the checker is missing, so the comparison cannot silently skip', async () => {
    const before = process.env.PHIVE_CHECKER_DIR;
    process.env.PHIVE_CHECKER_DIR = '/nonexistent/phive';
    try {
      const started = startPhiveChecker();
      await expect(started).rejects.toBeInstanceOf(PhiveCheckerMissingError);
      await expect(started).rejects.toThrow(/npm run setup/);
    } finally {
      if (before === undefined) delete process.env.PHIVE_CHECKER_DIR;
      else process.env.PHIVE_CHECKER_DIR = before;
    }
  });
});
