// Issue 8: the compiled Schematron layers (what the product runs) give the findings SaxonJS gives on the same
// official XSLT — ids, flags, locations, texts and dynamic errors — on every XPath edge case applied to every official
// example and on fixed-seed generated and mutated invoices. `npm run check:schematron` runs the whole corpus on demand.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareWithSaxon, edgeCaseDocuments, generatedDocuments } from '../../../ehf/compiled-schematron/agreement.js';

const corpus = fileURLToPath(new URL('../../../../shared/conformance', import.meta.url));
const documents = [...edgeCaseDocuments(corpus), ...generatedDocuments(8, 30)];

describe.each(['cen', 'peppol'] as const)('the compiled %s layer agrees with SaxonJS', (layer) => {
  it(`on ${documents.length} edge cases, generated and mutated invoices`, () => {
    const report = compareWithSaxon(layer, documents);
    expect(report.disagreements).toEqual([]);
    expect(report.textDiffers).toEqual([]);
    expect(report.errorCodeDiffers).toEqual([]);
    expect(report.notComparable).toBe(0);
    // Every document compared, with findings and errors among them to compare: an empty run proves nothing.
    expect(report.agree + report.saxonIntegerPrecision.length).toBe(documents.length);
    expect(report.findings).toBeGreaterThan(0);
    expect(report.bothRaise).toBeGreaterThan(0);
  }, 120_000);
});
