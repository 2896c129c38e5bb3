/**
 * The SMP step of the receiver lookup, and the one module that knows the SMP's wire format (Peppol SMP 1.x,
 * namespace http://busdox.org/serviceMetadata/publishing/1.0/): GET the ServiceGroup, then the SignedServiceMetadata
 * of one document type (following one Redirect), verified, and the endpoint for a process and transport profile in
 * its activation window. Follows phax/peppol-commons `SMPClientReadOnly` (getServiceGroup, getAllDocumentTypes,
 * getServiceMetadata, getEndpoint, isEndpointValidAt); DOMAIN.md §3.3.
 *
 * Answers are typed: 404 is "not there" (a routing fact); 5xx, timeouts, refused connections, unreadable XML and
 * refused signatures are `PeppolLookupUnavailable` (retry; never "not registered").
 *
 * TLS: SMPs are HTTPS only since the NAPTR migration (plain HTTP removed 2026-02-01, digdir/roadmap#446). Node
 * trusts its CAs plus NODE_EXTRA_CA_CERTS (read at process start); `extraCa` adds CAs for a process that cannot
 * set that variable (tests).
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { PeppolLookupUnavailable, type PeppolEndpoint } from './lookup.js';
import { DOCUMENT_TYPE_SCHEME, PARTICIPANT_SCHEME, PROCESS_SCHEME } from './billing-identifiers.js';
import { parseXml, SMP_NS, SmpAnswerUnreadable, SmpSignatureRefused, type SmpSignatureVerifier } from './smp-signature.js';

export const IDS_NS = 'http://busdox.org/transport/identifiers/1.0/';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';

export interface SmpClientOptions {
  /** Whole request (connect, TLS, answer). */
  timeoutMs?: number;
  /** CA certificates (PEM) to trust beside Node's own for the SMP's TLS certificate. */
  extraCa?: string | readonly string[];
  /** The clock of the signature check and the endpoint window. */
  now?: () => Date;
}

export type ServiceGroupAnswer = { found: true; documentTypeIds: string[] } | { found: false; reason: string };

export interface SmpEndpoint extends PeppolEndpoint {
  processId: string;
}

export interface ServiceMetadata {
  participant: string;
  documentTypeId: string;
  /** Every endpoint of every process, as signed. */
  endpoints: SmpEndpoint[];
}

export type ServiceMetadataAnswer = { found: true; metadata: ServiceMetadata } | { found: false; reason: string };

const MAX_ANSWER_BYTES = 1024 * 1024;

export class SmpClient {
  private readonly timeoutMs: number;
  private readonly ca?: string[];
  private readonly now: () => Date;

  constructor(private readonly verifier: SmpSignatureVerifier, options: SmpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const extra = options.extraCa === undefined ? [] : typeof options.extraCa === 'string' ? [options.extraCa] : [...options.extraCa];
    // Giving `ca` replaces Node's list, so keep Node's roots beside the extra ones.
    this.ca = extra.length ? [...rootCertificates, ...extra] : undefined;
    this.now = options.now ?? (() => new Date());
  }

  async serviceGroup(smpUrl: string, participant: string): Promise<ServiceGroupAnswer> {
    const url = `${base(smpUrl)}/${encodeURIComponent(`${PARTICIPANT_SCHEME}::${participant}`)}`;
    const answer = await this.get(url);
    if (answer.status === 404) return { found: false, reason: `the SMP has no service group for ${participant} (404)` };
    expectOk(answer, 'service group');
    const root = readDocument(answer.body, 'ServiceGroup');
    const references = Array.from(root.getElementsByTagNameNS(SMP_NS, 'ServiceMetadataReference'));
    return { found: true, documentTypeIds: references.map((r) => documentTypeIdOfHref(r.getAttribute('href') ?? '')).filter((id): id is string => Boolean(id)) };
  }

