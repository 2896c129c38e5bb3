/** An invoice that uses nearly every part of the model, so structure tests cover every element the builder writes. */
import type { Invoice } from '../../../invoice/model.js';
import { line, norwegianInvoice } from '../invoice/fixtures.js';

export function richInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return norwegianInvoice({
    taxPointDate: '2026-06-15',
    notes: ['Takk for handelen'],
    taxCurrency: 'EUR',
    taxAmountInTaxCurrency: 26.21,
    accountingCost: '4025:123',
    invoicePeriod: { start: '2026-06-01', end: '2026-06-30' },
    orderReference: 'PO-77',
    salesOrderReference: 'SO-12',
    billingReferences: [{ id: '2026-0040', issueDate: '2026-05-02' }],
    contractReference: 'Rammeavtale 3',
    projectReference: 'Prosjekt X',
    attachments: [
      { id: 'Timeliste', description: 'Timer juni', contentBase64: 'VGVzdA==', mimeCode: 'application/pdf', filename: 'timer.pdf' },
      { id: 'Spesifikasjon', uri: 'https://example.no/spec' },
      { id: 'Målepunkt 7', documentTypeCode: '130', idSchemeId: 'ABT' },
    ],
    supplier: {
      ...norwegianInvoice().supplier,
      legalName: 'Leverandør Holding AS',
      identifier: { id: '7080000000005', schemeId: '0088' },
      companyLegalForm: 'Aksjekapital 30 000 NOK',
      contact: { name: 'Kari', phone: '+4722222222', email: 'kari@leverandor.no' },
    },
    buyer: { ...norwegianInvoice().buyer, vatId: 'NO987654325MVA', contact: { email: 'faktura@kjoper.no' } },
    payee: { name: 'Factoring AS', taxId: '995525828', identifier: { id: '7080000000012', schemeId: '0088' } },
    delivery: { date: '2026-06-10', locationId: '7080000000029', locationSchemeId: '0088', address: { street: 'Lager 1', city: 'Bergen', postalCode: '5003', country: 'NO' }, partyName: 'Lageret' },
    payment: { meansCode: '30', kid: '2345676', account: '86011117947', bic: 'DNBANOKK', accountName: 'Driftskonto', terms: '30 dager' },
    allowanceCharges: [
      { charge: true, amount: 100, reason: 'Frakt', reasonCode: 'FC', taxCode: 'S', vatRate: 25 },
      { charge: false, amount: 50, reason: 'Rabatt', reasonCode: '95', percentage: 5, baseAmount: 1000, taxCode: 'S', vatRate: 25 },
    ],
    lines: [
      line({
        id: '1',
        note: 'Juni',
        quantity: 10,
        unitPrice: 90,
        grossPrice: 100,
        priceDiscount: 10,
        baseQuantity: 1,
        itemDescription: 'Rådgivning',
        sellerItemId: 'R-1',
        standardItemId: { id: '7311041013663', schemeId: '0160' },
        originCountry: 'NO',
        classifications: [{ code: '86776', listId: 'SRV' }],
        properties: [{ name: 'Nivå', value: 'Senior' }],
        accountingCost: 'K-7',
        orderLineReference: '3',
        period: { start: '2026-06-01', end: '2026-06-30' },
        allowanceCharges: [
          { charge: false, amount: 20, reason: 'Lojalitet' },
          { charge: true, amount: 5, reason: 'Gebyr' },
        ],
      }),
      line({ id: '2', description: 'Matvarer', unitCode: 'KGM', quantity: 2.5, unitPrice: 39.9, vatRate: 15 }),
      line({ id: '3', description: 'Bok', unitPrice: 300, taxCode: 'E', vatRate: 0 }),
    ],
    prepaidAmount: 100,
    roundingAmount: 0.02,
    ...overrides,
  });
}

