import { describe, expect, it } from 'vitest';
import { buildUbl } from '../../../ehf/ubl-builder.js';
import { CUSTOMIZATION_ID, PROFILE_ID, UBL_NS } from '../../../ehf/peppol-bis.js';
import type { Invoice } from '../../../invoice/model.js';
import { computeTotals } from '../../../invoice/totals.js';
import { line, norwegianInvoice, officialExamples } from '../invoice/fixtures.js';
import { richInvoice } from './rich-invoice.js';
import { childNames, find, findAll, orderViolations, parseForTest } from './schema-order.js';

function build(invoice: Invoice): string {
  return buildUbl(invoice, computeTotals(invoice));
}

describe('buildUbl: structure', () => {
  it('the order check accepts every official example (a check of the check)', () => {
    for (const { name, xml } of officialExamples()) expect(orderViolations(xml), name).toEqual([]);
  });

  it('writes an Invoice in UBL 2.1 schema order', () => {
    expect(orderViolations(build(richInvoice()))).toEqual([]);
    expect(orderViolations(build(norwegianInvoice()))).toEqual([]);
  });

  it('writes a CreditNote in UBL 2.1 schema order', () => {
    const xml = build(richInvoice({ documentType: 'creditNote', typeCode: '381' }));
    expect(orderViolations(xml)).toEqual([]);
    const root = parseForTest(xml);
    expect(root.ns).toBe(UBL_NS.creditNote);
    expect(root.local).toBe('CreditNote');
    expect(childNames(root).slice(0, 8)).toEqual([
      'cbc:CustomizationID',
      'cbc:ProfileID',
      'cbc:ID',
      'cbc:IssueDate',
      'cbc:TaxPointDate', // before the type code in CreditNoteType
      'cbc:CreditNoteTypeCode',
      'cbc:Note',
      'cbc:DocumentCurrencyCode',
    ]);
    expect(childNames(root)).not.toContain('cbc:DueDate');
    expect(find(root, 'cac:PaymentMeans', 'cbc:PaymentDueDate')?.text).toBe('2026-07-16');
    expect(findAll(root, 'cac:CreditNoteLine')).toHaveLength(3);
    expect(findAll(root, 'cbc:CreditedQuantity').map((q) => q.text)).toEqual(['10', '2.5', '1']);
    expect(childNames(root)).not.toContain('cac:ProjectReference');
    const project = findAll(root, 'cac:AdditionalDocumentReference').find((ref) => find(ref, 'cbc:DocumentTypeCode')?.text === '50');
    expect(find(project, 'cbc:ID')?.text).toBe('Prosjekt X');
  });

  it('declares the UBL namespaces and uses them for every element', () => {
    const xml = build(richInvoice());
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain(`<Invoice xmlns="${UBL_NS.invoice}" xmlns:cac="${UBL_NS.cac}" xmlns:cbc="${UBL_NS.cbc}">`);
    const root = parseForTest(xml);
    expect(root.ns).toBe(UBL_NS.invoice);
    const all = (e: typeof root): (typeof root)[] => [e, ...e.children.flatMap(all)];
    for (const element of all(root).slice(1)) expect([UBL_NS.cac, UBL_NS.cbc]).toContain(element.ns);
  });
});

