/**
 * A real SMP on 127.0.0.1 for tests: HTTPS (node:https, a certificate from a test CA) serving Peppol SMP 1.x
 * ServiceGroup and SignedServiceMetadata documents in their real format, signed in the test with xml-crypto by a
 * test SMP certificate (enveloped XMLDSig over the whole document, as phoss-SMP signs). Paths are the SMP's own:
 * `/iso6523-actorid-upis::<participant>` and `…/services/busdox-docid-qns::<document type id>`, percent-encoded.
 */
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { SignedXml } from 'xml-crypto';
import type { TestCertificate } from './test-pki.js';

const SMP_NS = 'http://busdox.org/serviceMetadata/publishing/1.0/';
const IDS_NS = 'http://busdox.org/transport/identifiers/1.0/';

export interface TestEndpoint {
  url: string;
  transportProfile?: string;
  activation?: string;
  expiration?: string;
  /** base64 DER of the receiving AP's certificate. */
  certificate?: string;
}

export interface TestProcess {
  processId: string;
  endpoints: TestEndpoint[];
}

export const paths = {
  serviceGroup: (participant: string) => `/iso6523-actorid-upis::${participant}`,
  metadata: (participant: string, documentTypeId: string) => `/iso6523-actorid-upis::${participant}/services/busdox-docid-qns::${documentTypeId}`,
};

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function serviceGroupXml(smpUrl: string, participant: string, documentTypeIds: readonly string[]): string {
  const references = documentTypeIds
    .map((id) => `    <ServiceMetadataReference href="${escape(`${smpUrl}/${encodeURIComponent(`iso6523-actorid-upis::${participant}`)}/services/${encodeURIComponent(`busdox-docid-qns::${id}`)}`)}"/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ServiceGroup xmlns="${SMP_NS}" xmlns:ids="${IDS_NS}" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <ids:ParticipantIdentifier scheme="iso6523-actorid-upis">${escape(participant)}</ids:ParticipantIdentifier>
  <ServiceMetadataReferenceCollection>
${references}
  </ServiceMetadataReferenceCollection>
</ServiceGroup>`;
}

/** An unsigned SignedServiceMetadata (sign it with `signSmpXml`). */
export function serviceMetadataXml(participant: string, documentTypeId: string, processes: readonly TestProcess[]): string {
  const processXml = processes
    .map(
      (p) => `        <Process>
          <ids:ProcessIdentifier scheme="cenbii-procid-ubl">${escape(p.processId)}</ids:ProcessIdentifier>
          <ServiceEndpointList>
${p.endpoints
  .map(
    (e) => `            <Endpoint transportProfile="${escape(e.transportProfile ?? 'peppol-transport-as4-v2_0')}">
              <wsa:EndpointReference><wsa:Address>${escape(e.url)}</wsa:Address></wsa:EndpointReference>
              <RequireBusinessLevelSignature>false</RequireBusinessLevelSignature>
              <MinimumAuthenticationLevel/>${e.activation ? `\n              <ServiceActivationDate>${e.activation}</ServiceActivationDate>` : ''}${e.expiration ? `\n              <ServiceExpirationDate>${e.expiration}</ServiceExpirationDate>` : ''}
              <Certificate>${e.certificate ?? ''}</Certificate>
              <ServiceDescription>fakturaflyt test AP</ServiceDescription>
              <TechnicalContactUrl>https://ap.example.invalid/contact</TechnicalContactUrl>
            </Endpoint>`,
  )
  .join('\n')}
          </ServiceEndpointList>
        </Process>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<SignedServiceMetadata xmlns="${SMP_NS}" xmlns:ids="${IDS_NS}" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <ServiceMetadata>
    <ServiceInformation>
      <ids:ParticipantIdentifier scheme="iso6523-actorid-upis">${escape(participant)}</ids:ParticipantIdentifier>
      <ids:DocumentIdentifier scheme="busdox-docid-qns">${escape(documentTypeId)}</ids:DocumentIdentifier>
      <ProcessList>
${processXml}
      </ProcessList>
    </ServiceInformation>
  </ServiceMetadata>
</SignedServiceMetadata>`;
}

/** An unsigned SignedServiceMetadata holding a Redirect to another SMP's metadata. */
export function redirectXml(href: string, certificateUid: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<SignedServiceMetadata xmlns="${SMP_NS}" xmlns:ids="${IDS_NS}">
  <ServiceMetadata>
    <Redirect href="${escape(href)}">
      <CertificateUID>${escape(certificateUid)}</CertificateUID>
    </Redirect>
  </ServiceMetadata>
</SignedServiceMetadata>`;
}

const C14N = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  inclusive: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

/** Signs the whole document as an SMP does: enveloped signature, RSA-SHA256, KeyInfo/X509Data with the signer's certificate. */
export function signSmpXml(xml: string, signer: TestCertificate, canonicalization: keyof typeof C14N = 'exclusive'): string {
  const signature = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: C14N[canonicalization],
    getKeyInfoContent: SignedXml.getKeyInfoContent,
  });
  signature.addReference({
    xpath: '/*',
    isEmptyUri: true,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', C14N[canonicalization]],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signature.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return signature.getSignedXml();
}

export interface SmpServer {
  /** `https://127.0.0.1:<port>` (what the SML's NAPTR record names). */
  url: string;
  /** Answer `body` (status 200 unless given) on the SMP path (decoded, e.g. `paths.serviceGroup(p)`). */
  serve(path: string, body: string, status?: number): void;
  remove(path: string): void;
  /** Every request answers this status (an outage), until set back to undefined. */
  outage: number | undefined;
  /** Requests so far (decoded paths). */
  requests: string[];
  close(): Promise<void>;
}

export async function startSmpServer(tls: TestCertificate): Promise<SmpServer> {
  const routes = new Map<string, { status: number; body: string }>();
  const sockets = new Set<Duplex>();
  const state: SmpServer = {
    url: '',
    serve: (path, body, status = 200) => void routes.set(path, { status, body }),
    remove: (path) => void routes.delete(path),
    outage: undefined,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'https://smp').pathname);
    state.requests.push(path);
    if (state.outage !== undefined) {
      res.writeHead(state.outage, { 'content-type': 'text/plain' }).end('SMP unavailable');
      return;
    }
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status, { 'content-type': 'application/xml' }).end(route.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  state.url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return state;
}
