/**
 * The eFaktura issuer service client (EFAKTURA_PROVIDER=issuer-service): SOAP 1.1 over HTTP(S), shaped like
 * Mastercard Payment Services' `efaktura-submitter-service/v1` (DOMAIN.md §1.8). No public WSDL was at hand, so
 * the operations carry the documented names and our element names; every byte of the wire format is in this
 * module and written down in docs/efaktura-issuer-service.md. Replacing it for the real WSDL touches only here.
 *
 * Credentials travel as a WS-Security UsernameToken (PasswordText) in the SOAP header — the OASIS standard for
 * SOAP 1.1 services — so they do not depend on what an HTTP proxy in between does with Authorization headers.
 * Use an https:// EFAKTURA_URL: the password is in clear text inside the envelope.
 */
import { XMLParser } from 'fast-xml-parser';
import { XmlElement } from '../../ehf/xml-writer.js';
import { maskText } from '../masking.js';
import {
  DuplicateConsignment,
  EfakturaRefused,
  EfakturaUnreachable,
  type Claim,
  type Consignment,
  type ConsignmentStatus,
  type EfakturaProvider,
  type InvoiceStatus,
  type ProviderError,
  type ReceiverLookup,
  type ReceiverQuery,
} from './provider.js';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
/** Ours, until the real WSDL names the target namespace (docs/efaktura-issuer-service.md). */
export const EFAKTURA_NS = 'urn:fakturaflyt:efaktura-submitter-service:v1';

export interface IssuerServiceOptions {
  /** EFAKTURA_URL: the service endpoint, e.g. https://…/efaktura-submitter-service/v1 */
  url: string;
  username: string;
  password: string;
  /** Per request; well inside the deliver activity's two minutes. */
  timeoutMs?: number;
}

type Fields = Record<string, unknown>;

export class IssuerServiceProvider implements EfakturaProvider {
  readonly kind = 'issuer-service' as const;
  constructor(private readonly options: IssuerServiceOptions) {}

  async getEfakturaIdentifiers(query: ReceiverQuery): Promise<ReceiverLookup> {
    const result = await this.call('getEfakturaIdentifiers', (op) => {
      op.ele('ef:issuer').txt(query.issuer);
      const receiver = op.ele('ef:receiver');
      if (query.nationalId) {
        receiver.ele('ef:socialSecurityNumber').txt(query.nationalId);
        return;
      }
      optional(receiver, 'name', query.name);
      if (query.address && (query.address.street || query.address.postalCode)) {
        const address = receiver.ele('ef:address');
        optional(address, 'streetAddress', query.address.street);
        optional(address, 'postalCode', query.address.postalCode);
        optional(address, 'postalPlace', query.address.city);
        optional(address, 'countryCode', query.address.country);
      }
      optional(receiver, 'mobileNumber', query.mobile);
      optional(receiver, 'email', query.email);
    });
    const status = text(result.status);
    if (status === 'FOUND' && text(result.efakturaIdentifier)) return { found: true, efakturaIdentifier: text(result.efakturaIdentifier) };
    if (status === 'NOT_FOUND') return { found: false };
    throw new EfakturaUnreachable('protocol', `getEfakturaIdentifiers answered status ${JSON.stringify(status)}`);
  }

  async getBlackList(issuer: string): Promise<string[]> {
    const result = await this.call('getBlackList', (op) => op.ele('ef:issuer').txt(issuer));
    const list = (result.blackList ?? {}) as Fields;
    return asArray(list.efakturaIdentifier).map(text).filter(Boolean);
  }

