// The validation pool answers exactly what validateUblOfficial answers on this thread, whether it sends a worker the
// documents that wait together (its default) or one by one, and close() ends its workers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInvoiceUbl } from '../../../ehf/official-sample-invoices.js';
import { officialValidationVersions, validateUblOfficial } from '../../../ehf/official-validation.js';
import { startValidationPool, ValidationPoolClosedError, type ValidationPool } from '../../../ehf/validation-pool.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const norwegianExample = readFileSync(`${conformance}openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml`, 'utf8');

const documents: [string, string][] = [
  ['a generated invoice that passes', sampleInvoiceUbl(3)],
  ['a credit note', sampleInvoiceUbl(2, 'credit-note')],
  ['the Norwegian example with a wrong VAT check digit (NO-R-001, warnings)', norwegianExample.replace('NO123456785MVA', 'NO123456784MVA')],
  ['100 lines that do not add up (BR-CO-10, BR-S-08)', readFileSync(`${conformance}derived-perf/big-100-lines.xml`, 'utf8')],
  ['a document the XSD rejects', norwegianExample.replace('<cbc:IssueDate>', '<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>')],
  ['XML that is not well-formed', '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'],
];

describe('ValidationPool', () => {
  let pool: ValidationPool;
  beforeAll(async () => {
    pool = await startValidationPool({ workers: 2 });
  }, 60_000);
  afterAll(() => pool?.close());

  it('starts the workers it was asked for, with the rules this thread has', () => {
    expect(pool.workers).toBe(2);
    expect(pool.versions).toEqual(officialValidationVersions());
  });

  it.each(documents)('gives the same result as validateUblOfficial: %s', async (_, xml) => {
    expect(await pool.validate(xml)).toEqual(await validateUblOfficial(xml));
  });

  it('answers each of many concurrent documents with its own result', async () => {
    const xmls = documents.map(([, xml]) => xml);
    const results = await Promise.all([...xmls, ...xmls].map((xml) => pool.validate(xml)));
    const expected = await Promise.all(xmls.map((xml) => validateUblOfficial(xml)));
    expect(results).toEqual([...expected, ...expected]);
  });
});

describe('ValidationPool sending documents one by one (batch: 1)', () => {
  it('answers each of many concurrent documents with its own result', async () => {
    const pool = await startValidationPool({ workers: 1, batch: 1 });
    try {
      const xmls = documents.map(([, xml]) => xml);
      expect(await Promise.all(xmls.map((xml) => pool.validate(xml)))).toEqual(await Promise.all(xmls.map((xml) => validateUblOfficial(xml))));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(startValidationPool({ workers: 1, batch: 0 })).rejects.toThrow(/at least one document/);
  });
});

describe('ValidationPool.close', () => {
  it('finishes what it accepted, then ends the workers and refuses new documents', async () => {
    const pool = await startValidationPool({ workers: 1 });
    const accepted = pool.validate(sampleInvoiceUbl(1));
    await pool.close();
    expect((await accepted).issues).toEqual([]);
    expect(pool.workers).toBe(0);
    await expect(pool.validate(sampleInvoiceUbl(1))).rejects.toBeInstanceOf(ValidationPoolClosedError);
    await pool.close(); // a second close is harmless
  }, 60_000);
});
