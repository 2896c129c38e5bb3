/**
 * Test invoices: a valid Norwegian B2B invoice (org numbers are the OpenPEPPOL NO example's 123456785 and
 * 987654325; account 86011117947 and IBAN NO9386011117947 from DOMAIN.md §2.5) and helpers to vary it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Invoice, InvoiceLine } from '../../../invoice/model.js';

export function line(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    id: '1',
    description: 'Konsulenttimer',
    quantity: 1,
    unitCode: 'HUR',
    unitPrice: 1000,
    taxCode: 'S',
    vatRate: 25,
    ...overrides,
  };
}

export function norwegianInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    documentType: 'invoice',
    typeCode: '380',
    invoiceNumber: '2026-0042',
    issueDate: '2026-06-16',
    dueDate: '2026-07-16',
    currency: 'NOK',
    buyerReference: 'PO-2026-001',
    supplier: {
      name: 'Leverandør AS',
      taxId: '123456785',
      vatId: 'NO123456785MVA',
      vatRegistered: true,
      foretaksregisteret: true,
      endpointId: '123456785',
      endpointSchemeId: '0192',
      address: { street: 'Storgata 1', city: 'Oslo', postalCode: '0155', country: 'NO' },
    },
    buyer: {
      name: 'Kjøper AS',
      kind: 'business',
      taxId: '987654325',
      endpointId: '987654325',
      endpointSchemeId: '0192',
      address: { street: 'Kjøpmannsgata 8', city: 'Trondheim', postalCode: '7013', country: 'NO' },
    },
    payment: { kid: '2345676', account: '86011117947', terms: '30 dager netto' },
    lines: [line()],
    ...overrides,
  };
}

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));

/** The official Peppol BIS Billing 3.0.21 examples, read in place (never copied into the project). */
export const OFFICIAL_EXAMPLES_DIR = `${conformance}openpeppol-bis-billing-3.0.21-examples/`;
export const NORWEGIAN_EXAMPLE = `${conformance}openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml`;

export function officialExamples(): { name: string; xml: string }[] {
  return readdirSync(OFFICIAL_EXAMPLES_DIR)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => ({ name, xml: readFileSync(`${OFFICIAL_EXAMPLES_DIR}${name}`, 'utf8') }));
}

/** The JSON body of the Clearvo example in seed 004 (the `-d '…'` of its curl command). */
export function clearvoBody(): Record<string, unknown> {
  const seeds = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));
  const file = readdirSync(seeds).find((name) => name.startsWith('004_'));
  if (!file) throw new Error('seed 004 not found');
  const text = readFileSync(`${seeds}${file}`, 'utf8');
  const match = /-d '(\{[\s\S]*?\})'/.exec(text);
  if (!match) throw new Error('no JSON body in seed 004');
  return JSON.parse(match[1]!) as Record<string, unknown>;
}
