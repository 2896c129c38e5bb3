/**
 * The Peppol facts the routing rules read (`peppol.registered`, `peppol.acceptsDocumentType`, routing/facts.ts),
 * from the receiver lookup. A PeppolLookupUnavailable passes through: "we could not ask" must be retried, never
 * routed as "not registered".
 */
import type { DocumentType } from '../../invoice/model.js';
import type { PeppolLookup } from './lookup.js';
import { checkParticipant } from './participant-id.js';

export interface PeppolRoutingFacts {
  registered: boolean;
  acceptsDocumentType: boolean;
}

export async function peppolRoutingFacts(lookup: PeppolLookup, participant: string | undefined, documentType: DocumentType): Promise<PeppolRoutingFacts> {
  // A buyer without a usable Peppol address cannot be reached on Peppol: a fact, not a failure.
  const checked = participant === undefined ? undefined : checkParticipant(participant);
  if (!checked?.ok) return { registered: false, acceptsDocumentType: false };
  const result = await lookup.lookup(checked.participant, documentType);
  return { registered: result.status !== 'not_registered', acceptsDocumentType: result.status === 'registered' };
}
