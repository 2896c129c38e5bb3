/**
 * Invoice model + computed totals → EHF Billing 3.0 (= Peppol BIS Billing 3.0) UBL 2.1 XML, Invoice or CreditNote.
 *
 * Element order follows the UBL 2.1 schema sequences (InvoiceType, CreditNoteType, PartyType, …; checked against
 * UBL-Invoice-2.1.xsd / UBL-CreditNote-2.1.xsd / UBL-CommonAggregateComponents-2.1.xsd and the official BIS
 * examples). Where Invoice and CreditNote differ, the difference is spelled out below:
 * - CreditNote has no cbc:DueDate; BIS puts BT-9 in cac:PaymentMeans/cbc:PaymentDueDate;
 * - CreditNote has cbc:TaxPointDate before cbc:CreditNoteTypeCode (Invoice: after cbc:Note);
 * - CreditNote has no cac:ProjectReference; BIS uses AdditionalDocumentReference with DocumentTypeCode 50;
 * - lines are cac:CreditNoteLine with cbc:CreditedQuantity.
 * Amounts come from `totals` (never from ERP-supplied figures), with currencyID and two decimals.
 */
import type { Address, AllowanceCharge, Invoice, InvoiceLine, Party, Totals, VatCategory } from '../invoice/model.js';
import { Decimal, formatAmount, formatPrice, plainDecimal } from '../invoice/money.js';
import { writesRate } from '../invoice/vat-categories.js';
import { CUSTOMIZATION_ID, FORETAKSREGISTERET, NO_ORDER_REFERENCE, PROFILE_ID, UBL_NS } from './peppol-bis.js';
import { XmlElement } from './xml-writer.js';

const NORWEGIAN_ORGNR_SCHEME = '0192';

/** XML 1.0 forbids most C0 control characters even escaped; an ERP's stray ones are dropped, not sent. */
function xmlText(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function cbc(parent: XmlElement, name: string, value: string, attributes?: Record<string, string>): void {
  parent.ele(`cbc:${name}`, attributes).txt(xmlText(value));
}

/** Writes the element only when there is a value: UBL forbids empty elements (PEPPOL-EN16931-R008). */
function optional(parent: XmlElement, name: string, value: string | undefined, attributes?: Record<string, string | undefined>): void {
  if (value === undefined || value.trim() === '') return;
  cbc(parent, name, value, definedAttributes(attributes));
}

function definedAttributes(attributes: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!attributes) return undefined;
  const defined = Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return defined.length > 0 ? Object.fromEntries(defined) : undefined;
}

function cac(parent: XmlElement, name: string): XmlElement {
  return parent.ele(`cac:${name}`);
}

function amount(parent: XmlElement, name: string, value: number, currency: string): void {
  cbc(parent, name, formatAmount(value), { currencyID: currency });
}

function taxScheme(parent: XmlElement, id: string): void {
  cbc(cac(parent, 'TaxScheme'), 'ID', id);
}

/** TaxCategory / ClassifiedTaxCategory: ID, Percent (none for O: BR-O-05…07), exemption reason, TaxScheme VAT. */
function taxCategory(
  parent: XmlElement,
  element: 'TaxCategory' | 'ClassifiedTaxCategory',
  category: VatCategory,
  rate: number | undefined,
  exemption?: { exemptionReason?: string; exemptionReasonCode?: string },
): void {
  const node = cac(parent, element);
  cbc(node, 'ID', category);
  if (writesRate(category)) cbc(node, 'Percent', plainDecimal(rate ?? 0));
  optional(node, 'TaxExemptionReasonCode', exemption?.exemptionReasonCode);
  optional(node, 'TaxExemptionReason', exemption?.exemptionReason);
  taxScheme(node, 'VAT');
}

function address(parent: XmlElement, element: 'PostalAddress' | 'Address', value: Address): void {
  const node = cac(parent, element);
  optional(node, 'StreetName', value.street);
  optional(node, 'AdditionalStreetName', value.additionalStreet);
  optional(node, 'CityName', value.city);
  optional(node, 'PostalZone', value.postalCode);
  optional(node, 'CountrySubentity', value.countrySubdivision);
  cbc(cac(node, 'Country'), 'IdentificationCode', value.country);
}