  async serviceMetadata(smpUrl: string, participant: string, documentTypeId: string): Promise<ServiceMetadataAnswer> {
    const url = `${base(smpUrl)}/${encodeURIComponent(`${PARTICIPANT_SCHEME}::${participant}`)}/services/${encodeURIComponent(`${DOCUMENT_TYPE_SCHEME}::${documentTypeId}`)}`;
    let answer = await this.signedMetadata(url);
    if (answer === 'not_found') return { found: false, reason: `the SMP has no metadata for ${participant} and this document type (404)` };
    const redirect = childElement(childElement(answer.root, 'ServiceMetadata'), 'Redirect');
    if (redirect) {
      // SMP 1.x: follow one Redirect, and the target must be signed by the certificate the Redirect names
      // (peppol-commons SMPClientReadOnly#getServiceMetadata, containsRedirectSubject).
      const href = redirect.getAttribute('href') ?? '';
      const certificateUid = (childElement(redirect, 'CertificateUID')?.textContent ?? '').trim();
      if (!/^https:\/\//i.test(href)) throw new PeppolLookupUnavailable(`SMP redirect for ${participant} is not an https URL`);
      answer = await this.signedMetadata(href);
      if (answer === 'not_found') return { found: false, reason: `the SMP the redirect names has no metadata for ${participant} (404)` };
      if (childElement(childElement(answer.root, 'ServiceMetadata'), 'Redirect')) {
        throw new PeppolLookupUnavailable(`SMP redirect for ${participant} leads to another redirect; only one is followed`);
      }
      if (!sameSubject(answer.subject, certificateUid)) {
        throw new PeppolLookupUnavailable(`SMP redirect for ${participant}: the target is not signed by the certificate the redirect names`);
      }
    }
    const information = childElement(childElement(answer.root, 'ServiceMetadata'), 'ServiceInformation');
    if (!information) throw new PeppolLookupUnavailable(`SMP metadata for ${participant} has neither ServiceInformation nor Redirect`);
    const metadata = readServiceInformation(information);
    // The signed answer must be about what we asked: a validly signed answer for another participant or document
    // type (replayed by whoever answers for the SMP) is not an answer to this question.
    if (metadata.participant.toLowerCase() !== participant.toLowerCase() || metadata.documentTypeId !== documentTypeId) {
      throw new PeppolLookupUnavailable(`SMP metadata for ${participant} is signed metadata of another participant or document type`);
    }
    return { found: true, metadata };
  }

  private async signedMetadata(url: string): Promise<'not_found' | { root: Element; subject: string }> {
    const answer = await this.get(url);
    if (answer.status === 404) return 'not_found';
    expectOk(answer, 'service metadata');
    try {
      const verified = this.verifier.verify(answer.body, this.now());
      return { root: parseXml(verified.signedXml).documentElement as Element, subject: verified.certificate.subject };
    } catch (err) {
      if (err instanceof SmpSignatureRefused || err instanceof SmpAnswerUnreadable) {
        throw new PeppolLookupUnavailable(`SMP answer refused: ${err.message}`, err);
      }
      throw err;
    }
  }

  private get(url: string): Promise<{ status: number; body: string }> {
    if (!/^https:\/\//i.test(url)) return Promise.reject(new PeppolLookupUnavailable(`SMP URL ${url} is not https; Peppol SMPs answer over HTTPS only`));
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', ca: this.ca, timeout: this.timeoutMs, headers: { accept: 'application/xml, text/xml' } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(unavailable(url, err)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(unavailable(url, err)));
      req.end();
    });
  }
}

function unavailable(url: string, err: Error): PeppolLookupUnavailable {
  const code = (err as { code?: string }).code;
  // Node's TLS verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, …).
  if (code && /CERT|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code)) {
    return new PeppolLookupUnavailable(`SMP ${new URL(url).host}: its TLS certificate is not trusted (${code}); trust its CA with NODE_EXTRA_CA_CERTS`, err);
  }
  return new PeppolLookupUnavailable(`SMP ${new URL(url).host} did not answer (${code ?? err.message})`, err);
}

function expectOk(answer: { status: number }, what: string): void {
  if (answer.status !== 200) throw new PeppolLookupUnavailable(`SMP answered ${answer.status} for the ${what}`);
}

function base(smpUrl: string): string {
  return smpUrl.replace(/\/+$/, '');
}

function readDocument(xml: string, rootName: string): Element {
  let root: Element | null;
  try {
    root = parseXml(xml).documentElement as Element | null;
  } catch (err) {
    throw new PeppolLookupUnavailable(`SMP answer refused: ${(err as Error).message}`, err);
  }
  if (!root || root.namespaceURI !== SMP_NS || root.localName !== rootName) throw new PeppolLookupUnavailable(`SMP answered no ${rootName}`);
  return root;
}

