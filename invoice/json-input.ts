/**
 * Our JSON API body → the invoice model. The body is a superset of the Clearvo-style body (seed 004:
 * `documentType, invoiceNumber, issueDate, dueDate, currency, buyerReference, supplier, buyer, lines[…]`), extended
 * with what Norway needs (DESIGN.md "Contracts") and with the model's other optional fields under the model's
 * names. Unknown fields, such as Clearvo's top-level `country`, are tolerated.
 *
 * Only type and shape are judged here (FF-JSON-*, or the EN 16931 rule id when a mandatory business term is
 * missing, e.g. BR-02 invoice number); what the values mean is `checks.ts`'s business. Defaults applied:
 * - typeCode 380 for `invoice`, 381 for `creditNote`;
 * - line id = 1-based position, unitCode `EA`, vatRate 0 for every category but S;
 * - buyer kind `business` when it has a taxId, VAT id, company id or Peppol endpoint (a consumer has none), else `consumer`;
 * - a party without address gets `{country: <body.country or NO>}`, since EN 16931 needs the seller's and
 *   buyer's country (BR-08…BR-11) and the Clearvo body carries only a top-level `country`;
 * - a Norwegian party with a taxId gets endpoint `0192:<taxId>` when it has none (DOMAIN.md §3.4), and a plain
 *   9-digit endpoint of a Norwegian party gets scheme 0192;
 * - a Norwegian seller with a taxId is VAT registered unless `vatRegistered: false`, with vatId `NO<taxId>MVA`
 *   (NO-R-001; merverdiavgiftsloven § 2-1 registration is the seller's fact, so the ERP can say otherwise).
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { JsonFields, type Required } from './json-reader.js';
import { prune } from './prune.js';
import type {
  Address,
  AllowanceCharge,
  Attachment,
  Buyer,
  Contact,
  CustomerKind,
  DocumentType,
  Identifier,
  Invoice,
  InvoiceLine,
  InvoiceTypeCode,
  Party,
  Payment,
  SuppliedTotals,
  VatBreakdown,
  VatCategory,
  VatExemption,
} from './model.js';
import { VAT_CATEGORIES } from './vat-categories.js';

const DOCUMENT_TYPES: readonly DocumentType[] = ['invoice', 'creditNote'];
const TYPE_CODES: readonly InvoiceTypeCode[] = ['380', '384', '381'];
const CUSTOMER_KINDS: readonly CustomerKind[] = ['business', 'public', 'consumer'];
const NORWEGIAN_ORGNR_SCHEME = '0192';

const required = (rule: string, message: string): Required => ({ rule, message });
const mandatory = (what: string): Required => required('FF-JSON-REQUIRED', `${what} is required.`);

export function parseInvoiceJson(body: unknown): { invoice?: Invoice; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const root = JsonFields.root(body, issues);
  if (!root) return { issues };

  const documentType = root.oneOf('documentType', DOCUMENT_TYPES, mandatory('documentType (invoice or creditNote)'));
  const typeCode = readTypeCode(root) ?? (documentType === 'creditNote' ? '381' : '380');
  const bodyCountry = root.string('country');
  const defaultCountry = bodyCountry?.toUpperCase() ?? 'NO';

  const supplierFields = root.object('supplier', mandatory('supplier'));
  const buyerFields = root.object('buyer', mandatory('buyer'));
  const supplier = supplierFields && readSupplier(supplierFields, defaultCountry);
  const buyer = buyerFields && readBuyer(buyerFields, defaultCountry);

  const lineFields = root.objects('lines', required('BR-16', 'An invoice shall have at least one invoice line (lines).'));
  const lines = (lineFields ?? []).map((fields, index) => readLine(fields, index));

  const invoice: Invoice = prune({
    documentType: documentType ?? 'invoice',
    typeCode,
    profileId: root.string('profileId'),
    invoiceNumber: root.string('invoiceNumber', required('BR-02', 'An invoice shall have an invoice number (invoiceNumber).')) ?? '',
    issueDate: root.string('issueDate', required('BR-03', 'An invoice shall have an issue date (issueDate).')) ?? '',
    dueDate: root.string('dueDate'),
    taxPointDate: root.string('taxPointDate'),
    currency: root.string('currency', required('BR-05', 'An invoice shall have a currency code (currency).'))?.toUpperCase() ?? '',
    taxCurrency: root.string('taxCurrency')?.toUpperCase(),
    taxAmountInTaxCurrency: root.number('taxAmountInTaxCurrency'),
    buyerReference: root.string('buyerReference') ?? consumerReference(root, buyer),
    orderReference: root.string('orderReference'),
    salesOrderReference: root.string('salesOrderReference'),
    contractReference: root.string('contractReference'),
    projectReference: root.string('projectReference'),
    accountingCost: root.string('accountingCost'),
    billingReferences: root.objects('billingReferences')?.map((f) =>
      prune({ id: f.string('id', required('BR-55', 'Each preceding invoice reference shall have an id.')) ?? '', issueDate: f.string('issueDate') }),
    ),
    notes: root.strings('notes'),
    invoicePeriod: readPeriod(root, 'invoicePeriod'),
    supplier: supplier ?? { name: '' },
    buyer: buyer ?? { name: '', kind: 'consumer' },
    payee: readPayee(root),
    delivery: readDelivery(root),
    payment: readPayment(root),
    allowanceCharges: root.objects('allowanceCharges')?.map((f) => readAllowanceCharge(f, 'document')),
    vatExemptions: root.objects('vatExemptions')?.map(readVatExemption),
    lines,
    prepaidAmount: root.number('prepaidAmount'),
    roundingAmount: root.number('roundingAmount'),
    attachments: root.objects('attachments')?.map(readAttachment),
    branch: root.string('branch'),
    tags: root.strings('tags'),
    suppliedTotals: readSuppliedTotals(root),
  });

  return issues.some(isFatal) ? { issues } : { invoice, issues };
}

/**
 * PEPPOL-EN16931-R003 wants a buyer reference or an order reference. A consumer has neither; Norwegian invoices
 * to consumers quote the customer number ("kundenummer") as their reference, so that is the default.
 */
