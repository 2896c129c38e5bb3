/**
 * EHF 3.0 / Peppol BIS Billing 3.0 UBL XML (Invoice or CreditNote) → the invoice model, so an ERP's own EHF can
 * be accepted as is: the model feeds our checks, routing and the PDF, while the ERP's XML is what gets sent.
 *
 * Reading is safe (ehf/xml-tree.ts: size limit, no DTD, no entity expansion). The document's own totals become
 * `suppliedTotals` and each line's LineExtensionAmount its `lineNetAmount`, so `checkInvoice` compares them with
 * what EN 16931 computes. Elements the model does not hold are listed as FF-XML-NOT-MAPPED warnings.
 */
import type {
  AllowanceCharge,
  Attachment,
  Address,
  Buyer,
  Contact,
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
} from '../invoice/model.js';
import { prune } from '../invoice/prune.js';
import { isVatCategory } from '../invoice/vat-categories.js';
import * as kid from '../identifiers/no/kid.js';
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { CUSTOMIZATION_ID, FORETAKSREGISTERET, UBL_NS } from './peppol-bis.js';
import { parseXmlTree, type XmlElement } from './xml-tree.js';

const PREFIXES = { [UBL_NS.invoice]: '', [UBL_NS.creditNote]: '', [UBL_NS.cac]: 'cac', [UBL_NS.cbc]: 'cbc' };
const NAMESPACE_OF: Record<string, string> = { cac: UBL_NS.cac, cbc: UBL_NS.cbc };
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const NORWEGIAN_ORGNR_SCHEME = '0192';

/** `cac:Party` → the first child with that namespace and local name. */
function child(element: XmlElement | undefined, qualified: string): XmlElement | undefined {
  return children(element, qualified)[0];
}

function children(element: XmlElement | undefined, qualified: string): XmlElement[] {
  if (!element) return [];
  const [prefix, local] = qualified.split(':') as [string, string];
  const ns = NAMESPACE_OF[prefix];
  return element.children.filter((c) => c.ns === ns && c.local === local);
}

/** Follows a path of child names, first match at each step. */
function at(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  return path.reduce<XmlElement | undefined>((current, name) => child(current, name), element);
}

function textOf(element: XmlElement | undefined): string | undefined {
  const value = element?.text.trim();
  return value === undefined || value === '' ? undefined : value;
}

function text(element: XmlElement | undefined, ...path: string[]): string | undefined {
  return textOf(at(element, ...path));
}

/** Reads numbers and amounts, reporting malformed ones and foreign currencies. */
class Reader {
  readonly issues: ValidationIssue[] = [];
  /** Model path (as our checks report it, e.g. `/lines/0/lineNetAmount`) → where that figure is in the sender's XML. */
  readonly sources: Record<string, string> = {};
  currency = '';

  source(modelPath: string, element: XmlElement | undefined): void {
    if (element) this.sources[modelPath] = element.path;
  }

  report(rule: string, message: string, path: string, severity: 'fatal' | 'warning' = 'fatal'): void {
    this.issues.push(issue(rule, message, path, severity));
  }

  /** Reports `rule` when the element is missing; returns its text otherwise. */
  required(parent: XmlElement | undefined, name: string, rule: string, message: string): string | undefined {
    const value = text(parent, name);
    if (value === undefined) this.report(rule, message, `${parent?.path ?? ''}/${name}`);
    return value;
  }

  decimal(element: XmlElement | undefined): number | undefined {
    const value = textOf(element);
    if (value === undefined || !element) return undefined;
    if (!DECIMAL.test(value)) {
      this.report('FF-XML-NUMBER', `"${value}" is not a decimal number.`, element.path);
      return undefined;
    }
    return Number(value);
  }

  /** An amount in the document currency (PEPPOL-EN16931-R051). */
  amount(element: XmlElement | undefined): number | undefined {
    if (element && element.attributes.currencyID !== this.currency) {
      this.report(
        'PEPPOL-EN16931-R051',
        `Amounts must be in the invoice currency ${this.currency}, not "${element.attributes.currencyID ?? ''}".`,
        `${element.path}/@currencyID`,
      );
    }
    return this.decimal(element);
  }

