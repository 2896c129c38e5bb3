/**
 * The one place that picks the receiver lookup from configuration: PEPPOL_LOOKUP=sandbox (default) answers from
 * the local participant registry; PEPPOL_LOOKUP=sml asks the SML (PEPPOL_SML_ZONE, PEPPOL_DNS_SERVERS) and the SMP
 * (signature checked against PEPPOL_SMP_TRUSTSTORE), behind the PostgreSQL cache (PEPPOL_LOOKUP_TTL,
 * PEPPOL_NOT_FOUND_TTL).
 */
import type { Db } from '../../archive/database.js';
import type { Config } from '../../main/config.js';
import { CachedPeppolLookup } from './lookup-cache.js';
import type { PeppolLookup } from './lookup.js';
import { SandboxPeppolLookup } from './sandbox-lookup.js';
import { SmlPeppolLookup } from './sml-lookup.js';
import { SmlNaptrLocator } from './sml-naptr.js';
import { SmpClient, type SmpClientOptions } from './smp-client.js';
import { SmpSignatureVerifier } from './smp-signature.js';

export interface PeppolLookups {
  lookup: PeppolLookup;
  /** The local registry, only while PEPPOL_LOOKUP=sandbox (its API and CSV import exist only then). */
  registry?: SandboxPeppolLookup;
}

export function createPeppolLookup(config: Config['peppol'], db: Db, options: { smp?: SmpClientOptions; dnsTimeoutMs?: number; now?: () => Date } = {}): PeppolLookups {
  if (config.lookup === 'sandbox') {
    const registry = new SandboxPeppolLookup(db, options.now);
    return { lookup: registry, registry };
  }
  if (!config.smpTruststore) {
    throw new Error('PEPPOL_LOOKUP=sml needs PEPPOL_SMP_TRUSTSTORE: a PEM file with the CA certificates the SMP metadata signatures must chain to (in production, the Peppol SMP CA)');
  }
  const verifier = SmpSignatureVerifier.fromPemFile(config.smpTruststore);
  const sml = new SmlNaptrLocator({ zone: config.smlZone, servers: config.dnsServers, timeoutMs: options.dnsTimeoutMs });
  const smp = new SmpClient(verifier, { now: options.now, ...options.smp });
  const lookup = new CachedPeppolLookup(db, new SmlPeppolLookup(sml, smp, options.now), { ttlMs: config.lookupTtlMs, notFoundTtlMs: config.notFoundTtlMs, now: options.now });
  return { lookup };
}