  async addInvoices(consignment: Consignment): Promise<void> {
    const result = await this.call('addInvoices', (op) => {
      const c = op.ele('ef:consignment');
      c.ele('ef:consignmentId').txt(consignment.consignmentId);
      c.ele('ef:issuer').txt(consignment.issuer);
      const invoices = c.ele('ef:invoices');
      for (const claim of consignment.claims) claimElement(invoices.ele('ef:invoice'), claim);
    }).catch((err) => {
      throw err instanceof DuplicateConsignment ? new DuplicateConsignment(consignment.consignmentId) : err;
    });
    if (text(result.consignmentId) !== consignment.consignmentId) {
      throw new EfakturaUnreachable('protocol', 'addInvoices answered for another consignment');
    }
  }

  async getConsignmentStatus(issuer: string, consignmentId: string): Promise<ConsignmentStatus> {
    const result = await this.call('getConsignmentStatus', (op) => {
      op.ele('ef:issuer').txt(issuer);
      op.ele('ef:consignmentId').txt(consignmentId);
    });
    const states = { NOT_FOUND: 'unknown', RECEIVED: 'pending', PROCESSING: 'pending', PROCESSED: 'processed', REJECTED: 'rejected' } as const;
    const state = states[text(result.status) as keyof typeof states];
    if (!state) throw new EfakturaUnreachable('protocol', `getConsignmentStatus answered status ${JSON.stringify(text(result.status))}`);
    const errors = asArray(((result.errors ?? {}) as Fields).error).map(providerError);
    return errors.length ? { state, errors } : { state };
  }

  async getInvoiceStatus(issuer: string, consignmentId: string, invoiceNumber: string): Promise<InvoiceStatus> {
    const result = await this.call('getInvoiceStatus', (op) => {
      op.ele('ef:issuer').txt(issuer);
      op.ele('ef:consignmentId').txt(consignmentId);
      op.ele('ef:invoiceNumber').txt(invoiceNumber);
    });
    const states = { PENDING: 'pending', ACCEPTED: 'accepted', REJECTED: 'rejected', CANCELLED: 'cancelled' } as const;
    const state = states[text(result.status) as keyof typeof states];
    if (!state) throw new EfakturaUnreachable('protocol', `getInvoiceStatus answered status ${JSON.stringify(text(result.status))}`);
    const status: InvoiceStatus = { state };
    if (text(result.efakturaIdentifier)) status.efakturaIdentifier = text(result.efakturaIdentifier);
    if (result.reason) status.reason = providerError(result.reason);
    return status;
  }

  async cancelInvoice(issuer: string, consignmentId: string, invoiceNumber: string): Promise<void> {
    await this.call('cancelInvoice', (op) => {
      op.ele('ef:issuer').txt(issuer);
      op.ele('ef:consignmentId').txt(consignmentId);
      op.ele('ef:invoiceNumber').txt(invoiceNumber);
    });
  }

  async cancelConsignment(issuer: string, consignmentId: string): Promise<void> {
    await this.call('cancelConsignment', (op) => {
      op.ele('ef:issuer').txt(issuer);
      op.ele('ef:consignmentId').txt(consignmentId);
    });
  }

  /** One SOAP 1.1 round trip: the operation's response element, or a typed failure. */
  private async call(operation: string, body: (op: XmlElement) => void): Promise<Fields> {
    const request = buildEnvelope(operation, body, this.options);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${operation}"` },
        body: request,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new EfakturaUnreachable('timeout', `${operation}: no answer within ${this.options.timeoutMs ?? 20_000} ms`);
      const code = (err as { cause?: { code?: string } }).cause?.code;
      throw new EfakturaUnreachable('network', `${operation}: ${code ?? 'connection failed'}`);
    }
    const xml = await response.text();
    if (response.status === 401 || response.status === 403) throw new EfakturaUnreachable('authentication', `${operation}: HTTP ${response.status}`);
    const parsed = parseEnvelope(xml);
    const fault = parsed?.Fault as Fields | undefined;
    if (fault) throw faultError(operation, fault);
    if (response.status >= 500) throw new EfakturaUnreachable('server', `${operation}: HTTP ${response.status}`);
    const result = parsed?.[`${operation}Response`];
    if (response.status !== 200 || result === undefined) throw new EfakturaUnreachable('protocol', `${operation}: HTTP ${response.status} without a ${operation}Response`);
    return (typeof result === 'object' && result ? result : {}) as Fields;
  }
}

