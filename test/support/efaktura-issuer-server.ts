/**
 * A stand-in eFaktura issuer service on 127.0.0.1 that speaks exactly the SOAP 1.1 wire format of
 * docs/efaktura-issuer-service.md. It reads requests with a namespace-aware DOM (not the client's parser), so a
 * client that drifts from the document fails here. It holds consumers, the issuer's blacklist and consignments
 * whose status moves from PROCESSING to PROCESSED after a number of polls; it refuses a repeated consignment id
 * (209), a claim without a receiver (5003) and wrong credentials (wsse:FailedAuthentication), and can answer 5xx.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
const EF_NS = 'urn:fakturaflyt:efaktura-submitter-service:v1';
const OPERATIONS = ['getEfakturaIdentifiers', 'getBlackList', 'addInvoices', 'getConsignmentStatus', 'getInvoiceStatus', 'cancelInvoice', 'cancelConsignment'];

export interface IssuerConsumer {
  efakturaIdentifier: string;
  nationalId?: string;
  name?: string;
  postalCode?: string;
  mobile?: string;
  email?: string;
}

/** A claim as the server received it, field by field. */
export type ReceivedClaim = Record<string, string>;

export interface StoredConsignment {
  consignmentId: string;
  issuer: string;
  claims: ReceivedClaim[];
  polls: number;
  cancelled: Set<string>;
}

export interface IssuerServer {
  url: string;
  consumers: IssuerConsumer[];
  blackList: Set<string>;
  consignments: Map<string, StoredConsignment>;
  /** Every request: operation and the raw envelope. */
  requests: { operation: string; xml: string }[];
  /** How many getConsignmentStatus answers say PROCESSING before PROCESSED. */
  pendingPolls: number;
  /** Receivers (eFaktura identifiers) whose bank rejects claims. */
  rejectingReceivers: Set<string>;
  /** The next n requests get an HTTP 503 with an HTML page. */
  failNext(n: number): void;
  /** Holds the next n requests of an operation until all n have arrived, then answers them: two racing clients. */
  gate(operation: string, n: number): void;
  stop(): Promise<void>;
}