describe('buildUbl: content', () => {
  const root = parseForTest(build(richInvoice()));
  const seller = find(root, 'cac:AccountingSupplierParty', 'cac:Party');

  it('identifies the document as Peppol BIS Billing 3.0 / EHF 3.0', () => {
    expect(find(root, 'cbc:CustomizationID')?.text).toBe(CUSTOMIZATION_ID);
    expect(find(root, 'cbc:ProfileID')?.text).toBe(PROFILE_ID);
    expect(find(root, 'cbc:InvoiceTypeCode')?.text).toBe('380');
  });

  it('writes the seller as EHF wants it: 0192 endpoint, NO…MVA, Foretaksregisteret, org number', () => {
    expect(find(seller, 'cbc:EndpointID')?.attributes).toEqual({ schemeID: '0192' });
    expect(find(seller, 'cbc:EndpointID')?.text).toBe('123456785');
    const schemes = seller!.children.filter((c) => c.local === 'PartyTaxScheme');
    expect(schemes.map((s) => [find(s, 'cbc:CompanyID')?.text, find(s, 'cac:TaxScheme', 'cbc:ID')?.text])).toEqual([
      ['NO123456785MVA', 'VAT'],
      ['Foretaksregisteret', 'TAX'],
    ]);
    const legal = find(seller, 'cac:PartyLegalEntity');
    expect(find(legal, 'cbc:RegistrationName')?.text).toBe('Leverandør Holding AS');
    expect(find(legal, 'cbc:CompanyID')?.attributes).toEqual({ schemeID: '0192' });
    expect(find(seller, 'cac:PartyName', 'cbc:Name')?.text).toBe('Leverandør AS');
  });

  it('payment means with the KID as PaymentID and the payee account', () => {
    const means = find(root, 'cac:PaymentMeans');
    expect(childNames(means)).toEqual(['cbc:PaymentMeansCode', 'cbc:PaymentID', 'cac:PayeeFinancialAccount']);
    expect(find(means, 'cbc:PaymentMeansCode')?.text).toBe('30');
    expect(find(means, 'cbc:PaymentID')?.text).toBe('2345676');
    expect(find(means, 'cac:PayeeFinancialAccount', 'cbc:ID')?.text).toBe('86011117947');
    expect(find(means, 'cac:PayeeFinancialAccount', 'cac:FinancialInstitutionBranch', 'cbc:ID')?.text).toBe('DNBANOKK');
  });

  it('defaults the means code to 31 and prefers the IBAN, as the Norwegian BIS example does', () => {
    const means = find(parseForTest(build(norwegianInvoice({ payment: { kid: '2345676', account: '86011117947', iban: 'NO9386011117947' } }))), 'cac:PaymentMeans');
    expect(find(means, 'cbc:PaymentMeansCode')?.text).toBe('31');
    expect(find(means, 'cac:PayeeFinancialAccount', 'cbc:ID')?.text).toBe('NO9386011117947');
  });

  it('writes every amount with the currency and two decimals, and totals from computeTotals', () => {
    const amounts = findAll(root, 'cbc:Amount')
      .concat(['cbc:TaxAmount', 'cbc:TaxableAmount', 'cbc:LineExtensionAmount', 'cbc:PayableAmount', 'cbc:BaseAmount'].flatMap((n) => findAll(root, n)))
      .filter((a) => a.attributes.currencyID !== 'EUR');
    expect(amounts.length).toBeGreaterThan(15);
    for (const amount of amounts) {
      expect(amount.attributes.currencyID).toBe('NOK');
      expect(amount.text).toMatch(/^-?\d+\.\d{2}$/);
    }
    const totals = computeTotals(richInvoice());
    const monetary = find(root, 'cac:LegalMonetaryTotal');
    expect(childNames(monetary)).toEqual([
      'cbc:LineExtensionAmount',
      'cbc:TaxExclusiveAmount',
      'cbc:TaxInclusiveAmount',
      'cbc:AllowanceTotalAmount',
      'cbc:ChargeTotalAmount',
      'cbc:PrepaidAmount',
      'cbc:PayableRoundingAmount',
      'cbc:PayableAmount',
    ]);
    expect(find(monetary, 'cbc:PayableAmount')?.text).toBe(totals.payableAmount.toFixed(2));
    // The tax-currency total stands alone in a second TaxTotal (PEPPOL-EN16931-R054).
    const taxTotals = root.children.filter((c) => c.local === 'TaxTotal');
    expect(taxTotals).toHaveLength(2);
    expect(childNames(taxTotals[1])).toEqual(['cbc:TaxAmount']);
    expect(find(taxTotals[1], 'cbc:TaxAmount')?.attributes.currencyID).toBe('EUR');
  });

  it('writes the VAT breakdown with exemption reasons, and no Percent for O (BR-O-05)', () => {
    const subtotals = findAll(root, 'cac:TaxSubtotal');
    expect(subtotals.map((s) => [find(s, 'cac:TaxCategory', 'cbc:ID')?.text, find(s, 'cac:TaxCategory', 'cbc:Percent')?.text])).toEqual([
      ['S', '25'],
      ['S', '15'],
      ['E', '0'],
    ]);
    expect(find(subtotals[2], 'cac:TaxCategory', 'cbc:TaxExemptionReason')?.text).toMatch(/^Unntatt/);
    const outside = parseForTest(
      build(norwegianInvoice({ supplier: { ...norwegianInvoice().supplier, vatId: undefined }, lines: [line({ taxCode: 'O', vatRate: 0 })] })),
    );
    expect(findAll(outside, 'cbc:Percent')).toEqual([]);
    expect(find(findAll(outside, 'cac:TaxSubtotal')[0], 'cac:TaxCategory', 'cbc:TaxExemptionReasonCode')?.text).toBe('VATEX-EU-O');
  });

  it('writes the price discount and base quantity on the price', () => {
    const price = find(findAll(root, 'cac:InvoiceLine')[0], 'cac:Price');
    expect(childNames(price)).toEqual(['cbc:PriceAmount', 'cbc:BaseQuantity', 'cac:AllowanceCharge']);
    expect(find(price, 'cbc:PriceAmount')?.text).toBe('90.00');
    expect(find(price, 'cbc:BaseQuantity')?.attributes.unitCode).toBe('HUR');
    expect(find(price, 'cac:AllowanceCharge', 'cbc:BaseAmount')?.text).toBe('100.00');
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    const xml = build(norwegianInvoice({ lines: [line({ description: 'Rør & <koblinger> "A"\u0001' })] }));
    expect(xml).toContain('Rør &amp; &lt;koblinger&gt; "A"</cbc:Name>');
    expect(find(findAll(parseForTest(xml), 'cac:Item')[0], 'cbc:Name')?.text).toBe('Rør & <koblinger> "A"');
  });

  it('omits what is not there: no empty elements (PEPPOL-EN16931-R008)', () => {
    const xml = build(norwegianInvoice({ payment: undefined, buyerReference: undefined }));
    expect(xml).not.toMatch(/<[^>]+\/>/);
    expect(xml).not.toMatch(/<(cac|cbc):(\w+)[^>]*><\/\1:\2>/);
    expect(xml).not.toContain('PaymentMeans');
  });
});
