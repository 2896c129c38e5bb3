/**
 * The SMP's signature on a SignedServiceMetadata: an enveloped XMLDSig over the whole document, made with the
 * SMP's certificate, which must chain to the Peppol SMP CA (PEPPOL_SMP_TRUSTSTORE). Without this check anyone who
 * can answer DNS or HTTP for the SMP could send our invoices to their own access point (DOMAIN.md §3.3; peppol-commons
 * `SMPHttpResponseHandlerSigned` verifies the same way).
 *
 * xml-crypto does the canonicalisation (exclusive or inclusive C14N, whichever the SignedInfo names) and the digest
 * and signature checks; the caller reads only what the signature covers (`signedXml`), never the received bytes,
 * so nothing can be wrapped around or beside the signed content.
 */
import { DOMParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const SMP_NS = 'http://busdox.org/serviceMetadata/publishing/1.0/';

/** The SMP's answer could not be trusted: a technical failure of the lookup, never "not registered". */
export class SmpSignatureRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmpSignatureRefused';
  }
}

export interface VerifiedMetadata {
  /** The canonical XML the signature covers (the SignedServiceMetadata without its Signature). */
  signedXml: string;
  /** The SMP's signing certificate. */
  certificate: X509Certificate;
}

/** Every certificate of a PEM file (a truststore as OpenSSL and Node write them). */
export function readPemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

export class SmpSignatureVerifier {
  constructor(private readonly trustAnchors: readonly X509Certificate[]) {
    if (trustAnchors.length === 0) throw new Error('the SMP truststore holds no CA certificate');
  }

  static fromPemFile(path: string): SmpSignatureVerifier {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`PEPPOL_SMP_TRUSTSTORE ${path} cannot be read: ${(err as Error).message}`);
    }
    const certificates = readPemCertificates(pem);
    if (certificates.length === 0) throw new Error(`PEPPOL_SMP_TRUSTSTORE ${path} holds no PEM certificate`);
    return new SmpSignatureVerifier(certificates);
  }

  verify(xml: string, now: Date = new Date()): VerifiedMetadata {
    const doc = parseXml(xml);
    const root = doc.documentElement;
    if (!root || root.namespaceURI !== SMP_NS || root.localName !== 'SignedServiceMetadata') {
      throw new SmpSignatureRefused('the SMP answered no SignedServiceMetadata');
    }
    const signatures = Array.from(root.childNodes).filter(
      (n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === XMLDSIG_NS && (n as Element).localName === 'Signature',
    );
    if (signatures.length !== 1) throw new SmpSignatureRefused(`the SignedServiceMetadata carries ${signatures.length} signatures, not one`);
    const signature = signatures[0];

    const certificate = signingCertificate(signature);
    this.checkChain(certificate, now);

    const signed = new SignedXml({ publicCert: certificate.toString() });
    try {
      signed.loadSignature(signature);
      if (!signed.checkSignature(xml)) throw new SmpSignatureRefused('the SMP signature does not verify');
    } catch (err) {
      if (err instanceof SmpSignatureRefused) throw err;
      throw new SmpSignatureRefused(`the SMP signature does not verify: ${(err as Error).message}`);
    }
    // Peppol SMP signatures sign the whole document (Reference URI=""): one reference, whose content is the document.
    const references = signed.getSignedReferences();
    if (references.length !== 1) throw new SmpSignatureRefused(`the SMP signature covers ${references.length} references, not the one whole document`);
    const covered = parseXml(references[0]).documentElement;
    if (!covered || covered.namespaceURI !== SMP_NS || covered.localName !== 'SignedServiceMetadata') {
      throw new SmpSignatureRefused('the SMP signature does not cover the SignedServiceMetadata');
    }
    return { signedXml: references[0], certificate };
  }

  /** The certificate is in date and issued (and signed) by a CA of the truststore, itself in date: the CAs there are the anchors. */
  private checkChain(certificate: X509Certificate, now: Date): void {
    assertInDate(certificate, now, 'SMP certificate');
    const issuer = this.trustAnchors.find((anchor) => certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey));
    if (!issuer) throw new SmpSignatureRefused(`the SMP certificate (${oneLine(certificate.subject)}) does not chain to a CA in PEPPOL_SMP_TRUSTSTORE`);
    assertInDate(issuer, now, 'CA certificate');
  }
}

function signingCertificate(signature: Element): X509Certificate {
  const nodes = signature.getElementsByTagNameNS(XMLDSIG_NS, 'X509Certificate');
  if (nodes.length === 0) throw new SmpSignatureRefused('the SMP signature names no certificate (KeyInfo/X509Data/X509Certificate)');
  const base64 = (nodes[0].textContent ?? '').replace(/\s+/g, '');
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw new SmpSignatureRefused('the certificate in the SMP signature cannot be read');
  }
}

function assertInDate(certificate: X509Certificate, now: Date, what: string): void {
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new SmpSignatureRefused(`the ${what} (${oneLine(certificate.subject)}) is not valid now (${certificate.validFrom} – ${certificate.validTo})`);
  }
}

function oneLine(subject: string): string {
  return subject.split('\n').join(', ');
}

/** The SMP answered something that is not the XML the protocol defines. */
export class SmpAnswerUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmpAnswerUnreadable';
  }
}

export function parseXml(xml: string): Document {
  const errors: string[] = [];
  let doc;
  try {
    // xmldom throws a ParseError on fatal errors and reports the others to onError.
    doc = new DOMParser({ onError: (level, message) => (level !== 'warning' ? errors.push(message) : undefined) }).parseFromString(xml, 'text/xml');
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length || !doc?.documentElement) throw new SmpAnswerUnreadable(`the SMP answered XML that does not parse: ${errors[0] ?? 'no root element'}`);
  return doc as unknown as Document;
}