export async function startEfakturaIssuerServer(credentials: { username: string; password: string }): Promise<IssuerServer> {
  let failures = 0;
  let gate: { operation: string; n: number; held: (() => void)[] } | undefined;
  const state: Omit<IssuerServer, 'url' | 'stop' | 'failNext' | 'gate'> = {
    consumers: [],
    blackList: new Set(),
    consignments: new Map(),
    requests: [],
    pendingPolls: 1,
    rejectingReceivers: new Set(),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = () => {
        try {
          handle(req, res, Buffer.concat(chunks).toString('utf8'));
        } catch (err) {
          send(res, 500, fault('soap:Server', String((err as Error).message), 'INTERNAL'));
        }
      };
      if (gate && req.headers.soapaction === `"${gate.operation}"`) {
        const g = gate;
        g.held.push(go);
        if (g.held.length === g.n) {
          gate = undefined;
          g.held.forEach((f) => f());
        }
        return;
      }
      go();
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, xml: string): void {
    if (failures > 0) {
      failures--;
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
      return;
    }
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('text/xml')) {
      res.writeHead(415, { 'content-type': 'text/plain' }).end('SOAP 1.1 wants POST with text/xml');
      return;
    }
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const envelope = doc.documentElement;
    if (!envelope || envelope.namespaceURI !== SOAP_NS || envelope.localName !== 'Envelope') return send(res, 500, fault('soap:Client', 'not a SOAP 1.1 envelope', 'PROTOCOL'));
    const body = child(envelope, SOAP_NS, 'Body');
    const operation = body ? elements(body)[0] : undefined;
    if (!operation || operation.namespaceURI !== EF_NS || !OPERATIONS.includes(operation.localName ?? '')) return send(res, 500, fault('soap:Client', 'unknown operation', 'PROTOCOL'));
    const name = operation.localName!;
    state.requests.push({ operation: name, xml });
    if (req.headers.soapaction !== `"${name}"`) return send(res, 500, fault('soap:Client', 'SOAPAction does not match the operation', 'PROTOCOL'));

    const token = child(child(child(envelope, SOAP_NS, 'Header'), WSSE_NS, 'Security'), WSSE_NS, 'UsernameToken');
    const password = child(token, WSSE_NS, 'Password');
    if (value(token, WSSE_NS, 'Username') !== credentials.username || password?.textContent !== credentials.password || password?.getAttribute('Type') !== PASSWORD_TEXT) {
      return send(res, 500, fault('wsse:FailedAuthentication', 'The security token could not be authenticated or authorized'));
    }
    const issuer = value(operation, EF_NS, 'issuer');
    const answer = (inner: string) => send(res, 200, envelopeOf(`<ef:${name}Response xmlns:ef="${EF_NS}">${inner}</ef:${name}Response>`));

    switch (name) {
      case 'getEfakturaIdentifiers': {
        const receiver = child(operation, EF_NS, 'receiver');
        const ssn = value(receiver, EF_NS, 'socialSecurityNumber');
        const name = value(receiver, EF_NS, 'name')?.toLowerCase();
        const postalCode = value(child(receiver, EF_NS, 'address'), EF_NS, 'postalCode');
        const mobile = value(receiver, EF_NS, 'mobileNumber');
        const email = value(receiver, EF_NS, 'email');
        const found = state.consumers.find((c) =>
          ssn ? c.nationalId === ssn : Boolean(name && c.name?.toLowerCase() === name && ((postalCode && c.postalCode === postalCode) || (mobile && c.mobile === mobile) || (email && c.email === email))),
        );
        return answer(found ? `<ef:status>FOUND</ef:status><ef:efakturaIdentifier>${esc(found.efakturaIdentifier)}</ef:efakturaIdentifier>` : '<ef:status>NOT_FOUND</ef:status>');
      }
      case 'getBlackList':
        return answer(`<ef:blackList>${[...state.blackList].map((id) => `<ef:efakturaIdentifier>${esc(id)}</ef:efakturaIdentifier>`).join('')}</ef:blackList>`);
      case 'addInvoices': {
        const consignment = child(operation, EF_NS, 'consignment');
        const consignmentId = value(consignment, EF_NS, 'consignmentId') ?? '';
        const issuer = value(consignment, EF_NS, 'issuer');
        if (!/^.{1,40}$/.test(consignmentId)) return send(res, 500, fault('soap:Client', 'consignmentId must be 1-40 characters', 'VALIDATION'));
        if (state.consignments.has(`${issuer}/${consignmentId}`)) return send(res, 500, fault('soap:Client', 'Duplicate consignmentId', '209'));
        const claims: ReceivedClaim[] = [];
        for (const invoice of elements(child(consignment, EF_NS, 'invoices')!).filter((e) => e.localName === 'invoice')) {
          const claim = Object.fromEntries(elements(invoice).map((e) => [e.localName!, e.textContent ?? '']));
          if (!claim.efakturaIdentifier && !claim.socialSecurityNumber && !claim.efakturaReference) {
            return send(res, 500, fault('soap:Client', 'One of efakturaReference, efakturaIdentifier or socialSecurityNumber is required', '5003'));
          }
          for (const required of ['invoiceNumber', 'creditAccount', 'amount', 'dueDate', 'issuerName', 'presentationUrl']) {
            if (!claim[required]) return send(res, 500, fault('soap:Client', `${required} is required`, 'VALIDATION'));
          }
          if (!/^\d+\.\d{2}$/.test(claim.amount!) || !/^\d{4}-\d{2}-\d{2}$/.test(claim.dueDate!) || !/^\d{11}$/.test(claim.creditAccount!)) {
            return send(res, 500, fault('soap:Client', 'amount, dueDate or creditAccount malformed', 'VALIDATION'));
          }
          claims.push(claim);
        }
        state.consignments.set(`${issuer}/${consignmentId}`, { consignmentId, issuer: issuer ?? '', claims, polls: 0, cancelled: new Set() });
        return answer(`<ef:consignmentId>${esc(consignmentId)}</ef:consignmentId><ef:status>RECEIVED</ef:status>`);
      }
      case 'getConsignmentStatus': {
        const stored = state.consignments.get(`${issuer}/${value(operation, EF_NS, 'consignmentId')}`);
        if (!stored) return answer('<ef:status>NOT_FOUND</ef:status>');
        stored.polls++;
        return answer(`<ef:status>${processed(stored) ? 'PROCESSED' : 'PROCESSING'}</ef:status>`);
      }
      case 'getInvoiceStatus': {
        const stored = state.consignments.get(`${issuer}/${value(operation, EF_NS, 'consignmentId')}`);
        const invoiceNumber = value(operation, EF_NS, 'invoiceNumber') ?? '';
        const claim = stored?.claims.find((c) => c.invoiceNumber === invoiceNumber);
        if (!stored || !claim) return send(res, 500, fault('soap:Client', 'no such invoice in this consignment', 'NOT_FOUND'));
        if (stored.cancelled.has(invoiceNumber)) return answer('<ef:status>CANCELLED</ef:status>');
        if (!processed(stored)) return answer('<ef:status>PENDING</ef:status>');
        const identifier = claim.efakturaIdentifier ?? state.consumers.find((c) => c.nationalId && c.nationalId === claim.socialSecurityNumber)?.efakturaIdentifier;
        if (identifier && state.rejectingReceivers.has(identifier)) {
          return answer(`<ef:status>REJECTED</ef:status><ef:reason><ef:code>RECEIVER_REJECTED</ef:code><ef:message>The receiver's bank rejected the claim for ${esc(identifier)}</ef:message></ef:reason>`);
        }
        return answer(`<ef:status>ACCEPTED</ef:status>${identifier ? `<ef:efakturaIdentifier>${esc(identifier)}</ef:efakturaIdentifier>` : ''}`);
      }
      case 'cancelInvoice':
      case 'cancelConsignment': {
        const stored = state.consignments.get(`${issuer}/${value(operation, EF_NS, 'consignmentId')}`);
        if (!stored) return send(res, 500, fault('soap:Client', 'no such consignment', 'NOT_FOUND'));
        const numbers = name === 'cancelInvoice' ? [value(operation, EF_NS, 'invoiceNumber') ?? ''] : stored.claims.map((c) => c.invoiceNumber!);
        for (const n of numbers) stored.cancelled.add(n);
        return answer('<ef:status>CANCELLED</ef:status>');
      }
    }
  }

  function processed(stored: StoredConsignment): boolean {
    return stored.polls > state.pendingPolls;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/efaktura-submitter-service/v1`,
    failNext: (n: number) => void (failures = n),
    gate: (operation: string, n: number) => void (gate = { operation, n, held: [] }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(xml);
}

function envelopeOf(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

function fault(faultcode: string, faultstring: string, code?: string): string {
  const detail = code ? `<detail><ef:error xmlns:ef="${EF_NS}"><ef:code>${esc(code)}</ef:code><ef:message>${esc(faultstring)}</ef:message></ef:error></detail>` : '';
  return envelopeOf(`<soap:Fault xmlns:wsse="${WSSE_NS}"><faultcode>${faultcode}</faultcode><faultstring>${esc(faultstring)}</faultstring>${detail}</soap:Fault>`);
}

function elements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function child(parent: Element | undefined, ns: string, localName: string): Element | undefined {
  return parent ? elements(parent).find((e) => e.namespaceURI === ns && e.localName === localName) : undefined;
}

function value(parent: Element | undefined, ns: string, localName: string): string | undefined {
  return child(parent, ns, localName)?.textContent ?? undefined;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
