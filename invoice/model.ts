/**
 * The invoice model: what Norwegian invoicing uses of EN 16931 (the semantic model, business terms BT-/BG-),
 * one shape for Invoice and CreditNote. Amounts are numbers in the document currency; quantities may be decimal.
 * Everything the ERP may leave out is optional here; `totals.ts` computes what EN 16931 derives.
 */
export type DocumentType = 'invoice' | 'creditNote';

/** UNTDID 1001 subset allowed by Peppol BIS 3 for Norway: 380 commercial invoice, 384 corrected invoice, 381 credit note. */
export type InvoiceTypeCode = '380' | '384' | '381';

/** UNCL 5305 VAT categories used in Norway (BT-151, BT-118). */
export type VatCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export type CustomerKind = 'business' | 'public' | 'consumer';

export interface Address {
  street?: string;
  additionalStreet?: string;
  city?: string;
  postalCode?: string;
  countrySubdivision?: string;
  /** ISO 3166-1 alpha-2 (BT-40, BT-55). */
  country: string;
}

export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
}

export interface Party {
  name: string;
  /** Legal registration name (BT-27/BT-44) when it differs from the trading name. */
  legalName?: string;
  /** Norwegian organisation number, 9 digits, no MVA suffix (BT-30/BT-47). */
  taxId?: string;
  /** VAT identifier (BT-31/BT-48), e.g. NO123456785MVA; derived from taxId for Norwegian VAT-registered sellers. */
  vatId?: string;
  /** Seller is VAT registered in Norway; default true for a Norwegian seller with an org number. */
  vatRegistered?: boolean;
  /** Seller is an AS/ASA/NUF: "Foretaksregisteret" must appear (NO-R-002, foretaksregisterloven § 10-2). */
  foretaksregisteret?: boolean;
  /** Electronic address (BT-34/BT-49) without scheme, e.g. 123456785. */
  endpointId?: string;
  /** EAS scheme of the endpoint, e.g. 0192 for Norwegian org numbers. */
  endpointSchemeId?: string;
  address?: Address;
  contact?: Contact;
  /** Party identifier (BT-29/BT-46), e.g. a GLN with scheme 0088; not the org number, which is `taxId`. */
  identifier?: Identifier;
  /** Legal registration id (BT-30/BT-47) of a party that has no Norwegian org number, with its ICD scheme. */
  companyId?: Identifier;
  /** Additional legal information about the seller (BT-33), e.g. share capital. */
  companyLegalForm?: string;
}

/** An identifier with its optional scheme (ISO 6523 ICD, EAS or UNCL 1153, depending on where it is used). */
export interface Identifier {
  id: string;
  schemeId?: string;
}

export interface Buyer extends Party {
  kind: CustomerKind;
  /** The supplier's customer number: the eFaktura agreement key together with the supplier org. */
  customerNumber?: string;
  /** Consumer contact: personal data, kept in the archive only. */
  email?: string;
  phone?: string;
  /** Fødselsnummer / D-nummer of a consumer, optional. Personal data. */
  nationalId?: string;
}

export interface AllowanceCharge {
  /** true = charge (BG-21/BG-28), false = allowance (BG-20/BG-27). */
  charge: boolean;
  amount: number;
  baseAmount?: number;
  percentage?: number;
  reason?: string;
  /** UNCL 5189 (allowances) or UNCL 7161 (charges). */
  reasonCode?: string;
  /** Document level only: the VAT category and rate the allowance/charge falls under (BT-95/96, BT-102/103). */
  taxCode?: VatCategory;
  vatRate?: number;
}

/** Item attribute (BG-32). */
export interface ItemProperty {
  name: string;
  value: string;
}

/** Item classification (BT-158) with its UNTDID 7143 list id, e.g. `STI`, and optional list version. */
export interface ItemClassification {
  code: string;
  listId: string;
  listVersionId?: string;
}

/**
 * VAT exemption reason for one VAT category (BT-120/BT-121). EN 16931 holds it in the VAT breakdown, one per
 * category; without one, `totals.ts` supplies the standard VATEX code or a Norwegian text.
 */
export interface VatExemption {
  category: VatCategory;
  exemptionReason?: string;
  exemptionReasonCode?: string;
}

export interface InvoiceLine {
  /** BT-126; defaults to the 1-based position. */
  id: string;
  /** Item name (BT-153). */
  description: string;
  /** Item description (BT-154). */
  itemDescription?: string;
  quantity: number;
  /** UN/ECE Rec 20 unit (BT-130), default EA. */
  unitCode: string;
  /** Item net price (BT-146). */
  unitPrice: number;
  /** Item gross price (BT-148); when given, unitPrice must equal grossPrice − priceDiscount (PEPPOL-EN16931-R046). */
  grossPrice?: number;
  /** Item price discount (BT-147). */
  priceDiscount?: number;
  /** Price base quantity (BT-149), default 1. */
  baseQuantity?: number;
  taxCode: VatCategory;
  /** Percent (BT-152): > 0 for S, 0 for Z/E/AE/K/G; O carries 0 here and no rate in the XML (BR-O-05). */
  vatRate: number;
  allowanceCharges?: AllowanceCharge[];
  sellerItemId?: string;
  /** Standard item id (BT-157) with scheme, e.g. GTIN 0160. */
  standardItemId?: { id: string; schemeId: string };
  accountingCost?: string;
  orderLineReference?: string;
  period?: { start?: string; end?: string };
  note?: string;
  /** Item country of origin (BT-159), ISO 3166-1 alpha-2. */
  originCountry?: string;
  classifications?: ItemClassification[];
  properties?: ItemProperty[];
  /** ERP-supplied line net amount (BT-131); checked against the computed one, never silently used. */
  lineNetAmount?: number;
}

