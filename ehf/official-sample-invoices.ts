/**
 * Generated invoices for the validation benchmark, the rewrite check and the pool tests: our JSON body
 * (invoice/json-input.ts) for a valid Norwegian B2B invoice from Leverandør AS (123456785) to Kjøper AS (987654325)
 * with any number of lines, and the EHF document the pipeline builds from it.
 */
import { buildUbl } from './ubl-builder.js';
import { parseInvoiceJson } from '../invoice/json-input.js';
import { computeTotals } from '../invoice/totals.js';

export type SampleVariant =
  /** 25, 15 and 12 % lines in turn (the three Norwegian VAT rates). */
  | 'standard'
  /** One line per VAT category S, Z and E, with a document-level allowance and charge. */
  | 'categories'
  /** Reverse charge (AE) to a VAT-registered buyer. */
  | 'reverse-charge'
  /** A credit note. */
  | 'credit-note';

const RATES = [25, 15, 12];

function sampleLine(index: number): Record<string, unknown> {
  return {
    description: `Konsulenttimer ${index + 1}`,
    quantity: 1 + (index % 7),
    unitCode: 'HUR',
    unitPrice: 950 + (index % 13) * 10,
    taxCode: 'S',
    vatRate: RATES[index % RATES.length],
    orderLineReference: String(index + 1),
  };
}

/** The JSON body an ERP would send for a `lines`-line invoice (JSON-compatible; safe to mutate). */
export function sampleInvoiceBody(lines: number, variant: SampleVariant = 'standard', invoiceNumber = `2026-${lines}`): Record<string, unknown> {
  const body: Record<string, unknown> = {
    documentType: variant === 'credit-note' ? 'creditNote' : 'invoice',
    invoiceNumber,
    issueDate: '2026-06-16',
    dueDate: variant === 'credit-note' ? undefined : '2026-07-16',
    currency: 'NOK',
    buyerReference: 'PO-2026-001',
    orderReference: 'ORD-7781',
    billingReferences: variant === 'credit-note' ? [{ id: '2026-1', issueDate: '2026-05-16' }] : undefined,
    supplier: {
      name: 'Leverandør AS',
      taxId: '123456785',
      foretaksregisteret: true,
      address: { street: 'Storgata 1', city: 'Oslo', postalCode: '0155', country: 'NO' },
      contact: { name: 'Kari Nordmann', email: 'faktura@leverandor.no' },
    },
    buyer: {
      name: 'Kjøper AS',
      taxId: '987654325',
      address: { street: 'Kjøpmannsgata 8', city: 'Trondheim', postalCode: '7013', country: 'NO' },
    },
    payment: { kid: '2345676', account: '86011117947', terms: '30 dager netto' },
    lines: Array.from({ length: lines }, (_, i) => sampleLine(i)),
  };
  if (variant === 'categories') {
    const categories = [{ taxCode: 'S', vatRate: 25 }, { taxCode: 'Z', vatRate: 0 }, { taxCode: 'E', vatRate: 0 }];
    body.lines = Array.from({ length: lines }, (_, i) => ({ ...sampleLine(i), ...categories[i % categories.length] }));
    body.vatExemptions = [{ category: 'E', exemptionReason: 'Unntatt etter merverdiavgiftsloven § 3-2' }];
    body.allowanceCharges = [
      { charge: false, amount: 100, reason: 'Rabatt', taxCode: 'S', vatRate: 25 },
      { charge: true, amount: 50, reason: 'Frakt', taxCode: 'S', vatRate: 25 },
    ];
  }
  if (variant === 'reverse-charge') {
    (body.buyer as Record<string, unknown>).vatId = 'NO987654325MVA';
    body.lines = Array.from({ length: lines }, (_, i) => ({ ...sampleLine(i), taxCode: 'AE', vatRate: 0 }));
    body.vatExemptions = [{ category: 'AE', exemptionReason: 'Omvendt avgiftsplikt' }];
  }
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/** The EHF document the pipeline builds from `sampleInvoiceBody(lines, variant)`. */
export function sampleInvoiceUbl(lines: number, variant: SampleVariant = 'standard'): string {
  const { invoice, issues } = parseInvoiceJson(sampleInvoiceBody(lines, variant));
  if (!invoice) throw new Error(`sample ${variant} invoice does not parse: ${JSON.stringify(issues)}`);
  return buildUbl(invoice, computeTotals(invoice));
}
