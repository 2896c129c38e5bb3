/** Reading a UBL ApplicationResponse: MLR and Invoice Response codes, reasons, the referenced document, the time. */
import { describe, expect, it } from 'vitest';
import { ApplicationResponseError, parseApplicationResponse } from '../../../channels/peppol/application-response.js';
import { invoiceResponse, messageLevelResponse } from '../../support/application-responses.js';

describe('parseApplicationResponse', () => {
  it('refuses a DOCTYPE (entity expansion, external entities) before the parser reads it', () => {
    const xml = messageLevelResponse({ sbdhInstanceId: '1e37cbac-a195-88c0-9d35-363c513d62ff', code: 'RE', reasonCode: 'BV', description: '&big;' });
    const withDtd = xml.replace(/(<\?xml[^>]*\?>)?/, (decl) => `${decl}<!DOCTYPE ApplicationResponse [<!ENTITY big "${'x'.repeat(1000)}">]>`);
    expect(() => parseApplicationResponse(withDtd)).toThrow(ApplicationResponseError);
    try {
      parseApplicationResponse(withDtd);
    } catch (err) {
      expect((err as ApplicationResponseError).issues).toEqual([expect.objectContaining({ rule: 'FF-XML-DOCTYPE' })]);
    }
  });

  it('reads an MLR rejection with its line reason, referencing our SBDH instance id', () => {
    const parsed = parseApplicationResponse(messageLevelResponse({ sbdhInstanceId: '1e37cbac-a195-88c0-9d35-363c513d62ff', code: 'RE', reasonCode: 'BV', description: 'BR-CO-15 failed' }));
    expect(parsed).toEqual({
      kind: 'mls',
      code: 'RE',
      reason: 'BV',
      at: '2026-11-03T10:15:00.000Z',
      documentReference: '1e37cbac-a195-88c0-9d35-363c513d62ff',
      documentType: undefined,
      receiver: '0192:123456785',
    });
  });

  it('reads an Invoice Response with reason and action, the invoice number and the supplier', () => {
    const parsed = parseApplicationResponse(invoiceResponse({ invoiceNumber: '2026-0042', supplierOrg: '123456785', code: 'RE', reasonCode: 'REF', reason: 'Ukjent innkjøpsordre', action: 'NIN', date: '2026-11-05' }));
    expect(parsed).toMatchObject({
      kind: 'invoice_response',
      code: 'RE',
      reason: 'REF Ukjent innkjøpsordre; NIN',
      at: '2026-11-05T12:00:00.000Z',
      documentReference: '2026-0042',
      documentType: 'invoice',
      receiver: '0192:123456785',
    });
    expect(parseApplicationResponse(invoiceResponse({ invoiceNumber: '7', supplierOrg: '123456785', code: 'PD' }))).toMatchObject({ code: 'PD', reason: undefined });
  });

  it('refuses what is not an MLR or Invoice Response, with rule ids', () => {
    const failure = (xml: string) => {
      try {
        parseApplicationResponse(xml);
      } catch (err) {
        expect(err).toBeInstanceOf(ApplicationResponseError);
        return (err as ApplicationResponseError).issues.map((i) => i.rule);
      }
      throw new Error('parsed');
    };
    expect(failure('<ApplicationResponse><oops></ApplicationResponse>')).toEqual(['FF-XML-SYNTAX']);
    expect(failure('<Invoice/>')).toEqual(['FF-PEPPOL-RESPONSE-ROOT']);
    expect(failure(messageLevelResponse({ sbdhInstanceId: 'x', code: 'AP' }).replace('trns:mlr:3', 'trns:other:1'))).toEqual(['FF-PEPPOL-RESPONSE-CUSTOMIZATION']);
    expect(failure(messageLevelResponse({ sbdhInstanceId: 'x', code: 'AP' }).replace(/<cac:DocumentReference>.*<\/cac:DocumentReference>/, ''))).toEqual(['FF-PEPPOL-RESPONSE-REFERENCE']);
  });
});
