/**
 * The receiver lookup over real servers on 127.0.0.1: a DNS server playing the SML (NAPTR over UDP) and an HTTPS
 * SMP serving real-format ServiceGroup and SignedServiceMetadata, signed in the test by a test SMP certificate
 * under a test CA (the truststore). Every "no" is an answer; every failure to get a trustworthy answer is
 * PeppolLookupUnavailable, never "not registered".
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { AS4_TRANSPORT_PROFILE, BILLING_PROCESS_ID, DOCUMENT_TYPE_IDS } from '../../../channels/peppol/billing-identifiers.js';
import { PeppolLookupUnavailable, type PeppolLookupResult } from '../../../channels/peppol/lookup.js';
import { SmlPeppolLookup } from '../../../channels/peppol/sml-lookup.js';
import { naptrName, SmlNaptrLocator } from '../../../channels/peppol/sml-naptr.js';
import { SmpClient } from '../../../channels/peppol/smp-client.js';
import { SmpSignatureVerifier } from '../../../channels/peppol/smp-signature.js';
import { startDnsNaptrServer, type DnsNaptrServer } from '../../support/dns-naptr-server.js';
import { freePort } from '../../support/free-port.js';
import { paths, redirectXml, serviceGroupXml, serviceMetadataXml, signSmpXml, startSmpServer, type SmpServer, type TestEndpoint } from '../../support/smp-server.js';
import { createTestCa, type TestCa, type TestCertificate } from '../../support/test-pki.js';

const ZONE = 'participant.sml.test.invalid';
const AP_URL = 'https://ap.example.invalid/as4';

let dns: DnsNaptrServer;
let smp: SmpServer;
let tlsCa: TestCa;
let smpCa: TestCa;
let smpSigner: TestCertificate;
let apCert: TestCertificate;
let lookup: SmlPeppolLookup;

function clientFor(extraCa?: string, trustAnchorsPem = smpCa.certPem): SmpClient {
  return new SmpClient(new SmpSignatureVerifier([new X509Certificate(trustAnchorsPem)]), { extraCa, timeoutMs: 3_000 });
}

function lookupWith(client: SmpClient): SmlPeppolLookup {
  return new SmlPeppolLookup(new SmlNaptrLocator({ zone: ZONE, servers: [dns.address], timeoutMs: 500, tries: 1 }), client);
}

/** Publishes a participant: SML record → our SMP; ServiceGroup; signed metadata for each document type. */
function publish(participant: string, documentTypes: ('invoice' | 'creditNote')[], options: { endpoint?: Partial<TestEndpoint>; signer?: TestCertificate; c14n?: 'exclusive' | 'inclusive' } = {}) {
  dns.setSmp(naptrName(participant, ZONE), `${smp.url}/`);
  smp.serve(paths.serviceGroup(participant), serviceGroupXml(smp.url, participant, documentTypes.map((t) => DOCUMENT_TYPE_IDS[t])));
  for (const type of documentTypes) {
    const xml = serviceMetadataXml(participant, DOCUMENT_TYPE_IDS[type], [
      { processId: BILLING_PROCESS_ID, endpoints: [{ url: AP_URL, certificate: apCert.derBase64, ...options.endpoint }] },
    ]);
    smp.serve(paths.metadata(participant, DOCUMENT_TYPE_IDS[type]), signSmpXml(xml, options.signer ?? smpSigner, options.c14n));
  }
}

