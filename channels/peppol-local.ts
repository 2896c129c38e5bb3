/**
 * Local Peppol channel for the embedded default: the participant registry table stands where the SML/SMP
 * look-up would (DOMAIN.md §3.2–3.3, its cache), and the outbox stands where the access point would.
 */
import type { Db } from '../archive/database.js';
import type { DocumentType } from '../invoice/model.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from './channel.js';
import { deliverToOutbox } from './outbox-delivery.js';

export interface PeppolRegistration {
  registered: boolean;
  acceptsDocumentType: boolean;
}

export class LocalPeppolChannel implements DeliveryChannel {
  readonly channel = 'peppol' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async lookup(participant: string | undefined, documentType: DocumentType): Promise<PeppolRegistration> {
    if (!participant) return { registered: false, acceptsDocumentType: false };
    const result = await this.db.query<{ document_types: string[] }>('SELECT document_types FROM peppol_participants WHERE identifier = $1', [participant]);
    const row = result.rows[0];
    return { registered: Boolean(row), acceptsDocumentType: Boolean(row?.document_types.includes(documentType)) };
  }

  async register(participant: string, name: string, documentTypes: DocumentType[]): Promise<void> {
    await this.db.query(
      `INSERT INTO peppol_participants (identifier, name, document_types) VALUES ($1, $2, $3)
       ON CONFLICT (identifier) DO UPDATE SET name = EXCLUDED.name, document_types = EXCLUDED.document_types, updated_at = now()`,
      [participant, name, documentTypes],
    );
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const participant = peppolParticipant(request.invoice.buyer);
    const registration = await this.lookup(participant, request.invoice.documentType);
    if (!registration.acceptsDocumentType) {
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