  notMapped(element: XmlElement | undefined, what: string): void {
    if (element) this.report('FF-XML-NOT-MAPPED', `${what} is kept in your XML but not used by our checks or routing.`, element.path, 'warning');
  }
}

function identifierOf(element: XmlElement | undefined): Identifier | undefined {
  const id = textOf(element);
  return id === undefined ? undefined : prune({ id, schemeId: element?.attributes.schemeID });
}

function addressOf(element: XmlElement | undefined): Address | undefined {
  if (!element) return undefined;
  return prune({
    street: text(element, 'cbc:StreetName'),
    additionalStreet: text(element, 'cbc:AdditionalStreetName'),
    city: text(element, 'cbc:CityName'),
    postalCode: text(element, 'cbc:PostalZone'),
    countrySubdivision: text(element, 'cbc:CountrySubentity'),
    country: text(element, 'cac:Country', 'cbc:IdentificationCode') ?? '',
  });
}

function contactOf(element: XmlElement | undefined): Contact | undefined {
  if (!element) return undefined;
  return prune({ name: text(element, 'cbc:Name'), phone: text(element, 'cbc:Telephone'), email: text(element, 'cbc:ElectronicMail') });
}

function partyOf(reader: Reader, element: XmlElement | undefined, nameRule: string, role: string): Party {
  const identifications = children(element, 'cac:PartyIdentification');
  identifications.slice(1).forEach((extra) => reader.notMapped(extra, `A further ${role} identifier`));
  const schemes = children(element, 'cac:PartyTaxScheme');
  const vatScheme = schemes.find((s) => text(s, 'cac:TaxScheme', 'cbc:ID')?.toUpperCase() === 'VAT');
  const taxScheme = schemes.find((s) => text(s, 'cac:TaxScheme', 'cbc:ID')?.toUpperCase() !== 'VAT');
  const legal = child(element, 'cac:PartyLegalEntity');
  const registrationName = text(legal, 'cbc:RegistrationName');
  const tradingName = text(element, 'cac:PartyName', 'cbc:Name');
  const name = tradingName ?? registrationName;
  if (name === undefined) reader.report(nameRule, `The ${role} name (RegistrationName) is missing.`, `${element?.path ?? ''}/cac:PartyLegalEntity/cbc:RegistrationName`);
  const address = addressOf(child(element, 'cac:PostalAddress'));
  const legalId = identifierOf(child(legal, 'cbc:CompanyID'));
  // The org number is the legal registration id with scheme 0192; without a scheme, nine digits of a Norwegian party.
  const isOrgnr =
    legalId !== undefined &&
    (legalId.schemeId === NORWEGIAN_ORGNR_SCHEME || (legalId.schemeId === undefined && address?.country === 'NO' && /^\d{9}$/.test(legalId.id)));
  const endpoint = child(element, 'cbc:EndpointID');
  const vatId = text(vatScheme, 'cbc:CompanyID');
  const taxRegistration = text(taxScheme, 'cbc:CompanyID');
  if (taxScheme && taxRegistration?.toLowerCase() !== FORETAKSREGISTERET.toLowerCase()) reader.notMapped(taxScheme, `The ${role} tax registration id`);
  return prune({
    name: name ?? '',
    legalName: registrationName !== undefined && registrationName !== name ? registrationName : undefined,
    taxId: isOrgnr ? legalId.id : undefined,
    companyId: isOrgnr ? undefined : legalId,
    vatId,
    vatRegistered: role === 'seller' && vatId !== undefined ? true : undefined,
    foretaksregisteret: taxRegistration?.toLowerCase() === FORETAKSREGISTERET.toLowerCase() ? true : undefined,
    endpointId: textOf(endpoint),
    endpointSchemeId: endpoint?.attributes.schemeID,
    address,
    contact: contactOf(child(element, 'cac:Contact')),
    identifier: identifierOf(child(identifications[0], 'cbc:ID')),
    companyLegalForm: text(legal, 'cbc:CompanyLegalForm'),
  });
}