/** `…/{participant}/services/{scheme}::{value}` (percent-encoded) → the document type id (peppol-commons getAllDocumentTypes). */
export function documentTypeIdOfHref(href: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    return undefined;
  }
  const at = decoded.toLowerCase().lastIndexOf('/services/');
  if (at < 0) return undefined;
  const docType = decoded.slice(at + '/services/'.length);
  const prefix = `${DOCUMENT_TYPE_SCHEME}::`;
  return docType.toLowerCase().startsWith(prefix) ? docType.slice(prefix.length) : undefined;
}

function childElement(parent: Element | undefined, localName: string, ns: string = SMP_NS): Element | undefined {
  if (!parent) return undefined;
  return Array.from(parent.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === ns);
}

function childElements(parent: Element | undefined, localName: string, ns: string = SMP_NS): Element[] {
  if (!parent) return [];
  return Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === ns);
}

function text(element: Element | undefined): string | undefined {
  const value = element?.textContent?.trim();
  return value ? value : undefined;
}

function readServiceInformation(information: Element): ServiceMetadata {
  const participant = text(childElement(information, 'ParticipantIdentifier', IDS_NS)) ?? '';
  const documentTypeId = text(childElement(information, 'DocumentIdentifier', IDS_NS)) ?? '';
  const endpoints: SmpEndpoint[] = [];
  for (const process of childElements(childElement(information, 'ProcessList'), 'Process')) {
    const processIdElement = childElement(process, 'ProcessIdentifier', IDS_NS);
    const scheme = processIdElement?.getAttribute('scheme') ?? PROCESS_SCHEME;
    const processId = text(processIdElement) ?? '';
    for (const endpoint of childElements(childElement(process, 'ServiceEndpointList'), 'Endpoint')) {
      endpoints.push({
        processId: scheme === PROCESS_SCHEME ? processId : `${scheme}::${processId}`,
        transportProfile: endpoint.getAttribute('transportProfile') ?? '',
        url: text(childElement(childElement(endpoint, 'EndpointReference', WSA_NS), 'Address', WSA_NS)) ?? '',
        certificate: text(childElement(endpoint, 'Certificate'))?.replace(/\s+/g, ''),
        activation: text(childElement(endpoint, 'ServiceActivationDate')),
        expiration: text(childElement(endpoint, 'ServiceExpirationDate')),
      });
    }
  }
  return { participant, documentTypeId, endpoints };
}

export type EndpointChoice = { ok: true; endpoint: SmpEndpoint } | { ok: false; reason: string };

/**
 * The endpoint for the process and transport profile that is valid at `now` (peppol-commons getEndpoint +
 * isEndpointValidAt): an endpoint not yet active or expired is, for now, no endpoint.
 */
export function chooseEndpoint(metadata: ServiceMetadata, processId: string, transportProfile: string, now: Date): EndpointChoice {
  const candidates = metadata.endpoints.filter((e) => e.processId === processId && e.transportProfile === transportProfile && e.url);
  if (candidates.length === 0) return { ok: false, reason: `no ${transportProfile} endpoint for process ${processId}` };
  const valid = candidates.find((e) => inWindow(e, now));
  if (!valid) {
    const e = candidates[0];
    return { ok: false, reason: `the ${transportProfile} endpoint is not active now (activation ${e.activation ?? '-'}, expiration ${e.expiration ?? '-'})` };
  }
  return { ok: true, endpoint: valid };
}

function inWindow(endpoint: SmpEndpoint, now: Date): boolean {
  const from = endpoint.activation ? Date.parse(endpoint.activation) : NaN;
  const to = endpoint.expiration ? Date.parse(endpoint.expiration) : NaN;
  if (!Number.isNaN(from) && now.getTime() < from) return false;
  if (!Number.isNaN(to) && now.getTime() > to) return false;
  return true;
}

/** A certificate subject (Node writes `CN=…\nO=…`) against a Redirect's CertificateUID (`CN=…,O=…`), RDN by RDN. */
function sameSubject(subject: string, certificateUid: string): boolean {
  const rdns = (value: string) => value.split(/[\n,]/).map((part) => part.trim().replace(/\s*=\s*/, '=').toLowerCase()).filter(Boolean).sort().join('|');
  return certificateUid !== '' && rdns(subject) === rdns(certificateUid);
}
