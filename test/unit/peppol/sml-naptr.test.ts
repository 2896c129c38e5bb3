/**
 * The SML step: the U-NAPTR name against the shared vectors (peppol-commons' own examples), and the DNS answers
 * from a real DNS server on 127.0.0.1: NAPTR → the SMP URL, NXDOMAIN/NODATA → not registered, SERVFAIL, REFUSED,
 * silence and a closed port → technical failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeppolLookupUnavailable } from '../../../channels/peppol/lookup.js';
import { base32, naptrName, smpUrlFromNaptr, SmlNaptrLocator } from '../../../channels/peppol/sml-naptr.js';
import { startDnsNaptrServer, type DnsNaptrServer } from '../../support/dns-naptr-server.js';
import { freePort } from '../../support/free-port.js';
import { vectors } from '../identifiers/shared-vectors.js';

const naptrVectors = vectors.filter((v) => v.group.startsWith('SML NAPTR'));

describe('SML U-NAPTR name', () => {
  it('has the shared vectors to check against', () => {
    expect(naptrVectors.length).toBeGreaterThanOrEqual(5);
  });

  it.each(naptrVectors.map((v) => [v.input, v.expected] as const))('%s → %s', (participant, expected) => {
    const zone = expected.slice(expected.indexOf('.iso6523-actorid-upis.') + '.iso6523-actorid-upis.'.length);
    expect(naptrName(participant, zone)).toBe(expected);
    expect(naptrName(participant, `${zone}.`)).toBe(expected);
  });

  it('base32 is RFC 4648 without padding, lowercased', () => {
    // RFC 4648 §10 test vectors.
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(Buffer.from('foob'))).toBe('mzxw6yq');
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
  });

  it('takes the URL from the Meta:SMP U record with the lowest order, ignoring other services', () => {
    const name = 'x.iso6523-actorid-upis.zone';
    const url = smpUrlFromNaptr(name, [
      { flags: 'U', service: 'Meta:SMP', regexp: '!^.*$!https://second.example!', replacement: '', order: 200, preference: 10 },
      { flags: 'U', service: 'Meta:Other', regexp: '!^.*$!https://other.example!', replacement: '', order: 10, preference: 10 },
      { flags: 'U', service: 'meta:smp', regexp: '!^.*$!https://first.example/smp!', replacement: '', order: 100, preference: 10 },
    ]);
    expect(url).toBe('https://first.example/smp');
    expect(smpUrlFromNaptr(name, [{ flags: 'U', service: 'Meta:Other', regexp: '!^.*$!https://o!', replacement: '', order: 1, preference: 1 }])).toBeUndefined();
  });
});

describe('SML lookup over DNS (127.0.0.1)', () => {
  let dns: DnsNaptrServer;
  const zone = 'participant.sml.test.invalid';
  const locator = () => new SmlNaptrLocator({ zone, servers: [dns.address], timeoutMs: 300, tries: 1 });

  beforeAll(async () => {
    dns = await startDnsNaptrServer();
  });
  afterAll(() => dns.close());

  it('finds the SMP URL in the NAPTR record', async () => {
    dns.setSmp(naptrName('0192:987654325', zone), 'https://smp.example.invalid/');
    const located = await locator().locate('0192:987654325');
    expect(located).toEqual({ found: true, smpUrl: 'https://smp.example.invalid/', dnsName: naptrName('0192:987654325', zone) });
    expect(dns.queries(naptrName('0192:987654325', zone))).toBeGreaterThan(0);
  });

  it('NXDOMAIN and NODATA are "not registered"', async () => {
    const nx = await locator().locate('0192:123456785');
    expect(nx).toMatchObject({ found: false });
    expect((nx as { reason: string }).reason).toMatch(/ENOTFOUND/);
    dns.set(naptrName('0192:988077917', zone), 'nodata');
    expect(await locator().locate('0192:988077917')).toMatchObject({ found: false, reason: expect.stringMatching(/ENODATA/) });
  });

  it.each(['servfail', 'refused', 'silent'] as const)('%s is a technical failure, not "not registered"', async (behaviour) => {
    dns.set(naptrName('0192:995525828', zone), behaviour);
    await expect(locator().locate('0192:995525828')).rejects.toBeInstanceOf(PeppolLookupUnavailable);
  });

  it('a DNS server that does not listen is a technical failure', async () => {
    const closed = new SmlNaptrLocator({ zone, servers: [`127.0.0.1:${await freePort()}`], timeoutMs: 300, tries: 1 });
    await expect(closed.locate('0192:987654325')).rejects.toBeInstanceOf(PeppolLookupUnavailable);
  });
});