function consumerReference(root: JsonFields, buyer: Buyer | undefined): string | undefined {
  if (buyer?.kind !== 'consumer' || root.has('orderReference')) return undefined;
  return buyer.customerNumber;
}

function readTypeCode(root: JsonFields): InvoiceTypeCode | undefined {
  return root.oneOf('typeCode', TYPE_CODES, undefined, 'BR-CL-01');
}

function readIdentifier(fields: JsonFields, key: string): Identifier | undefined {
  const f = fields.object(key);
  if (!f) return undefined;
  const id = f.string('id', mandatory(`${key}.id`));
  return id === undefined ? undefined : prune({ id, schemeId: f.string('schemeId') });
}

function readAddress(fields: JsonFields, key: string, defaultCountry?: string): Address | undefined {
  const f = fields.object(key);
  if (!f) return defaultCountry === undefined ? undefined : { country: defaultCountry };
  const country = f.string('country')?.toUpperCase() ?? defaultCountry;
  if (country === undefined) f.issues.push(issue('BR-57', 'An address shall contain a country code (country).', f.at('country')));
  return prune({
    street: f.string('street'),
    additionalStreet: f.string('additionalStreet'),
    city: f.string('city'),
    postalCode: f.string('postalCode'),
    countrySubdivision: f.string('countrySubdivision'),
    country: country ?? '',
  });
}

function readContact(fields: JsonFields): Contact | undefined {
  const f = fields.object('contact');
  return f && prune({ name: f.string('name'), phone: f.string('phone'), email: f.string('email') });
}

