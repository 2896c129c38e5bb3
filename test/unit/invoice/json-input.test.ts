import { describe, expect, it } from 'vitest';
import { parseInvoiceJson } from '../../../invoice/json-input.js';

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    documentType: 'invoice',
    invoiceNumber: '2026-0042',
    issueDate: '2026-06-16',
    dueDate: '2026-07-16',
    currency: 'NOK',
    buyerReference: 'PO-1',
    supplier: { name: 'Leverandør AS', taxId: '123456785' },
    buyer: { name: 'Kjøper AS', taxId: '987654325' },
    lines: [{ description: 'Timer', quantity: 5, unitPrice: 1000, taxCode: 'S', vatRate: 25 }],
    ...overrides,
  };
}

const rules = (result: ReturnType<typeof parseInvoiceJson>) => result.issues.map((i) => `${i.rule} ${i.path}`);

describe('parseInvoiceJson: defaults', () => {
  it('derives what the ERP may leave out', () => {
    const { invoice, issues } = parseInvoiceJson(body());
    expect(issues).toEqual([]);
    expect(invoice).toMatchObject({
      documentType: 'invoice',
      typeCode: '380',
      supplier: {
        taxId: '123456785',
        vatId: 'NO123456785MVA', // NO-R-001 form
        vatRegistered: true,
        endpointId: '123456785',
        endpointSchemeId: '0192',
        address: { country: 'NO' },
      },
      buyer: { kind: 'business', endpointId: '987654325', endpointSchemeId: '0192', address: { country: 'NO' } },
      lines: [{ id: '1', unitCode: 'EA', quantity: 5, unitPrice: 1000, taxCode: 'S', vatRate: 25 }],
    });
    expect(invoice!.buyer.vatId).toBeUndefined(); // only the seller's VAT id is derived
  });

  it('credit note → 381', () => {
    expect(parseInvoiceJson(body({ documentType: 'creditNote' })).invoice!.typeCode).toBe('381');
  });

  it('splits a Clearvo-style endpoint and accepts a plain one with its scheme', () => {
    const clearvo = parseInvoiceJson(body({ supplier: { name: 'S', taxId: '123456785', endpointId: '0192:123456785', endpointSchemeId: '0192' } }));
    expect(clearvo.invoice!.supplier).toMatchObject({ endpointId: '123456785', endpointSchemeId: '0192' });
    const plain = parseInvoiceJson(body({ buyer: { name: 'B', endpointId: '7300010000001', endpointSchemeId: '0088', kind: 'business' } }));
    expect(plain.invoice!.buyer).toMatchObject({ endpointId: '7300010000001', endpointSchemeId: '0088' });
  });

  it('reports an endpoint whose two schemes disagree', () => {
    const result = parseInvoiceJson(body({ supplier: { name: 'S', endpointId: '0192:123456785', endpointSchemeId: '0088' } }));
    expect(rules(result)).toEqual(['FF-JSON-ENDPOINT /supplier/endpointSchemeId']);
  });

  it('buyer kind: business with a taxId, else consumer; a consumer has no endpoint, and its reference is the customer number', () => {
    const consumer = parseInvoiceJson(body({ buyerReference: undefined, buyer: { name: 'Ola Nordmann', email: 'ola@example.no', phone: '+4791234567', customerNumber: 'K-17' } }));
    expect(consumer.invoice!.buyerReference).toBe('K-17');
    expect(consumer.invoice!.buyer).toEqual({
      name: 'Ola Nordmann',
      kind: 'consumer',
      address: { country: 'NO' },
      email: 'ola@example.no',
      phone: '+4791234567',
      customerNumber: 'K-17',
    });
    const withoutEmail = parseInvoiceJson(body({ buyerReference: undefined, orderReference: 'PO-1', buyer: { name: 'Ola Nordmann', customerNumber: 'K-17' } }));
    expect(withoutEmail.invoice!.buyer.endpointId).toBeUndefined();
    expect(withoutEmail.invoice!.buyerReference).toBeUndefined();
    const publicBody = parseInvoiceJson(body({ buyer: { name: 'Kommune', taxId: '987654325', kind: 'public' } }));
    expect(publicBody.invoice!.buyer.kind).toBe('public');
  });

  it('buyer kind: a buyer known by VAT id, company id or Peppol endpoint is a business too', () => {
    for (const identified of [{ vatId: 'SE556677889901' }, { companyId: { id: '5566778899', schemeId: '0007' } }, { endpointId: '0088:7300010000001' }]) {
      expect(parseInvoiceJson(body({ buyer: { name: 'Svensk Bygg AB', address: { country: 'SE' }, ...identified } })).invoice!.buyer.kind).toBe('business');
    }
  });

  it('upper-cases currency codes', () => {
    const invoice = parseInvoiceJson(body({ currency: 'eur', taxCurrency: 'nok' })).invoice!;
    expect([invoice.currency, invoice.taxCurrency]).toEqual(['EUR', 'NOK']);
  });

  it('a seller that is not VAT registered gets no VAT id', () => {
    const { invoice } = parseInvoiceJson(body({ supplier: { name: 'S', taxId: '123456785', vatRegistered: false } }));
    expect(invoice!.supplier.vatId).toBeUndefined();
    expect(invoice!.supplier.vatRegistered).toBe(false);
  });

  it('uses the top-level country (Clearvo) and explicit addresses', () => {
    const { invoice } = parseInvoiceJson(
      body({ country: 'SE', buyer: { name: 'B', kind: 'business', address: { street: 'Gatan 1', postalCode: '11122', city: 'Stockholm', country: 'se' } } }),
    );
    expect(invoice!.supplier.address).toEqual({ country: 'SE' });
    expect(invoice!.supplier.vatId).toBeUndefined(); // not Norwegian
    expect(invoice!.buyer.address).toEqual({ street: 'Gatan 1', postalCode: '11122', city: 'Stockholm', country: 'SE' });
  });

  it('defaults vatRate to 0 for non-S categories and accepts decimal strings and nulls', () => {
    const { invoice, issues } = parseInvoiceJson(
      body({
        orderReference: null,
        lines: [
          { id: 10, description: 'Fisk', quantity: '2.5', unitPrice: '99.90', taxCode: 'z' },
          { description: 'Gebyr', quantity: 1, unitPrice: 50, taxCode: 'O', unitCode: 'C62' },
        ],
      }),
    );
    expect(issues).toEqual([]);
    expect(invoice!.orderReference).toBeUndefined();
    expect(invoice!.lines).toEqual([
      { id: '10', description: 'Fisk', quantity: 2.5, unitPrice: 99.9, taxCode: 'Z', vatRate: 0, unitCode: 'EA' },
      { id: '2', description: 'Gebyr', quantity: 1, unitPrice: 50, taxCode: 'O', vatRate: 0, unitCode: 'C62' },
    ]);
  });

  it('reads the optional model fields under their model names', () => {
    const { invoice, issues } = parseInvoiceJson(
      body({
        payment: { kid: '2345676', account: '8601.11.17947', iban: 'no93 8601 1117 947', bic: 'dnbanokk', terms: '14 dager' },
        allowanceCharges: [{ charge: true, amount: 100, reason: 'Frakt', taxCode: 'S', vatRate: 25 }],
        billingReferences: [{ id: '2026-0001', issueDate: '2026-01-05' }],
        suppliedTotals: { payableAmount: 6250, vatBreakdown: [{ category: 'S', rate: 25, taxableAmount: 5000, taxAmount: 1250 }] },
        vatExemptions: [{ category: 'E', exemptionReason: 'Helsetjenester' }],
        tags: ['vip'],
      }),
    );
    expect(issues).toEqual([]);
    expect(invoice!.payment).toEqual({ kid: '2345676', account: '86011117947', iban: 'NO9386011117947', bic: 'DNBANOKK', terms: '14 dager' });
    expect(invoice!.allowanceCharges).toEqual([{ charge: true, amount: 100, reason: 'Frakt', taxCode: 'S', vatRate: 25 }]);
    expect(invoice!.billingReferences).toEqual([{ id: '2026-0001', issueDate: '2026-01-05' }]);
    expect(invoice!.suppliedTotals!.vatBreakdown).toHaveLength(1);
    expect(invoice!.vatExemptions).toEqual([{ category: 'E', exemptionReason: 'Helsetjenester' }]);
    expect(invoice!.tags).toEqual(['vip']);
  });
});

