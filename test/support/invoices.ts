/**
 * Invoice bodies as an ERP sends them to POST /v1/invoices. Organisation numbers are valid MOD11 test
 * numbers (brreg's worked example 123456785 and the OpenPEPPOL NO example buyer 987654325).
 */
export const SUPPLIER_ORG = '123456785';
export const PEPPOL_BUYER_ORG = '987654325';
/** Valid MOD11, not registered in the local Peppol registry. */
export const UNREGISTERED_BUYER_ORG = '988077917';

let counter = 0;
export const uniqueNumber = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

const supplier = {
  name: 'Fjordvarme AS',
  taxId: SUPPLIER_ORG,
  foretaksregisteret: true,
  address: { street: 'Strandgaten 1', postalCode: '5013', city: 'Bergen', country: 'NO' },
};

const lines = [
  { description: 'Fjernvarme januar', quantity: 1200, unitPrice: 1.25, taxCode: 'S', vatRate: 25, unitCode: 'KWH' },
  { description: 'Fastledd', quantity: 1, unitPrice: 199, taxCode: 'S', vatRate: 25 },
];

export function businessInvoice(invoiceNumber = uniqueNumber('B2B'), buyerOrg = PEPPOL_BUYER_ORG) {
  return {
    documentType: 'invoice',
    invoiceNumber,
    issueDate: '2026-11-02',
    dueDate: '2026-11-30',
    currency: 'NOK',
    buyerReference: 'PO-4711',
    supplier,
    buyer: {
      name: 'Bergen Bygg AS',
      taxId: buyerOrg,
      email: 'faktura@bergenbygg.example',
      address: { street: 'Kaigaten 2', postalCode: '5015', city: 'Bergen', country: 'NO' },
    },
    payment: { account: '86011117947', kid: '123450006788' },
    lines,
  };
}

export function consumerInvoice(customerNumber: string, options: { email?: boolean; phone?: boolean; address?: boolean } = {}) {
  const { email = true, phone = true, address = true } = options;
  return {
    documentType: 'invoice',
    invoiceNumber: uniqueNumber('B2C'),
    issueDate: '2026-11-02',
    dueDate: '2026-11-30',
    currency: 'NOK',
    buyerReference: customerNumber,
    supplier,
    buyer: {
      kind: 'consumer',
      name: 'Kari Nordmann',
      customerNumber,
      ...(email ? { email: 'kari@example.no' } : {}),
      ...(phone ? { phone: '+4791234567' } : {}),
      address: address ? { street: 'Lien 3', postalCode: '5030', city: 'Bergen', country: 'NO' } : { country: 'NO' },
    },
    payment: { account: '86011117947', kid: '123450006788' },
    lines,
  };
}

/** The literal Clearvo example of seed 004: neither org number passes MOD11. */
export const clearvoExample = {
  country: 'NO',
  documentType: 'invoice',
  invoiceNumber: 'NO-INV-2026-001',
  issueDate: '2026-06-16',
  dueDate: '2026-07-16',
  currency: 'NOK',
  buyerReference: 'PO-2026-001',
  supplier: { name: 'Clearvo Technologies Ltd', taxId: '987654321', endpointId: '0192:987654321', endpointSchemeId: '0192' },
  buyer: { name: 'Norway Buyer AS', taxId: 'BUYERNO001', endpointId: '0192:BUYERNO001', endpointSchemeId: '0192' },
  lines: [{ description: 'Software consulting services', quantity: 5, unitPrice: 1000, taxCode: 'S', vatRate: 25 }],
};