/** `0192:987654321` (Clearvo) or `987654321` with `endpointSchemeId`; an EAS scheme is four digits. */
function readEndpoint(f: JsonFields): { endpointId?: string; endpointSchemeId?: string } {
  const endpoint = f.string('endpointId');
  const scheme = f.string('endpointSchemeId');
  const prefixed = endpoint === undefined ? null : /^(\d{4}):(.+)$/.exec(endpoint);
  if (!prefixed) return { endpointId: endpoint, endpointSchemeId: scheme };
  const [, prefix, id] = prefixed as unknown as [string, string, string];
  if (scheme !== undefined && scheme !== prefix) {
    f.issues.push(
      issue('FF-JSON-ENDPOINT', `endpointId says scheme ${prefix} but endpointSchemeId says ${scheme}.`, f.at('endpointSchemeId')),
    );
  }
  return { endpointId: id.trim(), endpointSchemeId: prefix };
}

/** `deriveEndpoint`: whether a Norwegian party with an org number gets the 0192 endpoint when it has none. */
function readParty(f: JsonFields, nameRule: Required, defaultCountry: string, deriveEndpoint = true): Party {
  const taxId = f.string('taxId')?.replace(/\s+/g, '');
  const address = readAddress(f, 'address', defaultCountry);
  const norwegian = address?.country === 'NO';
  let { endpointId, endpointSchemeId } = readEndpoint(f);
  if (norwegian && deriveEndpoint && endpointId === undefined && taxId !== undefined) {
    endpointId = taxId;
    endpointSchemeId = NORWEGIAN_ORGNR_SCHEME;
  } else if (norwegian && endpointId !== undefined && endpointSchemeId === undefined && /^\d{9}$/.test(endpointId)) {
    endpointSchemeId = NORWEGIAN_ORGNR_SCHEME;
  }
  return prune({
    name: f.string('name', nameRule) ?? '',
    legalName: f.string('legalName'),
    taxId,
    vatId: f.string('vatId')?.replace(/\s+/g, ''),
    endpointId,
    endpointSchemeId,
    address,
    contact: readContact(f),
    identifier: readIdentifier(f, 'identifier'),
    companyId: readIdentifier(f, 'companyId'),
    companyLegalForm: f.string('companyLegalForm'),
  });
}

function readSupplier(f: JsonFields, defaultCountry: string): Party {
  const party = readParty(f, required('BR-06', 'An invoice shall contain the seller name (supplier.name).'), defaultCountry);
  const norwegianWithOrgnr = party.address?.country === 'NO' && party.taxId !== undefined;
  const vatRegistered = f.boolean('vatRegistered') ?? (norwegianWithOrgnr ? true : undefined);
  // NO-R-001: a Norwegian VAT-registered seller's VAT id is NO + orgnr + MVA.
  const vatId = party.vatId ?? (vatRegistered && norwegianWithOrgnr ? `NO${party.taxId}MVA` : undefined);
  return prune({ ...party, vatId, vatRegistered, foretaksregisteret: f.boolean('foretaksregisteret') });
}

function readBuyer(f: JsonFields, defaultCountry: string): Buyer {
  const kind = f.oneOf('kind', CUSTOMER_KINDS) ?? (['taxId', 'vatId', 'companyId', 'endpointId'].some((key) => f.has(key)) ? 'business' : 'consumer');
  // A consumer has no Peppol endpoint; none is invented from a taxId given by mistake.
  const party = readParty(f, required('BR-07', 'An invoice shall contain the buyer name (buyer.name).'), defaultCountry, kind !== 'consumer');
  // No endpoint for a consumer: Peppol's EAS list has no scheme for one (EM is CEN's, not Peppol's; CL008), and a
  // consumer is never reached over Peppol. validation/submission.ts explains PEPPOL-EN16931-R010 for them.
  return prune({
    ...party,
    kind,
    customerNumber: f.string('customerNumber'),
    email: f.string('email'),
    phone: f.string('phone'),
    nationalId: f.string('nationalId')?.replace(/\s+/g, ''),
  });
}

function readPayee(root: JsonFields): Invoice['payee'] {
  const f = root.object('payee');
  if (!f) return undefined;
  return prune({
    name: f.string('name', required('BR-17', 'The payee name shall be provided when the payee differs from the seller.')) ?? '',
    taxId: f.string('taxId')?.replace(/\s+/g, ''),
    identifier: readIdentifier(f, 'identifier'),
  });
}