beforeAll(async () => {
  tlsCa = createTestCa('fakturaflyt test TLS CA');
  smpCa = createTestCa('fakturaflyt test SMP CA');
  smpSigner = smpCa.issue({ commonName: 'SMP_TEST_0001' });
  apCert = smpCa.issue({ commonName: 'AP_TEST_0001' });
  dns = await startDnsNaptrServer();
  smp = await startSmpServer(tlsCa.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'] }));
  lookup = lookupWith(clientFor(tlsCa.certPem));
});

afterAll(async () => {
  await smp?.close();
  await dns?.close();
});

async function unavailable(promise: Promise<PeppolLookupResult>): Promise<string> {
  const err = await promise.then(
    (result) => {
      throw new Error(`expected a technical failure, got ${JSON.stringify(result)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PeppolLookupUnavailable);
  return (err as Error).message;
}

describe('SML + SMP lookup', () => {
  it('a registered receiver: its AS4 endpoint for the billing process, from metadata whose signature verifies', async () => {
    publish('0192:987654325', ['invoice', 'creditNote']);
    const result = await lookup.lookup('0192:987654325', 'invoice');
    expect(result).toMatchObject({
      status: 'registered',
      participant: '0192:987654325',
      documentTypes: ['invoice', 'creditNote'],
      endpoint: { url: AP_URL, transportProfile: AS4_TRANSPORT_PROFILE, certificate: apCert.derBase64 },
      source: 'sml',
    });
    expect(smp.requests).toContain(paths.metadata('0192:987654325', DOCUMENT_TYPE_IDS.invoice));
  });

  it('verifies inclusive C14N signatures as well as exclusive ones', async () => {
    publish('0192:988077917', ['invoice'], { c14n: 'inclusive' });
    expect(await lookup.lookup('0192:988077917', 'invoice')).toMatchObject({ status: 'registered', endpoint: { url: AP_URL } });
  });

  it('registered only for invoices: a credit note is document_type_not_registered', async () => {
    publish('0192:995525828', ['invoice']);
    const result = await lookup.lookup('0192:995525828', 'creditNote');
    expect(result).toMatchObject({ status: 'document_type_not_registered', documentTypes: ['invoice'] });
    expect(result.reason).toMatch(/creditNote/);
  });

  it('not registered: no NAPTR record (NXDOMAIN)', async () => {
    const result = await lookup.lookup('0192:123456785', 'invoice');
    expect(result).toMatchObject({ status: 'not_registered', documentTypes: [] });
  });

  it('not registered: the SMP has no service group (404)', async () => {
    dns.setSmp(naptrName('0192:991825827', ZONE), smp.url);
    const result = await lookup.lookup('0192:991825827', 'invoice');
    expect(result).toMatchObject({ status: 'not_registered' });
    expect(result.reason).toMatch(/404/);
  });

  it('an SML that fails (SERVFAIL) is a technical failure', async () => {
    dns.set(naptrName('0192:974760673', ZONE), 'servfail');
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/ESERVFAIL/);
  });

  it('an SMP outage (5xx) is a technical failure, not "not registered"', async () => {
    publish('0192:987654325', ['invoice', 'creditNote']);
    smp.outage = 503;
    try {
      expect(await unavailable(lookup.lookup('0192:987654325', 'invoice'))).toMatch(/503/);
    } finally {
      smp.outage = undefined;
    }
  });

  it('an SMP that refuses connections is a technical failure', async () => {
    dns.setSmp(naptrName('0192:923609016', ZONE), `https://127.0.0.1:${await freePort()}`);
    expect(await unavailable(lookup.lookup('0192:923609016', 'invoice'))).toMatch(/ECONNREFUSED/);
  });

  it('an SMP whose TLS certificate we do not trust is a technical failure', async () => {
    publish('0192:987654325', ['invoice', 'creditNote']);
    expect(await unavailable(lookupWith(clientFor(undefined)).lookup('0192:987654325', 'invoice'))).toMatch(/TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
  });

  it('tampered metadata (endpoint changed after signing) is refused', async () => {
    publish('0192:810305282', ['invoice']);
    const path = paths.metadata('0192:810305282', DOCUMENT_TYPE_IDS.invoice);
    const signed = signSmpXml(serviceMetadataXml('0192:810305282', DOCUMENT_TYPE_IDS.invoice, [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: AP_URL }] }]), smpSigner);
    const tampered = signed.replace(AP_URL, 'https://attacker.example.invalid/as4');
    expect(tampered).not.toBe(signed);
    smp.serve(path, tampered);
    expect(await unavailable(lookup.lookup('0192:810305282', 'invoice'))).toMatch(/signature/);
    smp.serve(path, signed);
    expect(await lookup.lookup('0192:810305282', 'invoice')).toMatchObject({ status: 'registered' });
  });

  it('an SMP answering something that is not its XML is a technical failure', async () => {
    publish('0192:974760673', ['invoice']);
    smp.serve(paths.serviceGroup('0192:974760673'), '<html><body>Maintenance</body>');
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/does not parse/);
    smp.serve(paths.serviceGroup('0192:974760673'), '<html><body>Maintenance</body></html>');
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/no ServiceGroup/);
    publish('0192:974760673', ['invoice']);
    smp.serve(paths.metadata('0192:974760673', DOCUMENT_TYPE_IDS.invoice), '<SignedServiceMetadata');
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/refused: the SMP answered XML that does not parse/);
  });

  it('an HMAC signature keyed with the public certificate (key confusion) is refused', async () => {
    publish('0192:974760673', ['invoice']);
    const path = paths.metadata('0192:974760673', DOCUMENT_TYPE_IDS.invoice);
    const xml = serviceMetadataXml('0192:974760673', DOCUMENT_TYPE_IDS.invoice, [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: 'https://attacker.example.invalid/as4' }] }]);
    const forged = new SignedXml({ privateKey: smpSigner.certPem, publicCert: smpSigner.certPem, signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#', getKeyInfoContent: SignedXml.getKeyInfoContent });
    forged.enableHMAC();
    forged.addReference({ xpath: '/*', isEmptyUri: true, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    forged.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
    smp.serve(path, forged.getSignedXml());
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/signature/);
  });

  it('metadata signed by a certificate that does not chain to the truststore is refused', async () => {
    const stranger = createTestCa('someone else').issue({ commonName: 'SMP_TEST_0001' });
    publish('0192:974760673', ['invoice'], { signer: stranger });
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/PEPPOL_SMP_TRUSTSTORE/);
  });

  it('metadata signed with an expired SMP certificate is refused', async () => {
    const expired = smpCa.issue({ commonName: 'SMP_TEST_OLD', notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    publish('0192:974760673', ['invoice'], { signer: expired });
    expect(await unavailable(lookup.lookup('0192:974760673', 'invoice'))).toMatch(/not valid now/);
  });

  it("signed metadata of another participant is not this participant's answer", async () => {
    publish('0192:984661185', ['invoice']);
    const other = signSmpXml(serviceMetadataXml('0192:987654325', DOCUMENT_TYPE_IDS.invoice, [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: AP_URL }] }]), smpSigner);
    smp.serve(paths.metadata('0192:984661185', DOCUMENT_TYPE_IDS.invoice), other);
    expect(await unavailable(lookup.lookup('0192:984661185', 'invoice'))).toMatch(/another participant/);
  });

  it('an expired endpoint is no endpoint: document_type_not_registered', async () => {
    publish('0192:916878911', ['invoice'], { endpoint: { activation: '2020-01-01T00:00:00Z', expiration: '2021-01-01T00:00:00Z' } });
    const result = await lookup.lookup('0192:916878911', 'invoice');
    expect(result).toMatchObject({ status: 'document_type_not_registered', documentTypes: [] });
    expect(result.reason).toMatch(/not active now/);
    publish('0192:916878911', ['invoice'], { endpoint: { activation: '2020-01-01T00:00:00Z', expiration: '2999-01-01T00:00:00Z' } });
    expect(await lookup.lookup('0192:916878911', 'invoice')).toMatchObject({ status: 'registered', endpoint: { expiration: '2999-01-01T00:00:00Z' } });
  });

  it('an endpoint only for another transport profile is no endpoint', async () => {
    publish('0192:916878911', ['invoice'], { endpoint: { transportProfile: 'busdox-transport-as2-ver1p0' } });
    expect(await lookup.lookup('0192:916878911', 'invoice')).toMatchObject({ status: 'document_type_not_registered', reason: expect.stringMatching(/peppol-transport-as4-v2_0/) });
  });

  it('follows one Redirect to metadata signed by the certificate it names', async () => {
    const participant = '0192:964338531';
    const secondSigner = smpCa.issue({ commonName: 'SMP_TEST_0002' });
    publish(participant, ['invoice']);
    const target = `${smp.url}/elsewhere/${encodeURIComponent(`iso6523-actorid-upis::${participant}`)}`;
    smp.serve(paths.metadata(participant, DOCUMENT_TYPE_IDS.invoice), signSmpXml(redirectXml(target, secondSigner.subject), smpSigner));
    const metadata = serviceMetadataXml(participant, DOCUMENT_TYPE_IDS.invoice, [{ processId: BILLING_PROCESS_ID, endpoints: [{ url: 'https://redirected.example.invalid/as4' }] }]);
    smp.serve(`/elsewhere/iso6523-actorid-upis::${participant}`, signSmpXml(metadata, secondSigner));
    expect(await lookup.lookup(participant, 'invoice')).toMatchObject({ status: 'registered', endpoint: { url: 'https://redirected.example.invalid/as4' } });

    // Signed by another (trusted) certificate than the one the Redirect names: refused.
    smp.serve(`/elsewhere/iso6523-actorid-upis::${participant}`, signSmpXml(metadata, smpSigner));
    expect(await unavailable(lookup.lookup(participant, 'invoice'))).toMatch(/redirect/);

    // A second Redirect is not followed.
    smp.serve(`/elsewhere/iso6523-actorid-upis::${participant}`, signSmpXml(redirectXml(target, secondSigner.subject), secondSigner));
    expect(await unavailable(lookup.lookup(participant, 'invoice'))).toMatch(/only one/);
  });
});