describe('parseInvoiceJson: shape errors with rule ids and JSON pointers', () => {
  it('a body that is not an object', () => {
    expect(rules(parseInvoiceJson([1, 2]))).toEqual(['FF-JSON-TYPE ']);
    expect(parseInvoiceJson('x').invoice).toBeUndefined();
  });

  it('missing mandatory business terms use the EN 16931 rule ids', () => {
    const { invoice, issues } = parseInvoiceJson({ documentType: 'invoice', supplier: {}, buyer: {}, lines: [{}] });
    expect(invoice).toBeUndefined();
    expect(issues.map((i) => `${i.rule} ${i.path}`).sort()).toEqual(
      [
        'BR-02 /invoiceNumber',
        'BR-03 /issueDate',
        'BR-05 /currency',
        'BR-06 /supplier/name',
        'BR-07 /buyer/name',
        'BR-22 /lines/0/quantity',
        'BR-25 /lines/0/description',
        'BR-26 /lines/0/unitPrice',
        'BR-CO-04 /lines/0/taxCode',
      ].sort(),
    );
  });

  it('wrong types', () => {
    const result = parseInvoiceJson(
      body({
        invoiceNumber: { no: 1 },
        lines: [{ description: 'x', quantity: 'abc', unitPrice: true, taxCode: 'S', vatRate: 25 }, 'not a line'],
        supplier: 'Leverandør AS',
      }),
    );
    expect(rules(result).sort()).toEqual(
      ['FF-JSON-TYPE /supplier', 'FF-JSON-TYPE /lines/0/quantity', 'FF-JSON-TYPE /lines/0/unitPrice', 'FF-JSON-TYPE /lines/1', 'FF-JSON-TYPE /invoiceNumber'].sort(),
    );
  });

  it('enumerations and code lists', () => {
    const result = parseInvoiceJson(
      body({ documentType: 'bill', typeCode: '393', buyer: { name: 'B', kind: 'government' }, lines: [{ description: 'x', quantity: 1, unitPrice: 1, taxCode: 'X' }] }),
    );
    expect(rules(result)).toEqual([
      'FF-JSON-ENUM /documentType',
      'BR-CL-01 /typeCode',
      'FF-JSON-ENUM /buyer/kind',
      'BR-CL-18 /lines/0/taxCode',
    ]);
  });

  it('a standard-rated line needs its rate; lines and parties are required', () => {
    expect(rules(parseInvoiceJson(body({ lines: [{ description: 'x', quantity: 1, unitPrice: 1, taxCode: 'S' }] })))).toEqual(['BR-S-05 /lines/0/vatRate']);
    expect(rules(parseInvoiceJson(body({ lines: undefined, supplier: undefined })))).toEqual(['FF-JSON-REQUIRED /supplier', 'BR-16 /lines']);
  });

  it('a supplied standard-rated VAT group needs its rate (BR-48); other categories default to 0 %', () => {
    const groups = [{ category: 'S', taxableAmount: 5000, taxAmount: 1250 }, { category: 'Z', taxableAmount: 100, taxAmount: 0 }];
    const result = parseInvoiceJson(body({ suppliedTotals: { vatBreakdown: groups } }));
    expect(rules(result)).toEqual(['BR-48 /suppliedTotals/vatBreakdown/0/rate']);
    expect(parseInvoiceJson(body({ suppliedTotals: { vatBreakdown: [groups[1]] } })).invoice!.suppliedTotals!.vatBreakdown![0]!.rate).toBe(0);
  });

  it('escapes JSON pointer segments (RFC 6901)', () => {
    const result = parseInvoiceJson(body({ suppliedTotals: { vatBreakdown: [{ category: 'S', rate: 25, taxableAmount: 'x/y', taxAmount: 1 }] } }));
    expect(rules(result)).toEqual(['FF-JSON-TYPE /suppliedTotals/vatBreakdown/0/taxableAmount']);
  });
});