export interface Payment {
  /** UNCL 4461: 30 credit transfer, 31 debit transfer, 58 SEPA credit transfer. Default 31 when an account is given. */
  meansCode?: string;
  /** KID (kundeidentifikasjon), MOD10 or MOD11, sent as PaymentID (BT-83). */
  kid?: string;
  /** Norwegian BBAN, 11 digits (BT-84). */
  account?: string;
  iban?: string;
  bic?: string;
  /** Payment account name (BT-85). */
  accountName?: string;
  /** Payee account (BT-84) in a format other than BBAN or IBAN, as an ERP's XML may carry it; kept as given. */
  otherAccount?: string;
  /** Remittance information (BT-83) that is not a KID, e.g. an invoice number; written as PaymentID when there is no KID. */
  remittanceInformation?: string;
  /** Payment terms text (BT-20). */
  terms?: string;
}

export interface Attachment {
  id: string;
  description?: string;
  /** Embedded: base64 content with MIME code and file name (BT-125). */
  contentBase64?: string;
  mimeCode?: string;
  filename?: string;
  /** External: URI (BT-124). */
  uri?: string;
  /** UNTDID 1001 code: `130` makes this the invoiced object identifier (BT-18), `50` a credit note's project reference. */
  documentTypeCode?: string;
  /** Scheme of `id` when it is an invoiced object identifier (BT-18-1, UNTDID 1153), e.g. `ABT`. */
  idSchemeId?: string;
}

/** ERP-supplied totals: each, when present, must equal the computed one (BR-CO-10…16), else an error with the rule id. */
export interface SuppliedTotals {
  lineExtensionAmount?: number;
  /** BT-107, checked by BR-CO-11. */
  allowanceTotalAmount?: number;
  /** BT-108, checked by BR-CO-12. */
  chargeTotalAmount?: number;
  taxExclusiveAmount?: number;
  taxAmount?: number;
  taxInclusiveAmount?: number;
  payableAmount?: number;
  /** The ERP's VAT breakdown (BG-23), checked group by group (BR-S-08, BR-CO-17, …). */
  vatBreakdown?: VatBreakdown[];
}

export interface Invoice {
  documentType: DocumentType;
  typeCode: InvoiceTypeCode;
  /** Business process (BT-23); default `urn:fdc:peppol.eu:2017:poacc:billing:01:1.0`. */
  profileId?: string;
  invoiceNumber: string;
  /** ISO dates YYYY-MM-DD. */
  issueDate: string;
  dueDate?: string;
  taxPointDate?: string;
  currency: string;
  /** VAT accounting currency (BT-6) when it differs from the document currency. */
  taxCurrency?: string;
  /** Tax total in the accounting currency (BT-111), required with taxCurrency. */
  taxAmountInTaxCurrency?: number;
  buyerReference?: string;
  orderReference?: string;
  salesOrderReference?: string;
  contractReference?: string;
  projectReference?: string;
  accountingCost?: string;
  /** Preceding invoices (BG-3): mandatory for 384 and expected on credit notes. */
  billingReferences?: { id: string; issueDate?: string }[];
  notes?: string[];
  invoicePeriod?: { start?: string; end?: string };
  supplier: Party;
  buyer: Buyer;
  /** Payee when it differs from the seller (BG-10). */
  payee?: { name: string; taxId?: string; identifier?: Identifier };
  delivery?: { date?: string; address?: Address; partyName?: string; locationId?: string; locationSchemeId?: string };
  payment?: Payment;
  allowanceCharges?: AllowanceCharge[];
  /** Exemption reasons per VAT category (BT-120/BT-121) for E, AE, K, G and O. */
  vatExemptions?: VatExemption[];
  lines: InvoiceLine[];
  prepaidAmount?: number;
  roundingAmount?: number;
  attachments?: Attachment[];
  /** Supplier branch, for routing and agreements per branch. */
  branch?: string;
  /** Free tags from the ERP, usable in routing rules. */
  tags?: string[];
  suppliedTotals?: SuppliedTotals;
}

export interface VatBreakdown {
  category: VatCategory;
  rate: number;
  taxableAmount: number;
  taxAmount: number;
  exemptionReason?: string;
  exemptionReasonCode?: string;
}

/** Document totals (BG-22) and the VAT breakdown (BG-23), as EN 16931 computes them. */
export interface Totals {
  lineNetAmounts: number[];
  lineExtensionAmount: number;
  allowanceTotalAmount: number;
  chargeTotalAmount: number;
  taxExclusiveAmount: number;
  taxAmount: number;
  taxInclusiveAmount: number;
  prepaidAmount: number;
  roundingAmount: number;
  payableAmount: number;
  vatBreakdown: VatBreakdown[];
}
