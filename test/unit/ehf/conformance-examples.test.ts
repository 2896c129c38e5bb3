// The official BIS Billing 3.0.21 examples (and the Norwegian national example) pass all three official layers
// without a fatal issue; and validateUblOfficial keeps its contract: XSD first and stop there, rule ids and flags
// from the Schematron, the versions it checked against.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFatal } from '../../../validation/issue.js';
import { officialValidationVersions, validateUblOfficial } from '../../../ehf/official-validation.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const examples321 = 'openpeppol-bis-billing-3.0.21-examples';
const norwegianExample = 'openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml';
const read = (file: string) => readFileSync(join(conformance, file), 'utf8');

describe('official examples validate with no fatal issue', () => {
  const files = [...readdirSync(join(conformance, examples321)).sort().map((name) => `${examples321}/${name}`), norwegianExample];
  for (const file of files) {
    it(file, async () => {
      const { issues } = await validateUblOfficial(read(file));
      expect(issues.filter(isFatal)).toEqual([]);
    });
  }
});

describe('validateUblOfficial', () => {
  const example = read(norwegianExample);

  it('reports the rule-set versions it validated against', async () => {
    const { versions } = await validateUblOfficial(example);
    expect(versions).toEqual(officialValidationVersions());
    expect(versions).toMatchObject({ ubl: '2.1', cen: '1.3.16', peppol: '3.0.21' });
  });

  it('reports Schematron warnings as warnings with a readable location', async () => {
    const { issues } = await validateUblOfficial(example);
    expect(issues).toContainEqual({
      rule: 'UBL-CR-679',
      severity: 'warning',
      message: expect.stringContaining('[UBL-CR-679]'),
      path: '/Invoice[1]',
    });
  });

  it('reports the Norwegian rules: NO-R-001 on a supplier VAT number with a wrong check digit', async () => {
    const { issues } = await validateUblOfficial(example.replace('<cbc:CompanyID>NO123456785MVA', '<cbc:CompanyID>NO123456784MVA'));
    expect(issues.filter(isFatal).map((i) => i.rule)).toContain('NO-R-001');
  });

  it('reports CEN rules as fatal: BR-CO-10 when the line total does not add up', async () => {
    const { issues } = await validateUblOfficial(read('derived-perf/big-100-lines.xml'));
    expect(issues.filter(isFatal).map((i) => i.rule).sort()).toEqual(['BR-CO-10', 'BR-S-08']);
    expect(issues.find((i) => i.rule === 'BR-CO-10')?.path).toBe('/Invoice[1]/cac:LegalMonetaryTotal[1]');
  });

  it('stops after the XSD when the document is not UBL 2.1, with line:col in the path', async () => {
    const { issues } = await validateUblOfficial(example.replace('<cbc:IssueDate>', '<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'UBL-XSD', severity: 'fatal', message: expect.stringContaining('Unknown') });
    expect(issues[0]!.path).toMatch(/^\d+:\d+ /);
  });

  it('reports XML that is not well-formed, and a root that is not a UBL invoice or credit note, under UBL-XSD', async () => {
    const broken = await validateUblOfficial('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">');
    expect(broken.issues.map((i) => [i.rule, i.severity])).toEqual([['UBL-XSD', 'fatal']]);
    const other = await validateUblOfficial('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>');
    expect(other.issues).toEqual([expect.objectContaining({ rule: 'UBL-XSD', severity: 'fatal', path: '/*' })]);
  });

  it('accepts an attachment larger than the 10 MB text-node limit libxml2 applies by default', async () => {
    const pdf = 'JVBERi0xLjcK'.repeat(1_000_000); // 12 MB of base64
    const attachment = `<cac:AdditionalDocumentReference><cbc:ID>att-1</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="invoice.pdf">${pdf}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>`;
    const base = read(`${examples321}/base-example.xml`);
    const { issues } = await validateUblOfficial(base.replace('<cac:AccountingSupplierParty>', `${attachment}<cac:AccountingSupplierParty>`));
    expect(issues.filter(isFatal)).toEqual([]);
  });

  it('refuses a DOCTYPE, so no external entity is ever read', async () => {
    const xxe = example
      .replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
      .replace('<cbc:Note>', '<cbc:Note>&x;');
    const { issues } = await validateUblOfficial(xxe);
    expect(issues).toEqual([expect.objectContaining({ rule: 'UBL-XSD', severity: 'fatal', message: expect.stringContaining('DOCTYPE') })]);
  });
});