function period(parent: XmlElement, value: { start?: string; end?: string } | undefined): void {
  if (!value || (value.start === undefined && value.end === undefined)) return;
  const node = cac(parent, 'InvoicePeriod');
  optional(node, 'StartDate', value.start);
  optional(node, 'EndDate', value.end);
}

/** PartyType order: EndpointID, PartyIdentification, PartyName, PostalAddress, PartyTaxScheme, PartyLegalEntity, Contact. */
function party(parent: XmlElement, value: Party, role: 'supplier' | 'buyer'): void {
  const node = cac(parent, 'Party');
  if (value.endpointId) cbc(node, 'EndpointID', value.endpointId, definedAttributes({ schemeID: value.endpointSchemeId }));
  if (value.identifier) cbc(cac(node, 'PartyIdentification'), 'ID', value.identifier.id, definedAttributes({ schemeID: value.identifier.schemeId }));
  cbc(cac(node, 'PartyName'), 'Name', value.name);
  if (value.address) address(node, 'PostalAddress', value.address);
  if (value.vatId) {
    const vat = cac(node, 'PartyTaxScheme');
    cbc(vat, 'CompanyID', value.vatId);
    taxScheme(vat, 'VAT');
  }
  if (role === 'supplier' && value.foretaksregisteret) {
    // NO-R-002, foretaksregisterloven § 10-2: the seller's tax registration (BT-32) reads «Foretaksregisteret».
    const tax = cac(node, 'PartyTaxScheme');
    cbc(tax, 'CompanyID', FORETAKSREGISTERET);
    taxScheme(tax, 'TAX');
  }
  const legal = cac(node, 'PartyLegalEntity');
  cbc(legal, 'RegistrationName', value.legalName ?? value.name);
  if (value.taxId) cbc(legal, 'CompanyID', value.taxId, { schemeID: NORWEGIAN_ORGNR_SCHEME });
  else if (value.companyId) cbc(legal, 'CompanyID', value.companyId.id, definedAttributes({ schemeID: value.companyId.schemeId }));
  if (role === 'supplier') optional(legal, 'CompanyLegalForm', value.companyLegalForm);
  const contact = value.contact;
  if (contact && (contact.name || contact.phone || contact.email)) {
    const contactNode = cac(node, 'Contact');
    optional(contactNode, 'Name', contact.name);
    optional(contactNode, 'Telephone', contact.phone);
    optional(contactNode, 'ElectronicMail', contact.email);
  }
}

/** AllowanceChargeType order: ChargeIndicator, ReasonCode, Reason, MultiplierFactorNumeric, Amount, BaseAmount, TaxCategory. */
function allowanceCharge(parent: XmlElement, value: AllowanceCharge, currency: string, level: 'document' | 'line'): void {
  const node = cac(parent, 'AllowanceCharge');
  cbc(node, 'ChargeIndicator', value.charge ? 'true' : 'false');
  optional(node, 'AllowanceChargeReasonCode', value.reasonCode);
  optional(node, 'AllowanceChargeReason', value.reason);
  if (value.percentage !== undefined) cbc(node, 'MultiplierFactorNumeric', plainDecimal(value.percentage));
  amount(node, 'Amount', value.amount, currency);
  if (value.baseAmount !== undefined) amount(node, 'BaseAmount', value.baseAmount, currency);
  if (level === 'document' && value.taxCode) taxCategory(node, 'TaxCategory', value.taxCode, value.vatRate);
}