function readDelivery(root: JsonFields): Invoice['delivery'] {
  const f = root.object('delivery');
  if (!f) return undefined;
  return prune({
    date: f.string('date'),
    address: readAddress(f, 'address'),
    partyName: f.string('partyName'),
    locationId: f.string('locationId'),
    locationSchemeId: f.string('locationSchemeId'),
  });
}

function readPeriod(fields: JsonFields, key: string): { start?: string; end?: string } | undefined {
  const f = fields.object(key);
  return f && prune({ start: f.string('start'), end: f.string('end') });
}

function readPayment(root: JsonFields): Payment | undefined {
  const f = root.object('payment');
  if (!f) return undefined;
  return prune({
    meansCode: f.string('meansCode'),
    kid: f.string('kid')?.replace(/\s+/g, ''),
    account: f.string('account')?.replace(/[\s.]+/g, ''),
    iban: f.string('iban')?.replace(/\s+/g, '').toUpperCase(),
    bic: f.string('bic')?.replace(/\s+/g, '').toUpperCase(),
    accountName: f.string('accountName'),
    otherAccount: f.string('otherAccount'),
    remittanceInformation: f.string('remittanceInformation'),
    terms: f.string('terms'),
  });
}

function readCategory(f: JsonFields, key: string, rule?: Required): VatCategory | undefined {
  const value = f.string(key, rule);
  if (value === undefined) return undefined;
  const category = value.toUpperCase();
  if ((VAT_CATEGORIES as readonly string[]).includes(category)) return category as VatCategory;
  // BR-CL-17/18: UNCL 5305; we accept the subset Norway uses.
  f.issues.push(issue('BR-CL-18', `VAT category must be one of ${VAT_CATEGORIES.join(', ')}; got "${value}".`, f.at(key)));
  return undefined;
}

/** vatRate defaults to 0 except for S, whose rate must be stated (BR-S-05, BR-S-06, BR-S-07). */
function readRate(f: JsonFields, category: VatCategory | undefined, rule: Required | undefined): number | undefined {
  const rate = f.number('vatRate', category === 'S' ? rule : undefined);
  if (rate !== undefined || category === undefined || category === 'S') return rate;
  return category === 'O' ? undefined : 0;
}

function readAllowanceCharge(f: JsonFields, level: 'document' | 'line'): AllowanceCharge {
  const charge = f.boolean('charge', mandatory('charge (true for a charge, false for an allowance)')) ?? false;
  const amountRule =
    level === 'document'
      ? required(charge ? 'BR-36' : 'BR-31', `Each document level ${charge ? 'charge' : 'allowance'} shall have an amount.`)
      : required(charge ? 'BR-43' : 'BR-41', `Each line ${charge ? 'charge' : 'allowance'} shall have an amount.`);
  const taxCode = level === 'document' ? readCategory(f, 'taxCode') : undefined;
  const rateRule = required(charge ? 'BR-S-07' : 'BR-S-06', 'A standard rated allowance/charge shall have a VAT rate above zero.');
  return prune({
    charge,
    amount: f.number('amount', amountRule) ?? 0,
    baseAmount: f.number('baseAmount'),
    percentage: f.number('percentage'),
    reason: f.string('reason'),
    reasonCode: f.string('reasonCode'),
    taxCode,
    vatRate: level === 'document' ? readRate(f, taxCode, rateRule) : undefined,
  });
}

