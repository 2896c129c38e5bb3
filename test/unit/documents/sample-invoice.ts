/**
 * Hand-built model invoices for the document tests. Totals are written out, not computed, so these tests
 * do not depend on the EN 16931 calculation module; the numbers are consistent (BR-CO-10…16) by hand.
 */
import type { Invoice, InvoiceLine, Totals } from '../../../invoice/model.js';

export function sampleInvoice(): Invoice {
  return {
    documentType: 'invoice',
    typeCode: '380',
    invoiceNumber: '2026-0042',
    issueDate: '2026-02-01',
    dueDate: '2026-02-15',
    currency: 'NOK',
    buyerReference: 'Kari Nordmann',
    orderReference: 'PO-7781',
    supplier: {
      name: 'Fjordkraft Rørlegger AS',
      taxId: '123456785',
      endpointId: '123456785',
      endpointSchemeId: '0192',
      vatId: 'NO123456785MVA',
      vatRegistered: true,
      foretaksregisteret: true,
      address: { street: 'Strandgaten 12', postalCode: '5013', city: 'Bergen', country: 'NO' },
      contact: { name: 'Ola Ås', phone: '+47 55 12 34 56', email: 'faktura@fjordkraft-ror.no' },
    },
    buyer: {
      kind: 'business',
      name: 'Blåbær Økologiske Gårdsbutikk AS',
      taxId: '987654325',
      endpointId: '987654325',
      endpointSchemeId: '0192',
      customerNumber: '10042',
      address: { street: 'Ærfuglveien 7', postalCode: '0150', city: 'Oslo', country: 'NO' },
    },
    payment: { meansCode: '31', kid: '123450006788', account: '86011117947', terms: 'Netto 14 dager. Ved for sen betaling påløper forsinkelsesrente etter forsinkelsesrenteloven.' },
    lines: [
      { id: '1', description: 'Utskifting av varmtvannsbereder 200 l', itemDescription: 'OSO Super S 200, inkl. montering', quantity: 1, unitCode: 'EA', unitPrice: 12490, taxCode: 'S', vatRate: 25 },
      { id: '2', description: 'Arbeid rørlegger', quantity: 3.5, unitCode: 'HUR', unitPrice: 895, taxCode: 'S', vatRate: 25 },
      { id: '3', description: 'Kjøregodtgjørelse', quantity: 42, unitCode: 'KMT', unitPrice: 4.5, taxCode: 'S', vatRate: 25 },
      { id: '4', description: 'Kaffe og wienerbrød til montørene', quantity: 2, unitCode: 'EA', unitPrice: 45, taxCode: 'S', vatRate: 15 },
    ],
  };
}

/** Totals for sampleInvoice(): lines 12 490 + 3 132,50 + 189 (25 %) and 90 (15 %). */
export function sampleTotals(): Totals {
  return {
    lineNetAmounts: [12490, 3132.5, 189, 90],
    lineExtensionAmount: 15901.5,
    allowanceTotalAmount: 0,
    chargeTotalAmount: 0,
    taxExclusiveAmount: 15901.5,
    taxAmount: 3966.38,
    taxInclusiveAmount: 19867.88,
    prepaidAmount: 0,
    roundingAmount: 0,
    payableAmount: 19867.88,
    vatBreakdown: [
      { category: 'S', rate: 25, taxableAmount: 15811.5, taxAmount: 3952.88 },
      { category: 'S', rate: 15, taxableAmount: 90, taxAmount: 13.5 },
    ],
  };
}

/** An invoice with `count` lines of 100,00 at 25 %, and its totals. */
export function manyLines(count: number): { invoice: Invoice; totals: Totals } {
  const invoice = sampleInvoice();
  invoice.lines = Array.from({ length: count }, (_, i): InvoiceLine => ({
    id: String(i + 1),
    description: `Abonnement linje ${i + 1}${i % 7 === 0 ? ' med en ekstra lang beskrivelse som må brytes over flere linjer i tabellen for å få plass' : ''}`,
    quantity: 1,
    unitCode: 'EA',
    unitPrice: 100,
    taxCode: 'S',
    vatRate: 25,
  }));
  const net = count * 100;
  const vat = net * 0.25;
  return {
    invoice,
    totals: {
      lineNetAmounts: invoice.lines.map(() => 100),
      lineExtensionAmount: net,
      allowanceTotalAmount: 0,
      chargeTotalAmount: 0,
      taxExclusiveAmount: net,
      taxAmount: vat,
      taxInclusiveAmount: net + vat,
      prepaidAmount: 0,
      roundingAmount: 0,
      payableAmount: net + vat,
      vatBreakdown: [{ category: 'S', rate: 25, taxableAmount: net, taxAmount: vat }],
    },
  };
}

/** A credit note for 2026-0042: two hours of work credited. */
export function sampleCreditNote(): { invoice: Invoice; totals: Totals } {
  const invoice = sampleInvoice();
  invoice.documentType = 'creditNote';
  invoice.typeCode = '381';
  invoice.invoiceNumber = 'K-2026-0007';
  invoice.issueDate = '2026-02-10';
  delete invoice.dueDate;
  invoice.billingReferences = [{ id: '2026-0042', issueDate: '2026-02-01' }];
  invoice.lines = [{ id: '1', description: 'Kreditering: arbeid rørlegger fakturert to ganger', quantity: 2, unitCode: 'HUR', unitPrice: 895, taxCode: 'S', vatRate: 25 }];
  return {
    invoice,
    totals: {
      lineNetAmounts: [1790],
      lineExtensionAmount: 1790,
      allowanceTotalAmount: 0,
      chargeTotalAmount: 0,
      taxExclusiveAmount: 1790,
      taxAmount: 447.5,
      taxInclusiveAmount: 2237.5,
      prepaidAmount: 0,
      roundingAmount: 0,
      payableAmount: 2237.5,
      vatBreakdown: [{ category: 'S', rate: 25, taxableAmount: 1790, taxAmount: 447.5 }],
    },
  };
}
