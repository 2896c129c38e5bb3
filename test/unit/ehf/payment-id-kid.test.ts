// Issue 8, defect 4: a numeric PaymentID under payment means 31 or 58 that fails both KID check digit rules is not
// silently taken as remittance text: FF-KID warns (the payer's bank will refuse it as a KID), the warning travels
// with the accepted document, and the PaymentID stays remittance information in our model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { parseUbl } from '../../../ehf/ubl-parser.js';
import { generate } from '../../../identifiers/no/kid.js';
import { validateSubmission, type OfficialValidator } from '../../../validation/submission.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
// Its PaymentID 0003434323213231 passes neither MOD10 (…239) nor MOD11 (…233).
const norwegian = readFileSync(join(conformance, 'openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml'), 'utf8');
const official: OfficialValidator = async (xml) => (await validateUblOfficial(xml)).issues;

function withPayment(meansCode: string, paymentId: string): string {
  const xml = norwegian
    .replace('<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>', `<cbc:PaymentMeansCode>${meansCode}</cbc:PaymentMeansCode>`)
    .replace('<cbc:PaymentID>0003434323213231</cbc:PaymentID>', `<cbc:PaymentID>${paymentId}</cbc:PaymentID>`);
  if (!xml.includes(`<cbc:PaymentMeansCode>${meansCode}<`) || !xml.includes(`<cbc:PaymentID>${paymentId}<`)) throw new Error('mutation failed');
  return xml;
}

const kidWarnings = (xml: string) => parseUbl(xml).issues.filter((i) => i.rule === 'FF-KID');

describe('FF-KID for a PaymentID in XML', () => {
  it.each(['31', '58'])('warns for a numeric PaymentID failing MOD10 and MOD11 under means code %s, at the PaymentID', (code) => {
    const xml = withPayment(code, '0003434323213231');
    expect(kidWarnings(xml)).toEqual([
      {
        rule: 'FF-KID',
        severity: 'warning',
        message: expect.stringContaining('fails both KID check digit rules (MOD10 and MOD11)'),
        path: '/Invoice/cac:PaymentMeans/cbc:PaymentID',
      },
    ]);
    const { invoice } = parseUbl(xml);
    expect(invoice?.payment).toMatchObject({ remittanceInformation: '0003434323213231' });
    expect(invoice?.payment?.kid).toBeUndefined();
  });

  it.each([
    ['a valid MOD10 KID', '31', generate('000343432321323', 'MOD10')],
    ['a valid MOD11 KID', '58', generate('000343432321323', 'MOD11')],
    ['remittance text that is not all digits', '31', 'Invoice 2026-0042'],
    ['a numeric PaymentID under means code 30 (credit transfer, no KID contract implied)', '30', '0003434323213231'],
  ])('does not warn for %s', (_, code, paymentId) => {
    expect(kidWarnings(withPayment(code, paymentId))).toEqual([]);
  });

  it('reads a valid KID as the KID', () => {
    const valid = generate('000343432321323', 'MOD11');
    expect(parseUbl(withPayment('31', valid)).invoice?.payment).toMatchObject({ kid: valid });
  });

  it('accepts the document with the warning among the warnings it is kept with', async () => {
    const result = await validateSubmission({ mediaType: 'application/xml', content: norwegian }, official);
    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.warnings.filter((i) => i.rule === 'FF-KID')).toEqual([expect.objectContaining({ severity: 'warning', path: '/Invoice/cac:PaymentMeans/cbc:PaymentID' })]);
  });
});
