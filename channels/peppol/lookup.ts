/**
 * Who can receive what on Peppol: one small surface for the receiver lookup (DOMAIN.md §3), implemented by the
 * real SML (DNS U-NAPTR) + SMP (HTTPS, signed metadata) client and by the local participant registry of the
 * embedded default (PEPPOL_LOOKUP=sandbox), and wrapped by the PostgreSQL cache.
 *
 * "Not registered" is an answer, and a routing fact; "we could not get an answer" (DNS or SMP down, a signature
 * that does not verify) is a `PeppolLookupUnavailable`, retried, never mistaken for "not registered"
 * (peppol-commons 12.8.0 draws the same line).
 */
import type { DocumentType } from '../../invoice/model.js';

/** The endpoint the SMP gives for the document type, the billing process and transport profile peppol-transport-as4-v2_0. */
export interface PeppolEndpoint {
  url: string;
  transportProfile: string;
  /** The receiving AP's certificate as the SMP publishes it (base64 DER). */
  certificate?: string;
  activation?: string;
  expiration?: string;
}

export type PeppolLookupResult = (
  | { status: 'registered'; participant: string; documentTypes: DocumentType[]; endpoint?: PeppolEndpoint; checkedAt: string }
  | { status: 'not_registered'; participant: string; documentTypes: []; checkedAt: string }
  | { status: 'document_type_not_registered'; participant: string; documentTypes: DocumentType[]; checkedAt: string }
) & {
  /** Why the answer is no (no NAPTR record, SMP 404, no AS4 endpoint for the billing process, endpoint expired). */
  reason?: string;
  /** Where the answer came from: the SML/SMP network, the PostgreSQL cache of it, or the local registry. */
  source?: 'sml' | 'cache' | 'registry';
};

export interface PeppolLookup {
  /** `participant` is `<scheme>:<id>`, e.g. `0192:987654325` (the value of iso6523-actorid-upis). */
  lookup(participant: string, documentType: DocumentType): Promise<PeppolLookupResult>;
}

/** A technical failure of the lookup: retry with backoff; it says nothing about the receiver. */
export class PeppolLookupUnavailable extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'PeppolLookupUnavailable';
  }
}