export function buildEnvelope(operation: string, body: (op: XmlElement) => void, credentials: { username: string; password: string }): string {
  const envelope = new XmlElement('soap:Envelope', { 'xmlns:soap': SOAP_NS });
  const token = envelope.ele('soap:Header').ele('wsse:Security', { 'xmlns:wsse': WSSE_NS, 'soap:mustUnderstand': '1' }).ele('wsse:UsernameToken');
  token.ele('wsse:Username').txt(credentials.username);
  token.ele('wsse:Password', { Type: PASSWORD_TEXT }).txt(credentials.password);
  body(envelope.ele('soap:Body').ele(`ef:${operation}`, { 'xmlns:ef': EFAKTURA_NS }));
  return envelope.toDocument({ compact: true });
}

function claimElement(el: XmlElement, claim: Claim): void {
  // The receiver first: exactly one of the three (error 5003 otherwise).
  if ('efakturaIdentifier' in claim.receiver) el.ele('ef:efakturaIdentifier').txt(claim.receiver.efakturaIdentifier);
  else if ('socialSecurityNumber' in claim.receiver) el.ele('ef:socialSecurityNumber').txt(claim.receiver.socialSecurityNumber);
  else el.ele('ef:efakturaReference').txt(claim.receiver.efakturaReference);
  el.ele('ef:invoiceNumber').txt(claim.invoiceNumber);
  el.ele('ef:documentType').txt('INVOICE');
  optional(el, 'kid', claim.kid);
  el.ele('ef:creditAccount').txt(claim.creditAccount);
  el.ele('ef:amount').txt(claim.amount);
  optional(el, 'minimumAmount', claim.minimumAmount);
  el.ele('ef:dueDate').txt(claim.dueDate);
  el.ele('ef:issuerName').txt(claim.issuerName);
  el.ele('ef:presentationUrl').txt(claim.presentationUrl);
}

function optional(el: XmlElement, name: string, value: string | undefined): void {
  if (value) el.ele(`ef:${name}`).txt(value);
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });

/** The SOAP Body's content, or undefined when the answer is not a SOAP envelope (an HTML error page, say). */
export function parseEnvelope(xml: string): Fields | undefined {
  try {
    const doc = parser.parse(xml) as Fields;
    const body = (doc.Envelope as Fields | undefined)?.Body;
    return typeof body === 'object' && body ? (body as Fields) : undefined;
  } catch {
    return undefined;
  }
}

function faultError(operation: string, fault: Fields): Error {
  const faultcode = text(fault.faultcode);
  const detail = ((fault.detail ?? {}) as Fields).error as Fields | undefined;
  const error = detail ? providerError(detail) : providerError({ code: faultcode, message: fault.faultstring });
  // WS-Security 1.1 §12: wsse:FailedAuthentication / InvalidSecurityToken — the prefix is removed by the parser.
  if (/(^|:)(FailedAuthentication|InvalidSecurity|InvalidSecurityToken)$/.test(faultcode)) {
    return new EfakturaUnreachable('authentication', `${operation}: the service refused our credentials (${faultcode})`);
  }
  if (error.code === '209') return new DuplicateConsignment('');
  // Only the code: this text can reach a workflow history, and the provider's words may name the receiver.
  if (/(^|:)Server$/.test(faultcode)) return new EfakturaUnreachable('server', `${operation}: server fault ${error.code || faultcode}`);
  return new EfakturaRefused(error.code, error.message);
}

function providerError(value: unknown): ProviderError {
  const fields = (typeof value === 'object' && value ? value : {}) as Fields;
  // A provider's text may echo a receiver's number or address.
  return { code: text(fields.code), message: maskText(text(fields.message)) };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return text((value as Fields)['#text']);
  return String(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];
}
