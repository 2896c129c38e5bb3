// Issue 8, defect 3: a line with only a gross price gets its price discount derived exactly, so valid JSON input is
// never rejected for our own output (PEPPOL-EN16931-R046 compares net = gross − discount exactly).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { validateSubmission, type OfficialValidator } from '../../../validation/submission.js';

const b2b = JSON.parse(readFileSync(new URL('../../fixtures/invoice-json/b2b.json', import.meta.url), 'utf8')) as { lines: Record<string, unknown>[] };
const official: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;

function withLine(line: Record<string, unknown>): string {
  return JSON.stringify({ ...b2b, lines: [{ description: 'Rabattert vare', quantity: 1, taxCode: 'S', vatRate: 25, ...line }] });
}

describe('price discounts derived from a gross price, in exact decimals', () => {
  it.each([
    [1000, 999.999, '0.001', '1000.00', '999.999'],
    [0.3, 0.1, '0.20', '0.30', '0.10'],
    [1.15, 1.05, '0.10', '1.15', '1.05'],
    [100.07, 99.0001, '1.0699', '100.07', '99.0001'],
  ])('gross %s, net %s: discount %s, and the official rules accept the document', async (grossPrice, unitPrice, discount, gross, net) => {
    const result = await validateSubmission({ mediaType: 'application/json', content: withLine({ grossPrice, unitPrice }) }, official);
    expect(result.valid ? [] : result.issues).toEqual([]);
    if (!result.valid) return;
    const price = /<cac:Price>[\s\S]*?<\/cac:Price>/.exec(result.ehfXml)![0];
    expect(price).toContain(`<cbc:PriceAmount currencyID="NOK">${net}</cbc:PriceAmount>`);
    expect(price).toContain(`<cbc:Amount currencyID="NOK">${discount}</cbc:Amount>`);
    expect(price).toContain(`<cbc:BaseAmount currencyID="NOK">${gross}</cbc:BaseAmount>`);
  });

  it('still rejects a stated discount that does not make gross − discount = net (R046, exact)', async () => {
    const result = await validateSubmission({ mediaType: 'application/json', content: withLine({ grossPrice: 1000, priceDiscount: 0.0011, unitPrice: 999.999 }) }, official);
    expect(result.valid ? [] : result.issues.map((i) => [i.rule, i.path])).toEqual([['PEPPOL-EN16931-R046', '/lines/0/unitPrice']]);
  });
});