function documentReferences(root: XmlElement, invoice: Invoice, isCreditNote: boolean): void {
  if (invoice.orderReference || invoice.salesOrderReference) {
    const node = cac(root, 'OrderReference');
    cbc(node, 'ID', invoice.orderReference ?? NO_ORDER_REFERENCE);
    optional(node, 'SalesOrderID', invoice.salesOrderReference);
  }
  for (const reference of invoice.billingReferences ?? []) {
    const node = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(node, 'ID', reference.id);
    optional(node, 'IssueDate', reference.issueDate);
  }
  if (invoice.contractReference) cbc(cac(root, 'ContractDocumentReference'), 'ID', invoice.contractReference);
  if (isCreditNote && invoice.projectReference) {
    // BT-11 on a credit note: AdditionalDocumentReference with DocumentTypeCode 50 (BIS credit note syntax).
    const node = cac(root, 'AdditionalDocumentReference');
    cbc(node, 'ID', invoice.projectReference);
    cbc(node, 'DocumentTypeCode', '50');
  }
  for (const attachment of invoice.attachments ?? []) {
    const node = cac(root, 'AdditionalDocumentReference');
    cbc(node, 'ID', attachment.id, definedAttributes({ schemeID: attachment.idSchemeId }));
    optional(node, 'DocumentTypeCode', attachment.documentTypeCode);
    optional(node, 'DocumentDescription', attachment.description);
    if (attachment.contentBase64 || attachment.uri) {
      const holder = cac(node, 'Attachment');
      if (attachment.contentBase64) {
        cbc(holder, 'EmbeddedDocumentBinaryObject', attachment.contentBase64, definedAttributes({ mimeCode: attachment.mimeCode, filename: attachment.filename }));
      } else {
        cbc(cac(holder, 'ExternalReference'), 'URI', attachment.uri!);
      }
    }
  }
  if (!isCreditNote && invoice.projectReference) cbc(cac(root, 'ProjectReference'), 'ID', invoice.projectReference);
}

function payee(root: XmlElement, invoice: Invoice): void {
  if (!invoice.payee) return;
  const node = cac(root, 'PayeeParty');
  const id = invoice.payee.identifier;
  if (id) cbc(cac(node, 'PartyIdentification'), 'ID', id.id, definedAttributes({ schemeID: id.schemeId }));
  cbc(cac(node, 'PartyName'), 'Name', invoice.payee.name);
  if (invoice.payee.taxId) cbc(cac(node, 'PartyLegalEntity'), 'CompanyID', invoice.payee.taxId, { schemeID: NORWEGIAN_ORGNR_SCHEME });
}

function delivery(root: XmlElement, invoice: Invoice): void {
  const value = invoice.delivery;
  if (!value || (!value.date && !value.address && !value.locationId && !value.partyName)) return;
  const node = cac(root, 'Delivery');
  optional(node, 'ActualDeliveryDate', value.date);
  if (value.locationId || value.address) {
    const location = cac(node, 'DeliveryLocation');
    optional(location, 'ID', value.locationId, { schemeID: value.locationSchemeId });
    if (value.address) address(location, 'Address', value.address);
  }
  if (value.partyName) cbc(cac(cac(node, 'DeliveryParty'), 'PartyName'), 'Name', value.partyName);
}

/** PaymentMeansType order: PaymentMeansCode, PaymentDueDate, PaymentID, PayeeFinancialAccount. */
function paymentMeans(root: XmlElement, invoice: Invoice, isCreditNote: boolean): void {
  const payment = invoice.payment;
  if (!payment) return;
  const account = payment.iban ?? payment.account ?? payment.otherAccount;
  const reference = payment.kid ?? payment.remittanceInformation;
  if (!account && !reference && !payment.meansCode) return;
  const node = cac(root, 'PaymentMeans');
  // UNCL 4461: 31 as in the Norwegian BIS example (DOMAIN.md §5); 58 for SEPA when the ERP asks for it.
  cbc(node, 'PaymentMeansCode', payment.meansCode ?? '31');
  if (isCreditNote) optional(node, 'PaymentDueDate', invoice.dueDate);
  optional(node, 'PaymentID', reference); // BT-83: the KID
  if (account) {
    const financialAccount = cac(node, 'PayeeFinancialAccount');
    cbc(financialAccount, 'ID', account);
    optional(financialAccount, 'Name', payment.accountName);
    if (payment.bic) cbc(cac(financialAccount, 'FinancialInstitutionBranch'), 'ID', payment.bic);
  }
}

