/**
 * What an eFaktura B2C issuer can ask of the eFaktura service, in our words, shaped like the eFaktura 2.0 issuer
 * services of Mastercard Payment Services (`efaktura-submitter-service`: getEfakturaIdentifiers, getBlackList,
 * addInvoices, getConsignmentStatus, getInvoiceStatus, cancelInvoice, cancelConsignment; DOMAIN.md §1.2–1.5, §1.8).
 * The real client (issuer-service.ts) and the embedded sandbox (sandbox-provider.ts) both implement it; the
 * channel and the routing look-up see only this interface, never SOAP.
 *
 * Failures are split as everywhere: the answer is no (EfakturaRefused: a fault about this request; the channel
 * falls back), the id was used already (DuplicateConsignment, error 209: the claim is there, poll it), and no
 * answer (EfakturaUnreachable: timeouts, 5xx, credentials the service refuses; retried with backoff).
 */

/** Who to look up. eFaktura 2.0 finds a consumer by fødselsnummer, or by name with address, mobile or e-mail. */
export interface ReceiverQuery {
  /** The issuer's organisation number: the look-up is "for this issuer". */
  issuer: string;
  /** Fødselsnummer / D-nummer (11 digits). Personal data: sent to the service, never logged or kept in receipts. */
  nationalId?: string;
  name?: string;
  address?: { street?: string; postalCode?: string; city?: string; country?: string };
  /** Mobile number, digits only with country code, e.g. 4791234567. */
  mobile?: string;
  email?: string;
  /**
   * The issuer's own customer number. Not part of the issuer service's look-up (it is not sent on the wire);
   * the sandbox keys its consumers on it because that is how a user plays them through the API.
   */
  customerNumber?: string;
}

export type ReceiverLookup = { found: true; efakturaIdentifier: string } | { found: false };

/** How a claim names its receiver (addInvoices error 5003: one of these is required, DOMAIN.md §1.3). */
export type ClaimReceiver =
  | { efakturaIdentifier: string }
  | { socialSecurityNumber: string }
  /** The legacy per-issuer agreement reference (Visma uses the customer number, DOMAIN.md §6). */
  | { efakturaReference: string };

/** One payment claim: what the online bank shows and pays (DOMAIN.md §1.4). Amounts in NOK, two decimals. */
export interface Claim {
  /** Our invoice id (the archive key). The issuer service never sees it; the sandbox files the claim under it. */
  invoiceId: string;
  receiver: ClaimReceiver;
  invoiceNumber: string;
  kid?: string;
  /** The issuer's account (BBAN, 11 digits) the bank pays to. */
  creditAccount: string;
  amount: string;
  minimumAmount?: string;
  /** YYYY-MM-DD */
  dueDate: string;
  issuerName: string;
  /** The signed link to the invoice presentation, available for at least 16 months (efaktura.no). */
  presentationUrl: string;
}

export interface Consignment {
  /** 1–40 characters, unique per issuer; derived from the invoice so a retry reuses it (error 209 on reuse). */
  consignmentId: string;
  issuer: string;
  claims: Claim[];
}

export type ConsignmentState = 'unknown' | 'pending' | 'processed' | 'rejected';
export interface ConsignmentStatus {
  state: ConsignmentState;
  /** Fault codes of a rejected consignment. */
  errors?: ProviderError[];
}

export type InvoiceState = 'pending' | 'accepted' | 'rejected' | 'cancelled';
export interface InvoiceStatus {
  state: InvoiceState;
  /** The receiver the service resolved the claim to, when it says. */
  efakturaIdentifier?: string;
  reason?: ProviderError;
}

export interface ProviderError {
  code: string;
  message: string;
}

export interface EfakturaProvider {
  /** `sandbox` or `issuer-service`: shown in receipts so support knows which world a claim went to. */
  readonly kind: 'sandbox' | 'issuer-service';
  getEfakturaIdentifiers(query: ReceiverQuery): Promise<ReceiverLookup>;
  /** eFaktura identifiers of consumers who blocked this issuer. */
  getBlackList(issuer: string): Promise<string[]>;
  /** Throws DuplicateConsignment when the consignment id was used before. */
  addInvoices(consignment: Consignment): Promise<void>;
  getConsignmentStatus(issuer: string, consignmentId: string): Promise<ConsignmentStatus>;
  getInvoiceStatus(issuer: string, consignmentId: string, invoiceNumber: string): Promise<InvoiceStatus>;
  cancelInvoice(issuer: string, consignmentId: string, invoiceNumber: string): Promise<void>;
  cancelConsignment(issuer: string, consignmentId: string): Promise<void>;
}

/** Error 209: the consignment id was used before. The claim was submitted; never submit it again. */
export class DuplicateConsignment extends Error {
  readonly code = '209';
  constructor(readonly consignmentId: string) {
    super(`consignment ${consignmentId} exists already (209)`);
    this.name = 'DuplicateConsignment';
  }
}

/** The service answered no to this request (a validation fault such as 5003). Retrying the same request cannot help. */
export class EfakturaRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(`eFaktura refused the request (${code}): ${message}`);
    this.name = 'EfakturaRefused';
  }
}

/** No usable answer: network, timeout, 5xx, or credentials the service does not take. Worth retrying later. */
export class EfakturaUnreachable extends Error {
  constructor(readonly reason: 'network' | 'timeout' | 'server' | 'authentication' | 'protocol', message: string) {
    super(message);
    this.name = 'EfakturaUnreachable';
  }

  /** What support reads in the workflow history ("channel error (authentication)"), where the message is not kept. */
  get code(): string {
    return `efaktura-${this.reason}`;
  }
}