describe('TLS trust through NODE_EXTRA_CA_CERTS', () => {
  it('a process started with NODE_EXTRA_CA_CERTS trusts the SMP without any option', async () => {
    publish('0192:987654325', ['invoice', 'creditNote']);
    const dir = await mkdtemp(join(tmpdir(), 'fakturaflyt-extra-ca-'));
    try {
      const caFile = join(dir, 'tls-ca.pem');
      const trustFile = join(dir, 'smp-truststore.pem');
      await writeFile(caFile, tlsCa.certPem);
      await writeFile(trustFile, smpCa.certPem);
      const script = join(dir, 'group.ts');
      const client = new URL('../../../channels/peppol/smp-client.ts', import.meta.url).pathname;
      const signature = new URL('../../../channels/peppol/smp-signature.ts', import.meta.url).pathname;
      await writeFile(
        script,
        `import { SmpClient } from ${JSON.stringify(client)};
import { SmpSignatureVerifier } from ${JSON.stringify(signature)};
const client = new SmpClient(SmpSignatureVerifier.fromPemFile(${JSON.stringify(trustFile)}), { timeoutMs: 3000 });
client.serviceGroup(${JSON.stringify(smp.url)}, '0192:987654325').then(
  (answer) => console.log(JSON.stringify(answer)),
  (err) => console.log(JSON.stringify({ error: err.message })),
);
`,
      );
      const run = (env: NodeJS.ProcessEnv) =>
        new Promise<string>((resolve, reject) =>
          execFile('npx', ['tsx', script], { cwd: process.cwd(), env, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim().split('\n').at(-1) ?? ''))),
        );
      const { NODE_EXTRA_CA_CERTS: _, ...base } = process.env;
      const trusted = JSON.parse(await run({ ...base, NODE_EXTRA_CA_CERTS: caFile }));
      expect(trusted).toEqual({ found: true, documentTypeIds: [DOCUMENT_TYPE_IDS.invoice, DOCUMENT_TYPE_IDS.creditNote] });
      const untrusted = JSON.parse(await run(base));
      expect(untrusted.error).toMatch(/TLS certificate is not trusted/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