function taxTotals(root: XmlElement, invoice: Invoice, totals: Totals): void {
  const node = cac(root, 'TaxTotal');
  amount(node, 'TaxAmount', totals.taxAmount, invoice.currency);
  for (const group of totals.vatBreakdown) {
    const subtotal = cac(node, 'TaxSubtotal');
    amount(subtotal, 'TaxableAmount', group.taxableAmount, invoice.currency);
    amount(subtotal, 'TaxAmount', group.taxAmount, invoice.currency);
    taxCategory(subtotal, 'TaxCategory', group.category, group.rate, group);
  }
  if (invoice.taxCurrency && invoice.taxAmountInTaxCurrency !== undefined) {
    // BT-111: a second TaxTotal without subtotals, in the VAT accounting currency (PEPPOL-EN16931-R054).
    amount(cac(root, 'TaxTotal'), 'TaxAmount', invoice.taxAmountInTaxCurrency, invoice.taxCurrency);
  }
}

/** MonetaryTotalType order: LineExtension, TaxExclusive, TaxInclusive, AllowanceTotal, ChargeTotal, Prepaid, PayableRounding, Payable. */
function monetaryTotal(root: XmlElement, invoice: Invoice, totals: Totals): void {
  const node = cac(root, 'LegalMonetaryTotal');
  const currency = invoice.currency;
  amount(node, 'LineExtensionAmount', totals.lineExtensionAmount, currency);
  amount(node, 'TaxExclusiveAmount', totals.taxExclusiveAmount, currency);
  amount(node, 'TaxInclusiveAmount', totals.taxInclusiveAmount, currency);
  const documentLevel = invoice.allowanceCharges ?? [];
  if (documentLevel.some((ac) => !ac.charge)) amount(node, 'AllowanceTotalAmount', totals.allowanceTotalAmount, currency);
  if (documentLevel.some((ac) => ac.charge)) amount(node, 'ChargeTotalAmount', totals.chargeTotalAmount, currency);
  if (totals.prepaidAmount !== 0) amount(node, 'PrepaidAmount', totals.prepaidAmount, currency);
  if (totals.roundingAmount !== 0) amount(node, 'PayableRoundingAmount', totals.roundingAmount, currency);
  amount(node, 'PayableAmount', totals.payableAmount, currency);
}

/** ItemType order: Description, Name, SellersItemIdentification, StandardItemIdentification, OriginCountry, CommodityClassification, ClassifiedTaxCategory, AdditionalItemProperty. */
function item(parent: XmlElement, line: InvoiceLine): void {
  const node = cac(parent, 'Item');
  optional(node, 'Description', line.itemDescription);
  cbc(node, 'Name', line.description);
  if (line.sellerItemId) cbc(cac(node, 'SellersItemIdentification'), 'ID', line.sellerItemId);
  if (line.standardItemId) {
    cbc(cac(node, 'StandardItemIdentification'), 'ID', line.standardItemId.id, definedAttributes({ schemeID: line.standardItemId.schemeId }));
  }
  if (line.originCountry) cbc(cac(node, 'OriginCountry'), 'IdentificationCode', line.originCountry);
  for (const classification of line.classifications ?? []) {
    cbc(
      cac(node, 'CommodityClassification'),
      'ItemClassificationCode',
      classification.code,
      definedAttributes({ listID: classification.listId, listVersionID: classification.listVersionId }),
    );
  }
  taxCategory(node, 'ClassifiedTaxCategory', line.taxCode, line.vatRate);
  for (const property of line.properties ?? []) {
    const propertyNode = cac(node, 'AdditionalItemProperty');
    cbc(propertyNode, 'Name', property.name);
    cbc(propertyNode, 'Value', property.value);
  }
}

/** PriceType order: PriceAmount, BaseQuantity, AllowanceCharge (price discount, BT-147/BT-148; never a charge: PEPPOL-EN16931-R044). */
function price(parent: XmlElement, line: InvoiceLine, currency: string): void {
  const node = cac(parent, 'Price');
  cbc(node, 'PriceAmount', formatPrice(line.unitPrice), { currencyID: currency });
  if (line.baseQuantity !== undefined) cbc(node, 'BaseQuantity', plainDecimal(line.baseQuantity), { unitCode: line.unitCode });
  if (line.grossPrice !== undefined || line.priceDiscount !== undefined) {
    const discount = cac(node, 'AllowanceCharge');
    cbc(discount, 'ChargeIndicator', 'false');
    // Exact, so that PEPPOL-EN16931-R046 (net = gross − discount, compared exactly) holds: 1000 − 999.999 = 0.001.
    const discountAmount = line.priceDiscount ?? Decimal.of(line.grossPrice ?? 0).minus(line.unitPrice);
    cbc(discount, 'Amount', formatPrice(discountAmount), { currencyID: currency });
    if (line.grossPrice !== undefined) cbc(discount, 'BaseAmount', formatPrice(line.grossPrice), { currencyID: currency });
  }
}

