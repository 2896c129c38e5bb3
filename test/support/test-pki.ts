/**
 * A test PKI made with node-forge (keys from node:crypto, which is fast): a CA, and certificates it issues for an
 * HTTPS server on 127.0.0.1 or for signing (an SMP's metadata signing certificate). Nothing here is trusted outside
 * the test that makes it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  /** The certificate's base64 DER (as XMLDSig X509Certificate and the SMP's Endpoint/Certificate hold it). */
  derBase64: string;
  subject: string;
}

export interface TestCa extends TestCertificate {
  issue(options: IssueOptions): TestCertificate;
}

export interface IssueOptions {
  commonName: string;
  /** IP addresses and DNS names for a TLS server certificate. */
  ips?: string[];
  dnsNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

const DAY = 86_400_000;

function keyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.PrivateKey; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    keyPem,
  };
}

function described(cert: forge.pki.Certificate, keyPem: string): TestCertificate {
  const certPem = forge.pki.certificateToPem(cert);
  const derBase64 = forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
  const subject = cert.subject.attributes.map((a) => `${a.shortName}=${a.value}`).join(',');
  return { certPem, keyPem, derBase64, subject };
}

export function createTestCa(commonName = 'fakturaflyt test CA', validity: { notBefore?: Date; notAfter?: Date } = {}): TestCa {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = validity.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = validity.notAfter ?? new Date(Date.now() + 365 * DAY);
  const attrs = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'fakturaflyt tests' }, { name: 'countryName', value: 'NO' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const ca = described(cert, keys.keyPem);

  return {
    ...ca,
    issue(options: IssueOptions): TestCertificate {
      const leafKeys = keyPair();
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = leafKeys.publicKey;
      leaf.serialNumber = `01${randomBytes(8).toString('hex')}`;
      leaf.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
      leaf.validity.notAfter = options.notAfter ?? new Date(Date.now() + 90 * DAY);
      leaf.setSubject([{ name: 'commonName', value: options.commonName }, { name: 'organizationName', value: 'fakturaflyt tests' }, { name: 'countryName', value: 'NO' }]);
      leaf.setIssuer(cert.subject.attributes);
      const altNames = [...(options.ips ?? []).map((ip) => ({ type: 7, ip })), ...(options.dnsNames ?? []).map((value) => ({ type: 2, value }))];
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        ...(altNames.length ? [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames }] : []),
      ]);
      leaf.sign(keys.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
      return described(leaf, leafKeys.keyPem);
    },
  };
}