function readLine(f: JsonFields, index: number): InvoiceLine {
  const taxCode = readCategory(f, 'taxCode', required('BR-CO-04', 'Each invoice line shall have a VAT category code (taxCode).'));
  const vatRate = readRate(f, taxCode, required('BR-S-05', 'A standard rated line shall have a VAT rate above zero (vatRate).'));
  const standardItemId = readIdentifier(f, 'standardItemId');
  return prune({
    id: f.string('id') ?? String(index + 1),
    description: f.string('description', required('BR-25', 'Each invoice line shall contain the item name (description).')) ?? '',
    itemDescription: f.string('itemDescription'),
    quantity: f.number('quantity', required('BR-22', 'Each invoice line shall have an invoiced quantity.')) ?? 0,
    unitCode: f.string('unitCode') ?? 'EA',
    unitPrice: f.number('unitPrice', required('BR-26', 'Each invoice line shall contain the item net price (unitPrice).')) ?? 0,
    grossPrice: f.number('grossPrice'),
    priceDiscount: f.number('priceDiscount'),
    baseQuantity: f.number('baseQuantity'),
    taxCode: taxCode ?? 'S',
    vatRate: vatRate ?? 0,
    allowanceCharges: f.objects('allowanceCharges')?.map((ac) => readAllowanceCharge(ac, 'line')),
    sellerItemId: f.string('sellerItemId'),
    standardItemId: standardItemId && { id: standardItemId.id, schemeId: standardItemId.schemeId ?? '' },
    accountingCost: f.string('accountingCost'),
    orderLineReference: f.string('orderLineReference'),
    period: readPeriod(f, 'period'),
    note: f.string('note'),
    lineNetAmount: f.number('lineNetAmount'),
    originCountry: f.string('originCountry')?.toUpperCase(),
    classifications: f.objects('classifications')?.map((c) =>
      prune({
        code: c.string('code', mandatory('classification code')) ?? '',
        listId: c.string('listId', required('BR-65', 'An item classification shall have a scheme identifier (listId).')) ?? '',
        listVersionId: c.string('listVersionId'),
      }),
    ),
    properties: f.objects('properties')?.map((p) => ({
      name: p.string('name', required('BR-54', 'Each item attribute shall contain a name and a value.')) ?? '',
      value: p.string('value', required('BR-54', 'Each item attribute shall contain a name and a value.')) ?? '',
    })),
  });
}

function readVatExemption(f: JsonFields): VatExemption {
  return prune({
    category: readCategory(f, 'category', mandatory('vatExemptions[].category')) ?? 'E',
    exemptionReason: f.string('exemptionReason'),
    exemptionReasonCode: f.string('exemptionReasonCode')?.toUpperCase(),
  });
}

function readAttachment(f: JsonFields): Attachment {
  return prune({
    id: f.string('id', required('BR-52', 'Each additional supporting document shall have a reference (id).')) ?? '',
    description: f.string('description'),
    contentBase64: f.string('contentBase64'),
    mimeCode: f.string('mimeCode'),
    filename: f.string('filename'),
    uri: f.string('uri'),
    documentTypeCode: f.string('documentTypeCode'),
    idSchemeId: f.string('idSchemeId'),
  });
}

function readSuppliedTotals(root: JsonFields): SuppliedTotals | undefined {
  const f = root.object('suppliedTotals');
  if (!f) return undefined;
  return prune({
    lineExtensionAmount: f.number('lineExtensionAmount'),
    allowanceTotalAmount: f.number('allowanceTotalAmount'),
    chargeTotalAmount: f.number('chargeTotalAmount'),
    taxExclusiveAmount: f.number('taxExclusiveAmount'),
    taxAmount: f.number('taxAmount'),
    taxInclusiveAmount: f.number('taxInclusiveAmount'),
    payableAmount: f.number('payableAmount'),
    vatBreakdown: f.objects('vatBreakdown')?.map((g): VatBreakdown => {
      const category = readCategory(g, 'category', mandatory('vatBreakdown[].category')) ?? 'S';
      // A standard-rated group is compared by its rate; without one it would be compared as 0 % and miss.
      const rateRule = category === 'S' ? required('BR-48', 'Each VAT breakdown shall have a VAT category rate (rate).') : undefined;
      return prune({
        category,
        rate: g.number('rate', rateRule) ?? 0,
        taxableAmount: g.number('taxableAmount', required('BR-45', 'Each VAT breakdown shall have a taxable amount.')) ?? 0,
        taxAmount: g.number('taxAmount', required('BR-46', 'Each VAT breakdown shall have a tax amount.')) ?? 0,
        exemptionReason: g.string('exemptionReason'),
        exemptionReasonCode: g.string('exemptionReasonCode'),
      });
    }),
  });
}
