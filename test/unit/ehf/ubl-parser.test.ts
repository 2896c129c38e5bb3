import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_ID } from '../../../ehf/peppol-bis.js';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { parseUbl } from '../../../ehf/ubl-parser.js';
import { MAX_XML_BYTES } from '../../../ehf/xml-tree.js';
import { checkInvoice } from '../../../invoice/checks.js';
import { computeTotals } from '../../../invoice/totals.js';
import { isFatal } from '../../../validation/issue.js';
import { NORWEGIAN_EXAMPLE, line, norwegianInvoice } from '../invoice/fixtures.js';
import { richInvoice } from './rich-invoice.js';

const norwegianExample = readFileSync(NORWEGIAN_EXAMPLE, 'utf8');
const rules = (xml: string) => parseUbl(xml).issues.map((i) => i.rule);

describe('parseUbl: safe reading', () => {
  it('refuses a DOCTYPE before parsing (billion laughs, XXE)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>`;
    expect(parseUbl(laughs)).toEqual({ issues: [expect.objectContaining({ rule: 'FF-XML-DOCTYPE', severity: 'fatal' })] });
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Invoice>&xxe;</Invoice>`;
    expect(rules(xxe)).toEqual(['FF-XML-DOCTYPE']);
  });

  it('refuses documents over 10 MB without parsing them', () => {
    const huge = `<Invoice>${' '.repeat(MAX_XML_BYTES)}</Invoice>`;
    expect(rules(huge)).toEqual(['FF-XML-SIZE']);
  });

  it('refuses XML that is not well-formed, with the line and column', () => {
    const result = parseUbl('<Invoice>\n  <a></b>\n</Invoice>');
    expect(result.issues).toEqual([expect.objectContaining({ rule: 'FF-XML-MALFORMED', path: expect.stringMatching(/^line 2, column \d+$/) })]);
    expect(rules('<a/><b/>')).toEqual(['FF-XML-MALFORMED']);
    expect(rules('<Invoice>&undefined;</Invoice>')).toEqual(['FF-XML-MALFORMED']);
  });

  it('refuses anything but a UBL Invoice or CreditNote', () => {
    expect(rules('<Invoice xmlns="urn:example"/>')).toEqual(['FF-XML-ROOT']);
    expect(rules('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>')).toEqual(['FF-XML-ROOT']);
  });

  it('decodes the predefined entities, character references and CDATA, and nothing else', () => {
    const xml = norwegianExample.replace('<cbc:Name>Laptop computer</cbc:Name>', '<cbc:Name>Rør &amp; kobling &#x2013; &#65;<![CDATA[ <b>&amp;</b>]]></cbc:Name>');
    expect(parseUbl(xml).invoice!.lines[0]!.description).toBe('Rør & kobling – A <b>&amp;</b>');
  });

  it('reads by namespace, whatever the prefixes', () => {
    const renamed = norwegianExample
      .replace('xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"', 'xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')
      .replace('xmlns:cac=', 'xmlns:a=')
      .replace('xmlns:cbc=', 'xmlns:b=')
      .replace(/<(\/?)cac:/g, '<$1a:')
      .replace(/<(\/?)cbc:/g, '<$1b:')
      .replace(/<(\/?)Invoice\b/g, '<$1inv:Invoice');
    expect(renamed).toContain('<inv:Invoice xmlns:inv=');
    expect(renamed).toContain('<b:ID>TOSL108</b:ID>');
    const result = parseUbl(renamed);
    expect(result.issues.filter(isFatal)).toEqual([]);
    expect(result.invoice).toEqual(parseUbl(norwegianExample).invoice);
  });

  it('does not read elements from a foreign namespace as UBL', () => {
    const xml = norwegianExample.replace('<cbc:ID>TOSL108</cbc:ID>', '<x:ID xmlns:x="urn:example">TOSL108</x:ID>');
    expect(rules(xml)).toContain('BR-02');
  });
});

describe('parseUbl: mapping', () => {
  it('maps the OpenPEPPOL Norwegian example onto the model', () => {
    const { invoice, issues } = parseUbl(norwegianExample);
    // TaxRepresentativeParty; its PaymentID 0003434323213231 under means code 31 passes neither KID rule (issue 8).
    expect(issues.map((i) => `${i.rule} ${i.severity}`)).toEqual(['FF-XML-NOT-MAPPED warning', 'FF-KID warning']);
    expect(invoice).toMatchObject({
      documentType: 'invoice',
      typeCode: '380',
      invoiceNumber: 'TOSL108',
      currency: 'NOK',
      buyerReference: '3150bdn',
      supplier: {
        name: 'Salescompany ltd.',
        legalName: 'The Sellercompany ASA',
        taxId: '123456785',
        vatId: 'NO123456785MVA',
        vatRegistered: true,
        foretaksregisteret: true,
        endpointId: '123456785',
        endpointSchemeId: '0192',
      },
      buyer: { kind: 'business', taxId: '987654325', vatId: 'NO987654325MVA' },
      payee: { name: 'Ebeneser Scrooge AS', taxId: '999999999' },
      payment: { meansCode: '31', iban: 'NO9386011117947', bic: 'DNBANOKK' },
      prepaidAmount: 1000,
      roundingAmount: 0.22,
    });
    expect(invoice!.lines[0]).toMatchObject({ unitPrice: 1273, grossPrice: 1500, priceDiscount: 227, lineNetAmount: 1273, unitCode: 'NAR' });
    expect(invoice!.vatExemptions).toEqual([{ category: 'E', exemptionReason: 'Exempt New Means of Transport' }]);
  });

  it('an ERP EHF accepted as is: the Norwegian example passes our checks', () => {
    const invoice = parseUbl(norwegianExample).invoice!;
    const findings = checkInvoice(invoice, computeTotals(invoice));
    expect(findings.filter(isFatal)).toEqual([]);
  });

  it('keeps a KID as kid and other references as remittance information', () => {
    const withReference = (id: string) => parseUbl(norwegianExample.replace('0003434323213231', id)).invoice!.payment!;
    expect(withReference('2345676')).toMatchObject({ kid: '2345676' });
    expect(withReference('TOSL108')).toMatchObject({ remittanceInformation: 'TOSL108' });
    expect(withReference('TOSL108').kid).toBeUndefined();
  });

  it('sorts the payee account into BBAN, IBAN or other', () => {
    const withAccount = (id: string) => parseUbl(norwegianExample.replace('NO9386011117947', id)).invoice!.payment!;
    expect(withAccount('8601.11.17947')).toMatchObject({ account: '86011117947' });
    expect(withAccount('DE89370400440532013000')).toMatchObject({ iban: 'DE89370400440532013000' });
    expect(withAccount('5050-1055')).toMatchObject({ otherAccount: '5050-1055' });
  });

  it('turns the document totals into suppliedTotals, so checks compare them', () => {
    const broken = norwegianExample.replace('<cbc:PayableAmount currencyID="NOK">802.00</cbc:PayableAmount>', '<cbc:PayableAmount currencyID="NOK">800.00</cbc:PayableAmount>');
    const invoice = parseUbl(broken).invoice!;
    expect(invoice.suppliedTotals!.payableAmount).toBe(800);
    expect(checkInvoice(invoice, computeTotals(invoice)).map((i) => i.rule)).toContain('BR-CO-16');
  });

  it('reports structural errors with the rule ids and XPath-like paths', () => {
    const noLines = norwegianExample.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, '');
    expect(parseUbl(noLines).issues).toContainEqual(expect.objectContaining({ rule: 'BR-16', path: '/Invoice/cac:InvoiceLine' }));
    const badAmount = norwegianExample.replace('<cbc:PriceAmount currencyID="NOK">0.75</cbc:PriceAmount>', '<cbc:PriceAmount currencyID="NOK">0,75</cbc:PriceAmount>');
    expect(parseUbl(badAmount).issues).toContainEqual(expect.objectContaining({ rule: 'FF-XML-NUMBER', path: '/Invoice/cac:InvoiceLine[5]/cac:Price/cbc:PriceAmount' }));
    const foreignCurrency = norwegianExample.replace('<cbc:PriceAmount currencyID="NOK">0.75', '<cbc:PriceAmount currencyID="SEK">0.75');
    expect(rules(foreignCurrency)).toContain('PEPPOL-EN16931-R051');
    const otherCustomization = norwegianExample.replace('poacc:billing:3.0</cbc:CustomizationID>', 'poacc:billing:2.0</cbc:CustomizationID>');
    expect(rules(otherCustomization)).toContain('PEPPOL-EN16931-R004');
    const debitNote = norwegianExample.replace('<cbc:InvoiceTypeCode>380', '<cbc:InvoiceTypeCode>383');
    expect(rules(debitNote)).toContain('FF-XML-TYPE-CODE');
  });

  it('reads back everything the builder writes', () => {
    for (const invoice of [richInvoice(), richInvoice({ documentType: 'creditNote', typeCode: '381' }), norwegianInvoice({ lines: [line({ taxCode: 'O', vatRate: 0 })] })]) {
      const totals = computeTotals(invoice);
      const { invoice: back, issues } = parseUbl(buildUbl(invoice, totals));
      expect(issues.filter(isFatal)).toEqual([]);
      const { suppliedTotals, ...rest } = back!;
      // What the document states on top of the model: the business process and payment means code (defaults),
      // the exemption reasons it carries in the VAT breakdown, its totals and each line's net amount.
      const exemptions = totals.vatBreakdown
        .filter((group) => group.exemptionReason !== undefined || group.exemptionReasonCode !== undefined)
        .map(({ category, exemptionReason, exemptionReasonCode }) => JSON.parse(JSON.stringify({ category, exemptionReason, exemptionReasonCode })));
      expect({ ...rest, lines: rest.lines.map(({ lineNetAmount, ...l }) => l) }).toEqual({
        ...invoice,
        profileId: PROFILE_ID,
        vatExemptions: exemptions,
        payment: { meansCode: '31', ...invoice.payment },
      });
      expect(rest.lines.map((l) => l.lineNetAmount)).toEqual(totals.lineNetAmounts);
      expect(suppliedTotals).toMatchObject({ payableAmount: totals.payableAmount, taxAmount: totals.taxAmount, vatBreakdown: totals.vatBreakdown });
    }
  });
});
