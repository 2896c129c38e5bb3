// Validating documents together (validateUblOfficialEach, and below it one CEN transformation for several documents)
// gives each document exactly what it gets alone: the same findings, flags, locations and texts in the same order, and
// an error only for the document that raised it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleInvoiceUbl } from '../../../ehf/official-sample-invoices.js';
import { documentsTogether } from '../../../ehf/official-artefacts.js';
import { parseForSchematron, runSchematron, runSchematronOnEach } from '../../../ehf/official-schematron.js';
import { validateUblOfficial, validateUblOfficialEach } from '../../../ehf/official-validation.js';
import { readVefaTestSet } from '../../../ehf/official-vefa-testset.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const read = (file: string) => readFileSync(join(conformance, file), 'utf8');
const examples = readdirSync(join(conformance, 'openpeppol-bis-billing-3.0.21-examples'))
  .sort()
  .map((name) => read(`openpeppol-bis-billing-3.0.21-examples/${name}`));
const norwegian = read('openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml');
const generated = sampleInvoiceUbl(3);

const unitTests = (folder: string) =>
  readdirSync(join(conformance, folder))
    .sort()
    .flatMap((name) => readVefaTestSet(read(`${folder}/${name}`), `${folder}/${name}`).tests.map((test) => test.xml));

// Documents on which many rules fire, at different places, so that a finding that went to the wrong document shows:
// the Norwegian and common Peppol unit tests, the first CEN ones, and whole invoices with mistakes.
const documents = [
  ...unitTests('openpeppol-bis-billing-3.0.19/rules/unit-UBL-NO'),
  ...unitTests('openpeppol-bis-billing-3.0.19/rules/unit-UBL-PEPPOL').slice(0, 40),
  ...unitTests('cen-en16931-1.3.16/test/Invoice-unit-UBL').slice(0, 40),
  ...examples,
  norwegian.replace('NO123456785MVA', 'NO123456784MVA'),
  read('derived-perf/big-100-lines.xml'),
  generated.replace(/<cbc:PayableAmount currencyID="NOK">[^<]*/, '<cbc:PayableAmount currencyID="NOK">1.00'),
  generated.replace(/<cbc:Percent>[^<]*<\/cbc:Percent>/g, '<cbc:Percent>15</cbc:Percent>'),
  sampleInvoiceUbl(2, 'credit-note'),
  sampleInvoiceUbl(3, 'categories'),
];
// The CEN rules cast this amount to xs:decimal and raise FORG0001.
const unreadableAmount = generated.replace(/<cbc:PayableAmount currencyID="NOK">[^<]*/, '<cbc:PayableAmount currencyID="NOK">abc');

describe('runSchematronOnEach', () => {
  it.each(['cen', 'peppol'] as const)('reports for each document what the %s rules report on it alone', (layer) => {
    const alone = documents.map((xml) => runSchematron(layer, xml));
    expect(alone.flat().length).toBeGreaterThan(40);
    expect(runSchematronOnEach(layer, documents.map(parseForSchematron))).toEqual(alone);
  });

  it('runs the CEN documents in one transformation, and the Peppol ones one by one since its globals read the document', () => {
    expect(documentsTogether('cen')).toBe(true);
    expect(documentsTogether('peppol')).toBe(false);
  });

  it('gives the error of a rule that cannot evaluate to its document only', () => {
    const results = runSchematronOnEach('cen', [generated, unreadableAmount, norwegian].map(parseForSchematron));
    expect(results[0]).toEqual(runSchematron('cen', generated));
    expect(results[1]).toMatchObject({ code: 'FORG0001' });
    expect(results[2]).toEqual(runSchematron('cen', norwegian));
  });
});

describe('validateUblOfficialEach', () => {
  it('gives each document the result validateUblOfficial gives it, whatever else is in the batch', async () => {
    const batch = [
      ...examples,
      norwegian.replace('NO123456785MVA', 'NO123456784MVA'),
      read('derived-perf/big-100-lines.xml'),
      generated.replace(/<cbc:PayableAmount currencyID="NOK">[^<]*/, '<cbc:PayableAmount currencyID="NOK">1.00'),
      unreadableAmount,
      norwegian.replace('<cbc:IssueDate>', '<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>'),
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">',
      generated,
    ];
    const alone = await Promise.all(batch.map((xml) => validateUblOfficial(xml)));
    expect(alone.filter((result) => result.issues.some((i) => i.rule === 'UBL-XSD'))).toHaveLength(3);
    expect(alone.filter((result) => result.issues.some((i) => i.severity === 'fatal' && i.rule !== 'UBL-XSD')).length).toBeGreaterThan(2);
    expect(validateUblOfficialEach(batch)).toEqual(alone.map((result) => ({ result })));
  });
});