/** InvoiceLineType / CreditNoteLineType order, as far as BIS uses it. */
function invoiceLine(root: XmlElement, invoice: Invoice, line: InvoiceLine, netAmount: number, isCreditNote: boolean): void {
  const node = cac(root, isCreditNote ? 'CreditNoteLine' : 'InvoiceLine');
  cbc(node, 'ID', line.id);
  optional(node, 'Note', line.note);
  cbc(node, isCreditNote ? 'CreditedQuantity' : 'InvoicedQuantity', plainDecimal(line.quantity), { unitCode: line.unitCode });
  amount(node, 'LineExtensionAmount', netAmount, invoice.currency);
  optional(node, 'AccountingCost', line.accountingCost);
  period(node, line.period);
  if (line.orderLineReference) cbc(cac(node, 'OrderLineReference'), 'LineID', line.orderLineReference);
  for (const ac of line.allowanceCharges ?? []) allowanceCharge(node, ac, invoice.currency, 'line');
  item(node, line);
  price(node, line, invoice.currency);
}

export function buildUbl(invoice: Invoice, totals: Totals): string {
  const isCreditNote = invoice.documentType === 'creditNote';
  const root = new XmlElement(isCreditNote ? 'CreditNote' : 'Invoice', {
    xmlns: isCreditNote ? UBL_NS.creditNote : UBL_NS.invoice,
    'xmlns:cac': UBL_NS.cac,
    'xmlns:cbc': UBL_NS.cbc,
  });

  cbc(root, 'CustomizationID', CUSTOMIZATION_ID);
  cbc(root, 'ProfileID', invoice.profileId ?? PROFILE_ID);
  cbc(root, 'ID', invoice.invoiceNumber);
  cbc(root, 'IssueDate', invoice.issueDate);
  if (isCreditNote) {
    optional(root, 'TaxPointDate', invoice.taxPointDate);
    cbc(root, 'CreditNoteTypeCode', invoice.typeCode);
    for (const note of invoice.notes ?? []) optional(root, 'Note', note);
  } else {
    optional(root, 'DueDate', invoice.dueDate);
    cbc(root, 'InvoiceTypeCode', invoice.typeCode);
    for (const note of invoice.notes ?? []) optional(root, 'Note', note);
    optional(root, 'TaxPointDate', invoice.taxPointDate);
  }
  cbc(root, 'DocumentCurrencyCode', invoice.currency);
  optional(root, 'TaxCurrencyCode', invoice.taxCurrency);
  optional(root, 'AccountingCost', invoice.accountingCost);
  optional(root, 'BuyerReference', invoice.buyerReference);
  period(root, invoice.invoicePeriod);
  documentReferences(root, invoice, isCreditNote);
  party(cac(root, 'AccountingSupplierParty'), invoice.supplier, 'supplier');
  party(cac(root, 'AccountingCustomerParty'), invoice.buyer, 'buyer');
  payee(root, invoice);
  delivery(root, invoice);
  paymentMeans(root, invoice, isCreditNote);
  if (invoice.payment?.terms) cbc(cac(root, 'PaymentTerms'), 'Note', invoice.payment.terms);
  for (const ac of invoice.allowanceCharges ?? []) allowanceCharge(root, ac, invoice.currency, 'document');
  taxTotals(root, invoice, totals);
  monetaryTotal(root, invoice, totals);
  invoice.lines.forEach((line, index) => invoiceLine(root, invoice, line, totals.lineNetAmounts[index]!, isCreditNote));

  return root.toDocument();
}