function categoryOf(reader: Reader, element: XmlElement | undefined): VatCategory | undefined {
  const id = text(element, 'cbc:ID');
  if (id === undefined) return undefined;
  if (isVatCategory(id)) return id;
  reader.report('BR-CL-18', `VAT category "${id}" is not one Norway uses (S, Z, E, AE, K, G, O).`, `${element!.path}/cbc:ID`);
  return undefined;
}

/** A document-level allowance/charge rate; O has none (BR-O-06/07), a missing one elsewhere reads as 0. */
function documentLevelRate(reader: Reader, category: XmlElement | undefined, taxCode: VatCategory | undefined): number | undefined {
  const rate = reader.decimal(child(category, 'cbc:Percent'));
  if (rate !== undefined || taxCode === undefined || taxCode === 'O') return rate;
  return 0;
}

function allowanceChargeOf(reader: Reader, element: XmlElement, level: 'document' | 'line'): AllowanceCharge {
  const indicator = text(element, 'cbc:ChargeIndicator');
  if (indicator !== 'true' && indicator !== 'false') {
    reader.report('PEPPOL-EN16931-R043', 'ChargeIndicator must be true or false.', `${element.path}/cbc:ChargeIndicator`);
  }
  const charge = indicator === 'true';
  const amountElement = child(element, 'cbc:Amount');
  if (!amountElement) {
    const rule = level === 'document' ? (charge ? 'BR-36' : 'BR-31') : charge ? 'BR-43' : 'BR-41';
    reader.report(rule, `Each ${charge ? 'charge' : 'allowance'} shall have an amount.`, `${element.path}/cbc:Amount`);
  }
  const category = child(element, 'cac:TaxCategory');
  const taxCode = level === 'document' ? categoryOf(reader, category) : undefined;
  return prune({
    charge,
    amount: reader.amount(amountElement) ?? 0,
    baseAmount: reader.amount(child(element, 'cbc:BaseAmount')),
    percentage: reader.decimal(child(element, 'cbc:MultiplierFactorNumeric')),
    reason: text(element, 'cbc:AllowanceChargeReason'),
    reasonCode: text(element, 'cbc:AllowanceChargeReasonCode'),
    taxCode,
    vatRate: level === 'document' ? documentLevelRate(reader, category, taxCode) : undefined,
  });
}

function paymentOf(reader: Reader, root: XmlElement): Payment | undefined {
  const means = children(root, 'cac:PaymentMeans');
  means.slice(1).forEach((extra) => reader.notMapped(extra, 'A further PaymentMeans'));
  const first = means[0];
  const terms = text(root, 'cac:PaymentTerms', 'cbc:Note');
  if (!first) return terms === undefined ? undefined : { terms };
  reader.notMapped(child(first, 'cac:PaymentMandate'), 'A direct debit mandate');
  reader.notMapped(child(first, 'cac:CardAccount'), 'A payment card');
  const paymentIdElement = child(first, 'cbc:PaymentID');
  reader.source('/payment/kid', paymentIdElement);
  reader.source('/payment/account', at(first, 'cac:PayeeFinancialAccount', 'cbc:ID'));
  reader.source('/payment/iban', at(first, 'cac:PayeeFinancialAccount', 'cbc:ID'));
  reader.source('/payment/bic', at(first, 'cac:PayeeFinancialAccount', 'cac:FinancialInstitutionBranch', 'cbc:ID'));
  const paymentId = textOf(paymentIdElement);
  const meansCode = text(first, 'cbc:PaymentMeansCode');
  // Norwegian EHF carries the KID as PaymentID (BT-83); anything that is not a valid KID stays remittance text.
  const isKid = paymentId !== undefined && kid.isValid(paymentId);
  if (!isKid && paymentId !== undefined && looksLikeKid(paymentId, meansCode)) {
    // FF-KID (issue 8): UBL cannot say that a PaymentID was meant as a KID, so a numeric one that fails both the MOD10
    // and the MOD11 check is passed on as remittance text, and the payer's bank would refuse it if typed as a KID.
    reader.report(
      'FF-KID',
      `PaymentID "${paymentId}" is all digits, as a KID is, but fails both KID check digit rules (MOD10 and MOD11): the payer's bank will refuse it as a KID. It is passed on as remittance information.`,
      paymentIdElement!.path,
      'warning',
    );
  }
  const financialAccount = child(first, 'cac:PayeeFinancialAccount');
  const accountId = text(financialAccount, 'cbc:ID')?.replace(/\s+/g, '');
  const isBban = accountId !== undefined && /^\d{11}$/.test(accountId.replace(/\./g, ''));
  const isIban = accountId !== undefined && /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(accountId.toUpperCase());
  return prune({
    meansCode,
    kid: isKid ? paymentId : undefined,
    remittanceInformation: isKid ? undefined : paymentId,
    account: isBban ? accountId!.replace(/\./g, '') : undefined,
    iban: !isBban && isIban ? accountId!.toUpperCase() : undefined,
    otherAccount: !isBban && !isIban ? accountId : undefined,
    accountName: text(financialAccount, 'cbc:Name'),
    bic: text(financialAccount, 'cac:FinancialInstitutionBranch', 'cbc:ID'),
    terms,
  });
}

