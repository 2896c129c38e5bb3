/** checkInvoice error paths: each case breaks one rule and expects exactly its rule id at its path. */
import { describe, expect, it } from 'vitest';
import { checkInvoice } from '../../../invoice/checks.js';
import type { Invoice } from '../../../invoice/model.js';
import { computeTotals } from '../../../invoice/totals.js';
import type { ValidationIssue } from '../../../validation/issue.js';
import { line, norwegianInvoice } from './fixtures.js';

function check(invoice: Invoice): ValidationIssue[] {
  return checkInvoice(invoice, computeTotals(invoice));
}

const found = (issues: ValidationIssue[]) => issues.map((i) => `${i.rule} ${i.path}${i.severity === 'warning' ? ' (warning)' : ''}`);

const withSupplier = (changes: Partial<Invoice['supplier']>) => norwegianInvoice({ supplier: { ...norwegianInvoice().supplier, ...changes } });
const withBuyer = (changes: Partial<Invoice['buyer']>) => norwegianInvoice({ buyer: { ...norwegianInvoice().buyer, ...changes } });
const withPayment = (changes: Partial<NonNullable<Invoice['payment']>>) => norwegianInvoice({ payment: { ...norwegianInvoice().payment, ...changes } });

describe('checkInvoice', () => {
  it('accepts the valid fixture without any finding', () => {
    expect(check(norwegianInvoice())).toEqual([]);
  });

  describe('identifiers', () => {
    it.each<[string, Invoice, string[]]>([
      ['seller org number MOD11', withSupplier({ taxId: '123456789', vatId: 'NO123456785MVA' }), ['PEPPOL-COMMON-R041 /supplier/taxId', 'FF-VATID-ORGNR /supplier/vatId (warning)']],
      ['0192 endpoint MOD11', withBuyer({ endpointId: '987654321' }), ['PEPPOL-COMMON-R041 /buyer/endpointId']],
      ['endpoint without scheme', withBuyer({ endpointSchemeId: undefined }), ['BR-63 /buyer/endpointSchemeId']],
      ['endpoint scheme not in EAS', withSupplier({ endpointSchemeId: '9999' }), ['PEPPOL-EN16931-CL008 /supplier/endpointSchemeId']],
      ['seller VAT id (NO-R-001)', withSupplier({ vatId: 'NO123456784MVA' }), ['NO-R-001 /supplier/vatId']],
      ['VAT id without country prefix (BR-CO-09)', withSupplier({ vatId: '123456785MVA' }), ['BR-CO-09 /supplier/vatId']],
      ['GLN check digit (PEPPOL-COMMON-R040)', withSupplier({ identifier: { id: '7080000000001', schemeId: '0088' } }), ['PEPPOL-COMMON-R040 /supplier/identifier/id']],
      ['Foretaksregisteret unknown (NO-R-002)', withSupplier({ foretaksregisteret: undefined }), ['NO-R-002 /supplier/foretaksregisteret (warning)']],
      ['consumer national id', withBuyer({ kind: 'consumer', nationalId: '31129956716' }), ['FF-FODSELSNUMMER /buyer/nationalId']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('never repeats a national id in its message (personal data)', () => {
      const [finding] = check(withBuyer({ kind: 'consumer', nationalId: '31129956716' }));
      expect(finding!.message).not.toContain('31129956716');
    });
  });

  describe('payment', () => {
    it('accepts MOD10 and MOD11 KIDs, including a MOD11 hyphen', () => {
      for (const kid of ['2345676', '12345678903', '40-', '123450006788']) expect(check(withPayment({ kid }))).toEqual([]);
    });

    it.each<[string, Invoice, string[]]>([
      ['KID check digit', withPayment({ kid: '2345677' }), ['FF-KID /payment/kid']],
      ['KID without account', norwegianInvoice({ payment: { kid: '2345676', terms: '30 dager' } }), ['FF-PAYMENT-ACCOUNT /payment/account']],
      ['BBAN check digit', withPayment({ account: '86011117949' }), ['FF-KONTONR /payment/account']],
      ['IBAN check digits', withPayment({ account: undefined, iban: 'NO9486011117947' }), ['FF-IBAN /payment/iban']],
      ['IBAN and BBAN are different accounts', withPayment({ iban: 'NO9386011117947', account: '12345678903' }), ['FF-IBAN /payment/iban']],
      ['credit transfer without account (BR-61)', norwegianInvoice({ payment: { meansCode: '30', terms: 'x' } }), ['BR-61 /payment/account']],
      ['unknown means code', withPayment({ meansCode: '999' }), ['BR-CL-16 /payment/meansCode']],
      ['BIC format', withPayment({ bic: 'DNB' }), ['FF-BIC /payment/bic (warning)']],
      ['nothing to pay to', norwegianInvoice({ payment: { terms: '30 dager' } }), ['FF-PAYMENT-ACCOUNT /payment (warning)']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('a foreign IBAN is checked by MOD 97-10 only', () => {
      expect(check(withPayment({ account: undefined, iban: 'DE89370400440532013000' }))).toEqual([]);
    });
  });

  describe('document', () => {
    it.each<[string, Invoice, string[]]>([
      ['no lines (BR-16)', norwegianInvoice({ lines: [] }), ['BR-16 /lines']],
      ['neither due date nor terms (BR-CO-25)', norwegianInvoice({ dueDate: undefined, payment: { account: '86011117947' } }), ['BR-CO-25 /dueDate']],
      ['impossible date (PEPPOL-EN16931-F001)', norwegianInvoice({ issueDate: '2026-02-30' }), ['PEPPOL-EN16931-F001 /issueDate']],
      ['due before issue', norwegianInvoice({ dueDate: '2026-06-01' }), ['FF-DUE-DATE /dueDate (warning)']],
      ['currency code (BR-CL-04)', norwegianInvoice({ currency: 'KRN' }), ['BR-CL-04 /currency']],
      ['tax currency equal to document currency', norwegianInvoice({ taxCurrency: 'NOK', taxAmountInTaxCurrency: 250 }), ['PEPPOL-EN16931-R005 /taxCurrency']],
      ['tax currency without amount (BR-53)', norwegianInvoice({ taxCurrency: 'EUR' }), ['BR-53 /taxAmountInTaxCurrency']],
      ['corrected invoice 384 (PEPPOL-EN16931-P0112)', norwegianInvoice({ typeCode: '384', billingReferences: [{ id: '1' }] }), ['PEPPOL-EN16931-P0112 /typeCode']],
      [
        'corrected invoice 384 between German parties: allowed',
        (() => {
          const invoice = norwegianInvoice({ typeCode: '384', billingReferences: [{ id: '1' }] });
          return { ...invoice, supplier: { ...invoice.supplier, address: { country: 'DE' } }, buyer: { ...invoice.buyer, address: { country: 'DE' } } };
        })(),
        [],
      ],
      ['credit note with type 380', norwegianInvoice({ documentType: 'creditNote', billingReferences: [{ id: '1' }] }), ['FF-TYPE-CODE /typeCode']],
      ['two notes (PEPPOL-EN16931-R002)', norwegianInvoice({ notes: ['a', 'b'] }), ['PEPPOL-EN16931-R002 /notes']],
      ['unknown business process', norwegianInvoice({ profileId: 'urn:example' }), ['PEPPOL-EN16931-R007 /profileId']],
      ['invoicing period backwards (BR-29)', norwegianInvoice({ invoicePeriod: { start: '2026-06-30', end: '2026-06-01' } }), ['BR-29 /invoicePeriod/end']],
      ['embedded attachment MIME code', norwegianInvoice({ attachments: [{ id: 'A1', contentBase64: 'AA==', mimeCode: 'application/zip', filename: 'a.zip' }] }), ['PEPPOL-EN16931-CL001 /attachments/0/mimeCode']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('credit note without a billing reference: a warning (bokføringsforskriften § 5-2-8)', () => {
      const creditNote = norwegianInvoice({ documentType: 'creditNote', typeCode: '381', dueDate: undefined });
      expect(found(check(creditNote))).toEqual(['FF-CREDIT-NOTE-REFERENCE /billingReferences (warning)']);
      expect(check({ ...creditNote, billingReferences: [{ id: '2026-0041', issueDate: '2026-06-01' }] })).toEqual([]);
      const withDueDate = { ...creditNote, billingReferences: [{ id: '2026-0041' }], dueDate: '2026-07-01', payment: undefined };
      expect(found(check(withDueDate))).toEqual(['FF-CREDIT-NOTE-DUE-DATE /dueDate (warning)']);
    });

    it('buyer reference: required for public buyers; for others it or an order reference (PEPPOL-EN16931-R003, fatal)', () => {
      const publicBuyer = { ...norwegianInvoice().buyer, kind: 'public' as const };
      expect(found(check(norwegianInvoice({ buyer: publicBuyer, buyerReference: undefined })))).toEqual(['PEPPOL-EN16931-R003 /buyerReference']);
      expect(found(check(norwegianInvoice({ buyer: publicBuyer, buyerReference: undefined, orderReference: 'PO-7' })))).toEqual([
        'FF-PUBLIC-BUYER-REFERENCE /buyerReference',
      ]);
      expect(found(check(norwegianInvoice({ buyerReference: undefined })))).toEqual(['PEPPOL-EN16931-R003 /buyerReference']);
      expect(check(norwegianInvoice({ buyerReference: undefined, orderReference: 'PO-7' }))).toEqual([]);
      const consumer = { name: 'Ola Nordmann', kind: 'consumer' as const, address: { country: 'NO' } };
      expect(found(check(norwegianInvoice({ buyer: consumer, buyerReference: undefined })))).toEqual(['PEPPOL-EN16931-R003 /buyerReference']);
      expect(check(norwegianInvoice({ buyer: consumer, buyerReference: undefined, orderReference: 'PO-7' }))).toEqual([]);
    });

    it('a public buyer must have an electronic address', () => {
      expect(found(check(withBuyer({ kind: 'public', endpointId: undefined, endpointSchemeId: undefined })))).toEqual(['PEPPOL-EN16931-R010 /buyer/endpointId']);
      expect(found(check(withBuyer({ endpointId: undefined, endpointSchemeId: undefined })))).toEqual(['PEPPOL-EN16931-R010 /buyer/endpointId (warning)']);
    });
  });

  describe('lines', () => {
    it.each<[string, Invoice, string[]]>([
      ['S with rate 0 (BR-S-05)', norwegianInvoice({ lines: [line({ vatRate: 0 })] }), ['BR-S-05 /lines/0/vatRate']],
      ['Z with a rate (BR-Z-05)', norwegianInvoice({ lines: [line({ taxCode: 'Z', vatRate: 25 })] }), ['BR-Z-05 /lines/0/vatRate']],
      ['E with a rate (BR-E-05)', norwegianInvoice({ lines: [line({ taxCode: 'E', vatRate: 15 })] }), ['BR-E-05 /lines/0/vatRate']],
      ['K with a rate (BR-IC-05)', norwegianInvoice({ lines: [line({ taxCode: 'K', vatRate: 25 })], buyer: { ...norwegianInvoice().buyer, vatId: 'SE556677889901' }, delivery: { date: '2026-06-10', address: { country: 'SE' } } }), ['BR-IC-05 /lines/0/vatRate']],
      ['not a Norwegian rate', norwegianInvoice({ lines: [line({ vatRate: 24 })] }), ['FF-NO-VAT-RATE /lines/0/vatRate (warning)']],
      ['negative net price (BR-27)', norwegianInvoice({ lines: [line({ unitPrice: -5, quantity: -1 })] }), ['BR-27 /lines/0/unitPrice']],
      ['base quantity 0 (PEPPOL-EN16931-R121)', norwegianInvoice({ lines: [line({ baseQuantity: 0 })] }), ['PEPPOL-EN16931-R121 /lines/0/baseQuantity']],
      ['gross − discount ≠ net (PEPPOL-EN16931-R046)', norwegianInvoice({ lines: [line({ grossPrice: 1200, priceDiscount: 100 })] }), ['PEPPOL-EN16931-R046 /lines/0/unitPrice']],
      ['duplicate line id', norwegianInvoice({ lines: [line(), line()] }), ['FF-LINE-ID-UNIQUE /lines/1/id']],
      ['line period outside invoice period', norwegianInvoice({ invoicePeriod: { start: '2026-06-01', end: '2026-06-30' }, lines: [line({ period: { start: '2026-05-31', end: '2026-07-01' } })] }), ['PEPPOL-EN16931-R110 /lines/0/period/start', 'PEPPOL-EN16931-R111 /lines/0/period/end']],
      // 3 × 0.335 = 1.005: R120 tolerates 0.02 around the unrounded amount, øre rounding makes it 1.01.
      ['ERP line net amount beyond R120 (± 0.02)', norwegianInvoice({ lines: [line({ quantity: 3, unitPrice: 0.335, lineNetAmount: 0.98 })] }), ['PEPPOL-EN16931-R120 /lines/0/lineNetAmount']],
      ['ERP line net amount within R120 but not rounded to øre (FF-LINE-NET)', norwegianInvoice({ lines: [line({ quantity: 3, unitPrice: 0.335, lineNetAmount: 1 })] }), ['FF-LINE-NET /lines/0/lineNetAmount']],
      ['standard item id without scheme (BR-64)', norwegianInvoice({ lines: [line({ standardItemId: { id: '7311', schemeId: '' } })] }), ['BR-64 /lines/0/standardItemId/schemeId']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('accepts a price with gross price and discount that add up', () => {
      expect(check(norwegianInvoice({ lines: [line({ unitPrice: 410, grossPrice: 450, priceDiscount: 40 })] }))).toEqual([]);
    });

    it('derives the discount from a gross price alone, which cannot be below the net price', () => {
      expect(check(norwegianInvoice({ lines: [line({ unitPrice: 410, grossPrice: 450 })] }))).toEqual([]);
      expect(found(check(norwegianInvoice({ lines: [line({ unitPrice: 500, grossPrice: 450 })] })))).toEqual(['FF-PRICE-DISCOUNT /lines/0/unitPrice']);
    });
  });

  describe('allowances and charges', () => {
    const documentLevel = (extra: object) => norwegianInvoice({ allowanceCharges: [{ charge: false, amount: 100, reason: 'Rabatt', taxCode: 'S', vatRate: 25, ...extra }] });
    it.each<[string, Invoice, string[]]>([
      ['without VAT category (BR-32)', documentLevel({ taxCode: undefined, vatRate: undefined }), ['BR-32 /allowanceCharges/0/taxCode']],
      ['without reason (BR-33)', documentLevel({ reason: undefined }), ['BR-33 /allowanceCharges/0']],
      ['reason code outside UNCL 5189 subset', documentLevel({ reasonCode: 'FC' }), ['PEPPOL-EN16931-CL002 /allowanceCharges/0/reasonCode']],
      ['amount ≠ base × percentage (PEPPOL-EN16931-R040)', documentLevel({ baseAmount: 1000, percentage: 12 }), ['PEPPOL-EN16931-R040 /allowanceCharges/0/amount']],
      // 100 × 3.333 % = 3.333: R040 tolerates ± 0.02 around it, øre rounding makes it 3.33.
      ['amount beyond R040 (± 0.02)', documentLevel({ amount: 3.36, baseAmount: 100, percentage: 3.333 }), ['PEPPOL-EN16931-R040 /allowanceCharges/0/amount']],
      ['amount within R040 but not rounded to øre (FF-ALLOWANCE-AMOUNT)', documentLevel({ amount: 3.35, baseAmount: 100, percentage: 3.333 }), ['FF-ALLOWANCE-AMOUNT /allowanceCharges/0/amount (warning)']],
      ['amount base × percentage rounded to øre', documentLevel({ amount: 3.33, baseAmount: 100, percentage: 3.333 }), []],
      ['percentage without base (PEPPOL-EN16931-R041)', documentLevel({ percentage: 10 }), ['PEPPOL-EN16931-R041 /allowanceCharges/0/baseAmount']],
      ['three decimals (BR-DEC-01)', documentLevel({ amount: 10.005 }), ['BR-DEC-01 /allowanceCharges/0/amount']],
      ['S allowance with rate 0 (BR-S-06)', documentLevel({ vatRate: 0 }), ['BR-S-06 /allowanceCharges/0/vatRate']],
      ['Z charge with a rate (BR-Z-07)', norwegianInvoice({ allowanceCharges: [{ charge: true, amount: 1, reasonCode: 'FC', taxCode: 'Z', vatRate: 25 }] }), ['BR-Z-07 /allowanceCharges/0/vatRate']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('line charge without reason (BR-44)', () => {
      expect(found(check(norwegianInvoice({ lines: [line({ allowanceCharges: [{ charge: true, amount: 5 }] })] })))).toEqual(['BR-44 /lines/0/allowanceCharges/0']);
    });
  });

  describe('VAT categories', () => {
    it.each<[string, Invoice, string[]]>([
      ['S line without seller VAT id (BR-S-02)', withSupplier({ vatId: undefined, vatRegistered: false, foretaksregisteret: false }), ['BR-S-02 /supplier/vatId']],
      ['O line with seller VAT id (BR-O-02)', norwegianInvoice({ lines: [line({ taxCode: 'O', vatRate: 0 })] }), ['BR-O-02 /supplier/vatId']],
      ['exemption reason on S (BR-S-10)', norwegianInvoice({ vatExemptions: [{ category: 'S', exemptionReason: 'x' }] }), ['BR-S-10 /vatExemptions/0']],
      ['VATEX code of another category (PEPPOL-EN16931-P0107)', norwegianInvoice({ lines: [line({ taxCode: 'E', vatRate: 0 })], vatExemptions: [{ category: 'E', exemptionReasonCode: 'VATEX-EU-AE' }] }), ['PEPPOL-EN16931-P0107 /vatExemptions/0/exemptionReasonCode']],
      ['unknown VATEX code (BR-CL-22)', norwegianInvoice({ vatExemptions: [{ category: 'E', exemptionReasonCode: 'VATEX-NO-1' }] }), ['BR-CL-22 /vatExemptions/0/exemptionReasonCode']],
      ['empty exemption (BR-E-10)', norwegianInvoice({ vatExemptions: [{ category: 'E' }] }), ['BR-E-10 /vatExemptions/0']],
      ['intra-community supply without delivery facts (BR-IC-11, BR-IC-12)', norwegianInvoice({ lines: [line({ taxCode: 'K', vatRate: 0 })], buyer: { ...norwegianInvoice().buyer, vatId: 'SE556677889901' } }), ['BR-IC-11 /delivery/date', 'BR-IC-12 /delivery/address/country']],
      ['reverse charge without buyer id (BR-AE-02)', norwegianInvoice({ lines: [line({ taxCode: 'AE', vatRate: 0 })], buyer: { name: 'B', kind: 'business', endpointId: '987654325', endpointSchemeId: '0192', address: { country: 'NO' } } }), ['BR-AE-02 /buyer/vatId']],
    ])('%s', (_, invoice, expected) => {
      expect(found(check(invoice))).toEqual(expected);
    });

    it('not subject to VAT cannot share the invoice with other categories (BR-O-11)', () => {
      const seller = { ...norwegianInvoice().supplier, vatId: undefined, vatRegistered: false, foretaksregisteret: true };
      const invoice = norwegianInvoice({ supplier: seller, lines: [line(), line({ id: '2', taxCode: 'O', vatRate: 0 })] });
      expect(found(check(invoice))).toEqual(['BR-O-11 /lines']);
    });
  });

  describe('ERP-supplied totals: disagreement is an error, never overwritten', () => {
    // The fixture: one line 1000 @ 25 % → 1000 / 1250.
    it.each<[keyof NonNullable<Invoice['suppliedTotals']>, number, string]>([
      ['lineExtensionAmount', 999, 'BR-CO-10'],
      ['allowanceTotalAmount', 5, 'BR-CO-11'],
      ['chargeTotalAmount', 5, 'BR-CO-12'],
      ['taxExclusiveAmount', 1000.01, 'BR-CO-13'],
      ['taxAmount', 250.01, 'BR-CO-14'],
      ['taxInclusiveAmount', 1250.01, 'BR-CO-15'],
      ['payableAmount', 1250.01, 'BR-CO-16'],
    ])('%s → %s', (field, value, rule) => {
      expect(found(check(norwegianInvoice({ suppliedTotals: { [field]: value } })))).toEqual([`${rule} /suppliedTotals/${field}`]);
    });

    it('accepts supplied totals equal to the cent', () => {
      const suppliedTotals = { lineExtensionAmount: 1000, taxExclusiveAmount: 1000.0, taxAmount: 250, taxInclusiveAmount: 1250, payableAmount: 1250, allowanceTotalAmount: 0, chargeTotalAmount: 0 };
      expect(check(norwegianInvoice({ suppliedTotals }))).toEqual([]);
    });

    it('checks the supplied VAT breakdown group by group', () => {
      const invoice = norwegianInvoice({
        lines: [line(), line({ id: '2', vatRate: 15, unitPrice: 100 }), line({ id: '3', taxCode: 'Z', vatRate: 0, unitPrice: 50 })],
        suppliedTotals: {
          vatBreakdown: [
            { category: 'S', rate: 25, taxableAmount: 1001, taxAmount: 250.25 }, // taxable wrong; tax right for that taxable
            { category: 'S', rate: 15, taxableAmount: 100, taxAmount: 16 }, // BR-CO-17: off by 1, its tolerance is < 1
          ],
        },
      });
      expect(found(check(invoice))).toEqual([
        'BR-S-08 /suppliedTotals/vatBreakdown/0/taxableAmount',
        'BR-CO-17 /suppliedTotals/vatBreakdown/1/taxAmount',
        'BR-Z-01 /suppliedTotals/vatBreakdown',
      ]);
    });

    it('reports VAT figures the official rules tolerate but that are not exact under FF- ids, fatal when we replace them', () => {
      const invoice = norwegianInvoice({
        lines: [line(), line({ id: '2', vatRate: 15, unitPrice: 100 })],
        suppliedTotals: {
          vatBreakdown: [
            { category: 'S', rate: 25, taxableAmount: 1000.5, taxAmount: 250.13 }, // BR-S-08 tolerates < 1; tax right for that taxable
            { category: 'S', rate: 15, taxableAmount: 100, taxAmount: 15.01 }, // BR-CO-17 tolerates < 1
          ],
        },
      });
      expect(found(check(invoice))).toEqual(['FF-VAT-TAXABLE /suppliedTotals/vatBreakdown/0/taxableAmount', 'FF-VAT-AMOUNT /suppliedTotals/vatBreakdown/1/taxAmount']);
      expect(found(checkInvoice(invoice, computeTotals(invoice), 'sent'))).toEqual([
        'FF-VAT-TAXABLE /suppliedTotals/vatBreakdown/0/taxableAmount (warning)',
        'FF-VAT-AMOUNT /suppliedTotals/vatBreakdown/1/taxAmount (warning)',
      ]);
    });

    it('a total consistent with the ERP\'s own line amounts is FF-TOTAL, not the official rule, and only the root cause when their figures travel', () => {
      // 3 × 0.335 = 1.005 → 1.01 by øre rounding; the ERP booked 1.00 and totals that follow from it.
      const invoice = norwegianInvoice({
        lines: [line({ quantity: 3, unitPrice: 0.335, lineNetAmount: 1 })],
        suppliedTotals: { lineExtensionAmount: 1, taxExclusiveAmount: 1, taxAmount: 0.25, taxInclusiveAmount: 1.25, payableAmount: 1.25 },
      });
      expect(found(check(invoice))).toEqual([
        'FF-LINE-NET /lines/0/lineNetAmount',
        'FF-TOTAL /suppliedTotals/lineExtensionAmount',
        'FF-TOTAL /suppliedTotals/taxExclusiveAmount',
        'FF-TOTAL /suppliedTotals/taxInclusiveAmount',
        'FF-TOTAL /suppliedTotals/payableAmount',
      ]);
      expect(found(checkInvoice(invoice, computeTotals(invoice), 'sent'))).toEqual(['FF-LINE-NET /lines/0/lineNetAmount (warning)']);
    });

    it('rounding amount: decimals and size', () => {
      expect(found(check(norwegianInvoice({ roundingAmount: 0.005 })))).toEqual(['BR-DEC-17 /roundingAmount']);
      expect(found(check(norwegianInvoice({ roundingAmount: 1.5 })))).toEqual(['FF-ROUNDING /roundingAmount (warning)']);
    });
  });
});
