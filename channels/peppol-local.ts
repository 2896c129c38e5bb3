/**
 * Local Peppol channel for the embedded default: the outbox stands where the access point would. The receiver
 * lookup is the configured PeppolLookup (the local participant registry by default, channels/peppol/).
 */
import type { Db } from '../archive/database.js';
import type { DocumentType } from '../invoice/model.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { deliverToOutbox } from './outbox-delivery.js';
import type { PeppolLookup } from './peppol/lookup.js';
import { registerParticipant, SandboxPeppolLookup } from './peppol/sandbox-lookup.js';

/** The routing facts' view of a receiver (routing/facts.ts). */
export interface PeppolRegistration {
  registered: boolean;
  acceptsDocumentType: boolean;
}

export class LocalPeppolChannel implements DeliveryChannel {
  readonly channel = 'peppol' as const;
  /** The receiver lookup (channels/peppol/create-lookup.ts); the local registry unless configured otherwise. */
  private readonly peppolLookup: PeppolLookup;

  constructor(private readonly db: Db, private readonly dataDir?: string, peppolLookup?: PeppolLookup) {
    this.peppolLookup = peppolLookup ?? new SandboxPeppolLookup(db);
  }

  /** The routing facts from the lookup; a PeppolLookupUnavailable passes through (retry, never "not registered"). */
  async lookup(participant: string | undefined, documentType: DocumentType): Promise<PeppolRegistration> {
    if (!participant) return { registered: false, acceptsDocumentType: false };
    const found = await this.peppolLookup.lookup(participant, documentType);
    return { registered: found.status !== 'not_registered', acceptsDocumentType: found.status === 'registered' };
  }

  async register(participant: string, name: string, documentTypes: DocumentType[]): Promise<void> {
    await registerParticipant(this.db, participant, name, documentTypes);
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const participant = peppolParticipant(request.invoice.buyer);
    const registration = participant ? await this.peppolLookup.lookup(participant, request.invoice.documentType) : undefined;
    if (registration?.status !== 'registered') {
      throw new ChannelUnavailable('ReceiverNotRegistered', `receiver ${participant ?? '(no endpoint)'} is not registered in Peppol for ${request.invoice.documentType}`);
    }
    return deliverToOutbox(this.db, this.dataDir, 'peppol', request, { mediaType: 'application/xml', extension: 'xml', content: request.ehfXml }, { receiver: participant ?? '' });
  }
}

/** The buyer's Peppol participant id, `<scheme>:<id>`, from its endpoint or its org number (EAS 0192). */
export function peppolParticipant(buyer: { endpointId?: string; endpointSchemeId?: string; taxId?: string }): string | undefined {
  if (buyer.endpointId) return `${buyer.endpointSchemeId ?? '0192'}:${buyer.endpointId}`;
  return buyer.taxId ? `0192:${buyer.taxId}` : undefined;
}