/** UNCL 4461 codes under which a Norwegian payer types the PaymentID as a KID: 31 debit transfer, 58 SEPA credit transfer. */
const KID_MEANS = new Set(['31', '58']);

function looksLikeKid(paymentId: string, meansCode: string | undefined): boolean {
  return meansCode !== undefined && KID_MEANS.has(meansCode) && /^\d+$/.test(kid.compact(paymentId));
}

function lineOf(reader: Reader, element: XmlElement, isCreditNote: boolean, modelPath: string): InvoiceLine {
  const quantityElement = child(element, isCreditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity');
  if (!quantityElement) reader.report('BR-22', 'Each invoice line shall have an invoiced quantity.', `${element.path}/${isCreditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity'}`);
  const unitCode = quantityElement?.attributes.unitCode;
  if (quantityElement && !unitCode) reader.report('BR-23', 'The invoiced quantity shall have a unit code.', `${quantityElement.path}/@unitCode`);
  const netElement = child(element, 'cbc:LineExtensionAmount');
  if (!netElement) reader.report('BR-24', 'Each invoice line shall have a net amount.', `${element.path}/cbc:LineExtensionAmount`);
  const item = child(element, 'cac:Item');
  const taxCategory = child(item, 'cac:ClassifiedTaxCategory');
  const taxCode = categoryOf(reader, taxCategory);
  if (!taxCategory || (taxCode === undefined && text(taxCategory, 'cbc:ID') === undefined)) {
    reader.report('BR-CO-04', 'Each invoice line shall have a VAT category code.', `${item?.path ?? element.path}/cac:ClassifiedTaxCategory/cbc:ID`);
  }
  const price = child(element, 'cac:Price');
  const priceAmount = child(price, 'cbc:PriceAmount');
  if (!priceAmount) reader.report('BR-26', 'Each invoice line shall contain the item net price.', `${element.path}/cac:Price/cbc:PriceAmount`);
  const priceDiscount = child(price, 'cac:AllowanceCharge');
  if (priceDiscount && text(priceDiscount, 'cbc:ChargeIndicator') !== 'false') {
    reader.report('PEPPOL-EN16931-R044', 'A charge on price level is not allowed.', `${priceDiscount.path}/cbc:ChargeIndicator`);
  }
  reader.notMapped(child(element, 'cac:DocumentReference'), 'The line object identifier');
  reader.notMapped(child(item, 'cac:BuyersItemIdentification'), "The buyer's item identifier");
  const period = child(element, 'cac:InvoicePeriod');
  reader.source(modelPath, element);
  reader.source(`${modelPath}/lineNetAmount`, netElement);
  reader.source(`${modelPath}/unitPrice`, priceAmount);
  reader.source(`${modelPath}/quantity`, quantityElement);
  reader.source(`${modelPath}/vatRate`, child(taxCategory, 'cbc:Percent') ?? taxCategory);
  children(element, 'cac:AllowanceCharge').forEach((ac, index) => {
    reader.source(`${modelPath}/allowanceCharges/${index}`, ac);
    reader.source(`${modelPath}/allowanceCharges/${index}/amount`, child(ac, 'cbc:Amount'));
  });
  return prune({
    id: reader.required(element, 'cbc:ID', 'BR-21', 'Each invoice line shall have an identifier.') ?? '',
    description: reader.required(item, 'cbc:Name', 'BR-25', 'Each invoice line shall contain the item name.') ?? '',
    itemDescription: text(item, 'cbc:Description'),
    quantity: reader.decimal(quantityElement) ?? 0,
    unitCode: unitCode ?? '',
    unitPrice: reader.amount(priceAmount) ?? 0,
    grossPrice: reader.amount(child(priceDiscount, 'cbc:BaseAmount')),
    priceDiscount: reader.amount(child(priceDiscount, 'cbc:Amount')),
    baseQuantity: reader.decimal(child(price, 'cbc:BaseQuantity')),
    taxCode: taxCode ?? 'S',
    vatRate: reader.decimal(child(taxCategory, 'cbc:Percent')) ?? 0,
    allowanceCharges: optionalList(children(element, 'cac:AllowanceCharge').map((ac) => allowanceChargeOf(reader, ac, 'line'))),
    sellerItemId: text(item, 'cac:SellersItemIdentification', 'cbc:ID'),
    standardItemId: ((id) => id && { id: id.id, schemeId: id.schemeId ?? '' })(identifierOf(at(item, 'cac:StandardItemIdentification', 'cbc:ID'))),
    accountingCost: text(element, 'cbc:AccountingCost'),
    orderLineReference: text(element, 'cac:OrderLineReference', 'cbc:LineID'),
    period: period && prune({ start: text(period, 'cbc:StartDate'), end: text(period, 'cbc:EndDate') }),
    note: text(element, 'cbc:Note'),
    lineNetAmount: reader.amount(netElement),
    originCountry: text(item, 'cac:OriginCountry', 'cbc:IdentificationCode'),
    classifications: optionalList(
      children(item, 'cac:CommodityClassification').flatMap((classification) => {
        const code = child(classification, 'cbc:ItemClassificationCode');
        const value = textOf(code);
        return value === undefined
          ? []
          : [prune({ code: value, listId: code!.attributes.listID ?? '', listVersionId: code!.attributes.listVersionID })];
      }),
    ),
    properties: optionalList(
      children(item, 'cac:AdditionalItemProperty').map((property) => ({
        name: text(property, 'cbc:Name') ?? '',
        value: text(property, 'cbc:Value') ?? '',
      })),
    ),
  });
}

function optionalList<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** The TaxTotal with subtotals gives BT-110 and BG-23; one without, in the tax currency, gives BT-111. */
function taxTotalsOf(reader: Reader, root: XmlElement, taxCurrency: string | undefined) {
  const totals = children(root, 'cac:TaxTotal');
  const main = totals.find((total) => children(total, 'cac:TaxSubtotal').length > 0) ?? totals.find((total) => child(total, 'cbc:TaxAmount')?.attributes.currencyID !== taxCurrency);
  const inTaxCurrency = taxCurrency === undefined ? undefined : totals.find((total) => total !== main && child(total, 'cbc:TaxAmount')?.attributes.currencyID === taxCurrency);
  const exemptions: VatExemption[] = [];
  const breakdown: VatBreakdown[] = [];
  reader.source('/suppliedTotals/vatBreakdown', main);
  reader.source('/suppliedTotals/taxAmount', child(main, 'cbc:TaxAmount'));
  for (const subtotal of children(main, 'cac:TaxSubtotal')) {
    const category = child(subtotal, 'cac:TaxCategory');
    const code = categoryOf(reader, category);
    if (code === undefined) continue;
    const modelPath = `/suppliedTotals/vatBreakdown/${breakdown.length}`;
    reader.source(modelPath, subtotal);
    reader.source(`${modelPath}/taxableAmount`, child(subtotal, 'cbc:TaxableAmount'));
    reader.source(`${modelPath}/taxAmount`, child(subtotal, 'cbc:TaxAmount'));
    const exemptionReason = text(category, 'cbc:TaxExemptionReason');
    const exemptionReasonCode = text(category, 'cbc:TaxExemptionReasonCode');
    if ((exemptionReason || exemptionReasonCode) && !exemptions.some((e) => e.category === code)) {
      exemptions.push(prune({ category: code, exemptionReason, exemptionReasonCode }));
    }
    breakdown.push(
      prune({
        category: code,
        rate: reader.decimal(child(category, 'cbc:Percent')) ?? 0,
        taxableAmount: reader.amount(child(subtotal, 'cbc:TaxableAmount')) ?? 0,
        taxAmount: reader.amount(child(subtotal, 'cbc:TaxAmount')) ?? 0,
        exemptionReason,
        exemptionReasonCode,
      }),
    );
  }
  return {
    taxAmount: reader.amount(child(main, 'cbc:TaxAmount')),
    breakdown,
    exemptions,
    taxAmountInTaxCurrency: reader.decimal(child(inTaxCurrency, 'cbc:TaxAmount')),
  };
}

function documentReferencesOf(root: XmlElement, isCreditNote: boolean): { attachments: Attachment[]; projectReference?: string } {
  let projectReference = isCreditNote ? undefined : text(root, 'cac:ProjectReference', 'cbc:ID');
  const attachments: Attachment[] = [];
  for (const reference of children(root, 'cac:AdditionalDocumentReference')) {
    const id = child(reference, 'cbc:ID');
    const typeCode = text(reference, 'cbc:DocumentTypeCode');
    if (isCreditNote && typeCode === '50' && projectReference === undefined) {
      projectReference = textOf(id); // BT-11 on a credit note
      continue;
    }
    const embedded = at(reference, 'cac:Attachment', 'cbc:EmbeddedDocumentBinaryObject');
    attachments.push(
      prune({
        id: textOf(id) ?? '',
        idSchemeId: id?.attributes.schemeID,
        documentTypeCode: typeCode,
        description: text(reference, 'cbc:DocumentDescription'),
        contentBase64: textOf(embedded)?.replace(/\s+/g, ''),
        mimeCode: embedded?.attributes.mimeCode,
        filename: embedded?.attributes.filename,
        uri: text(reference, 'cac:Attachment', 'cac:ExternalReference', 'cbc:URI'),
      }),
    );
  }
  return { attachments, projectReference };
}

function typeCodeOf(reader: Reader, root: XmlElement, isCreditNote: boolean): InvoiceTypeCode {
  const name = isCreditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode';
  const value = reader.required(root, name, 'BR-04', 'An invoice shall have a type code.');
  const supported: readonly string[] = isCreditNote ? ['381'] : ['380', '384'];
  if (value !== undefined && !supported.includes(value)) {
    reader.report('FF-XML-TYPE-CODE', `Type code ${value} is not supported; use ${supported.join(' or ')}.`, `${root.path}/${name}`);
  }
  return (value ?? (isCreditNote ? '381' : '380')) as InvoiceTypeCode;
}

function invoiceOf(reader: Reader, root: XmlElement, isCreditNote: boolean): Invoice {
  const customization = reader.required(root, 'cbc:CustomizationID', 'BR-01', 'An invoice shall have a specification identifier.');
  if (customization !== undefined && !customization.startsWith(CUSTOMIZATION_ID)) {
    reader.report('PEPPOL-EN16931-R004', `Specification identifier must be ${CUSTOMIZATION_ID}.`, `${root.path}/cbc:CustomizationID`);
  }
  const profileId = reader.required(root, 'cbc:ProfileID', 'PEPPOL-EN16931-R001', 'Business process (ProfileID) must be provided.');
  reader.currency = reader.required(root, 'cbc:DocumentCurrencyCode', 'BR-05', 'An invoice shall have a currency code.') ?? '';
  const taxCurrency = text(root, 'cbc:TaxCurrencyCode');
  const supplierParty = at(root, 'cac:AccountingSupplierParty', 'cac:Party');
  const buyerParty = at(root, 'cac:AccountingCustomerParty', 'cac:Party');
  if (!supplierParty) reader.report('BR-06', 'The seller (AccountingSupplierParty) is missing.', `${root.path}/cac:AccountingSupplierParty`);
  if (!buyerParty) reader.report('BR-07', 'The buyer (AccountingCustomerParty) is missing.', `${root.path}/cac:AccountingCustomerParty`);
  reader.notMapped(child(root, 'cac:TaxRepresentativeParty'), 'The seller tax representative');
  const supplier = partyOf(reader, supplierParty, 'BR-06', 'seller');
  const buyer: Buyer = { ...partyOf(reader, buyerParty, 'BR-07', 'buyer'), kind: 'business' };
  const payeeParty = child(root, 'cac:PayeeParty');
  const payeeLegalId = identifierOf(at(payeeParty, 'cac:PartyLegalEntity', 'cbc:CompanyID'));
  const deliveryElement = child(root, 'cac:Delivery');
  const location = child(deliveryElement, 'cac:DeliveryLocation');
  const locationId = child(location, 'cbc:ID');
  const period = child(root, 'cac:InvoicePeriod');
  const references = documentReferencesOf(root, isCreditNote);
  const monetary = child(root, 'cac:LegalMonetaryTotal');
  const taxes = taxTotalsOf(reader, root, taxCurrency);
  const lineName = isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const lines = children(root, lineName).map((line, index) => lineOf(reader, line, isCreditNote, `/lines/${index}`));
  if (lines.length === 0) reader.report('BR-16', 'An invoice shall have at least one invoice line.', `${root.path}/${lineName}`);
  if (!monetary) reader.report('BR-15', 'An invoice shall have the document totals (LegalMonetaryTotal).', `${root.path}/cac:LegalMonetaryTotal`);

  reader.source('/suppliedTotals', monetary);
  const monetaryFields = ['LineExtensionAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'PayableAmount'];
  for (const name of monetaryFields) reader.source(`/suppliedTotals/${name[0]!.toLowerCase()}${name.slice(1)}`, child(monetary, `cbc:${name}`));
  reader.source('/prepaidAmount', child(monetary, 'cbc:PrepaidAmount'));
  reader.source('/roundingAmount', child(monetary, 'cbc:PayableRoundingAmount'));
  reader.source('/supplier', supplierParty);
  reader.source('/buyer', buyerParty);
  reader.source('/payment', child(root, 'cac:PaymentMeans'));
  const suppliedTotals: SuppliedTotals = prune({
    lineExtensionAmount: reader.amount(child(monetary, 'cbc:LineExtensionAmount')),
    allowanceTotalAmount: reader.amount(child(monetary, 'cbc:AllowanceTotalAmount')),
    chargeTotalAmount: reader.amount(child(monetary, 'cbc:ChargeTotalAmount')),
    taxExclusiveAmount: reader.amount(child(monetary, 'cbc:TaxExclusiveAmount')),
    taxAmount: taxes.taxAmount,
    taxInclusiveAmount: reader.amount(child(monetary, 'cbc:TaxInclusiveAmount')),
    payableAmount: reader.amount(child(monetary, 'cbc:PayableAmount')),
    vatBreakdown: taxes.breakdown,
  });

  return prune({
    documentType: isCreditNote ? 'creditNote' : 'invoice',
    typeCode: typeCodeOf(reader, root, isCreditNote),
    profileId,
    invoiceNumber: reader.required(root, 'cbc:ID', 'BR-02', 'An invoice shall have an invoice number.') ?? '',
    issueDate: reader.required(root, 'cbc:IssueDate', 'BR-03', 'An invoice shall have an issue date.') ?? '',
    dueDate: isCreditNote ? text(root, 'cac:PaymentMeans', 'cbc:PaymentDueDate') : text(root, 'cbc:DueDate'),
    taxPointDate: text(root, 'cbc:TaxPointDate'),
    currency: reader.currency,
    taxCurrency,
    taxAmountInTaxCurrency: taxes.taxAmountInTaxCurrency,
    buyerReference: text(root, 'cbc:BuyerReference'),
    orderReference: text(root, 'cac:OrderReference', 'cbc:ID'),
    salesOrderReference: text(root, 'cac:OrderReference', 'cbc:SalesOrderID'),
    contractReference: text(root, 'cac:ContractDocumentReference', 'cbc:ID'),
    projectReference: references.projectReference,
    accountingCost: text(root, 'cbc:AccountingCost'),
    billingReferences: optionalList(
      children(root, 'cac:BillingReference').flatMap((reference) => {
        const document = child(reference, 'cac:InvoiceDocumentReference');
        if (!document) return [];
        return [prune({ id: text(document, 'cbc:ID') ?? '', issueDate: text(document, 'cbc:IssueDate') })];
      }),
    ),
    notes: optionalList(children(root, 'cbc:Note').flatMap((note) => (textOf(note) === undefined ? [] : [textOf(note)!]))),
    invoicePeriod: period && prune({ start: text(period, 'cbc:StartDate'), end: text(period, 'cbc:EndDate') }),
    supplier,
    buyer,
    payee:
      payeeParty &&
      prune({
        name: text(payeeParty, 'cac:PartyName', 'cbc:Name') ?? '',
        taxId: payeeLegalId?.schemeId === NORWEGIAN_ORGNR_SCHEME ? payeeLegalId.id : undefined,
        identifier: identifierOf(at(payeeParty, 'cac:PartyIdentification', 'cbc:ID')),
      }),
    delivery:
      deliveryElement &&
      prune({
        date: text(deliveryElement, 'cbc:ActualDeliveryDate'),
        address: addressOf(child(location, 'cac:Address')),
        partyName: text(deliveryElement, 'cac:DeliveryParty', 'cac:PartyName', 'cbc:Name'),
        locationId: textOf(locationId),
        locationSchemeId: locationId?.attributes.schemeID,
      }),
    payment: paymentOf(reader, root),
    allowanceCharges: optionalList(
      children(root, 'cac:AllowanceCharge').map((ac, index) => {
        reader.source(`/allowanceCharges/${index}`, ac);
        reader.source(`/allowanceCharges/${index}/amount`, child(ac, 'cbc:Amount'));
        return allowanceChargeOf(reader, ac, 'document');
      }),
    ),
    vatExemptions: optionalList(taxes.exemptions),
    lines,
    prepaidAmount: reader.amount(child(monetary, 'cbc:PrepaidAmount')),
    roundingAmount: reader.amount(child(monetary, 'cbc:PayableRoundingAmount')),
    attachments: optionalList(references.attachments),
    suppliedTotals,
  });
}

/**
 * Where a finding of our checks (reported at a model path) is in the sender's XML: the figure's own element where the
 * parser recorded it, else the nearest recorded ancestor (`/payment/account` → `/Invoice/cac:PaymentMeans`), else the
 * model path as it is.
 */
export function sourcePath(sources: Readonly<Record<string, string>>, modelPath: string): string {
  for (let path = modelPath; path !== ''; path = path.slice(0, path.lastIndexOf('/'))) {
    const found = sources[path];
    if (found !== undefined) return found;
  }
  return modelPath;
}

export function parseUbl(xml: string): { invoice?: Invoice; issues: ValidationIssue[]; sources?: Record<string, string> } {
  const tree = parseXmlTree(xml, PREFIXES);
  if (!tree.root) return { issues: tree.issues };
  const root = tree.root;
  const isInvoice = root.ns === UBL_NS.invoice && root.local === 'Invoice';
  const isCreditNote = root.ns === UBL_NS.creditNote && root.local === 'CreditNote';
  if (!isInvoice && !isCreditNote) {
    return {
      issues: [issue('FF-XML-ROOT', `The root element must be a UBL 2.1 Invoice or CreditNote, not {${root.ns}}${root.local}.`, root.path)],
    };
  }
  const reader = new Reader();
  const invoice = invoiceOf(reader, root, isCreditNote);
  return reader.issues.some(isFatal) ? { issues: reader.issues } : { invoice, issues: reader.issues, sources: reader.sources };
}
