/**
 * The SML step of the receiver lookup: which SMP holds a participant's metadata, by DNS U-NAPTR (BDXL).
 *
 * Name = base32(sha256(lowercase("<ICD>:<id>"))) without padding, lowercased, + ".iso6523-actorid-upis." + SML zone;
 * the NAPTR record with service `Meta:SMP` carries the SMP's URL in its regexp (`!^.*$!https://smp.example!`).
 * Sources: phax/peppol-commons `PeppolNaptrURLProvider`, `AbstractBDXLURLProvider` (DOMAIN.md §3.2).
 *
 * Like peppol-commons 12.8, an answer that the name does not exist (NXDOMAIN) or has no NAPTR record (NODATA)
 * means "not registered"; every other DNS outcome (SERVFAIL, REFUSED, timeout, an unreachable server) is a
 * technical failure that says nothing about the receiver.
 */
import { createHash } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { PeppolLookupUnavailable } from './lookup.js';
import { PARTICIPANT_SCHEME } from './billing-identifiers.js';

export const SMP_NAPTR_SERVICE = 'Meta:SMP';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lowercase, without the `=` padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The DNS name the SML publishes for a participant `<ICD>:<id>`. */
export function naptrName(participant: string, zone: string): string {
  const hash = createHash('sha256').update(participant.toLowerCase(), 'utf8').digest();
  return `${base32(hash)}.${PARTICIPANT_SCHEME}.${zone.replace(/\.+$/, '')}`;
}

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

/**
 * The SMP URL from the NAPTR records of `name`: the `U` records of service Meta:SMP in order/preference order, the
 * URL being the substitution of the regexp applied to the name (RFC 4848 §2.2; in practice `^.*$` → the URL).
 */
export function smpUrlFromNaptr(name: string, records: readonly NaptrRecord[]): string | undefined {
  const candidates = records
    .filter((r) => r.service.toLowerCase() === SMP_NAPTR_SERVICE.toLowerCase() && r.flags.toUpperCase() === 'U')
    .sort((a, b) => a.order - b.order || a.preference - b.preference);
  for (const record of candidates) {
    const url = applyNaptrRegexp(record.regexp, name);
    if (url && /^https?:\/\/[^/]+/i.test(url)) return url;
  }
  return undefined;
}

function applyNaptrRegexp(regexp: string, name: string): string | undefined {
  const delimiter = regexp[0];
  if (!delimiter) return undefined;
  const parts = regexp.slice(1).split(delimiter);
  if (parts.length < 3) return undefined;
  const [pattern, replacement, flags] = parts;
  let expression: RegExp;
  try {
    expression = new RegExp(pattern, flags.includes('i') ? 'i' : '');
  } catch {
    return undefined;
  }
  if (!expression.test(name)) return undefined;
  // POSIX back-references \1…\9 in the replacement are $1…$9 in JavaScript.
  return name.replace(expression, replacement.replace(/\\(\d)/g, '$$$1'));
}

export type SmpLocation = { found: true; smpUrl: string; dnsName: string } | { found: false; dnsName: string; reason: string };

export interface SmlNaptrOptions {
  /** SML zone, e.g. participant.sml.prod.tech.peppol.org (PEPPOL_SML_ZONE). */
  zone: string;
  /** `host:port` list (PEPPOL_DNS_SERVERS); else the system's resolvers. */
  servers?: readonly string[];
  /** Per try; c-ares doubles it on each retry. */
  timeoutMs?: number;
  tries?: number;
}

/** DNS codes that mean "the name or its NAPTR record does not exist": the participant is not registered. */
const NOT_REGISTERED_CODES = new Set(['ENOTFOUND', 'ENODATA']);

export class SmlNaptrLocator {
  private readonly resolver: Resolver;

  constructor(private readonly options: SmlNaptrOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
    if (options.servers?.length) this.resolver.setServers([...options.servers]); // `host:port`, `[v6]:port`
  }

  async locate(participant: string): Promise<SmpLocation> {
    const dnsName = naptrName(participant, this.options.zone);
    let records: NaptrRecord[];
    try {
      records = await this.resolver.resolveNaptr(dnsName);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'unknown';
      if (NOT_REGISTERED_CODES.has(code)) return { found: false, dnsName, reason: `the SML has no NAPTR record for ${participant} (${code})` };
      throw new PeppolLookupUnavailable(`SML lookup of ${participant} failed (DNS ${code})`, err);
    }
    const smpUrl = smpUrlFromNaptr(dnsName, records);
    // Records that exist but name no SMP (peppol-commons: NO_MATCHING_SMP_SERVICE): no Peppol SMP serves the participant.
    if (!smpUrl) return { found: false, dnsName, reason: `the SML's NAPTR records for ${participant} name no ${SMP_NAPTR_SERVICE} service` };
    return { found: true, smpUrl, dnsName };
  }
}

