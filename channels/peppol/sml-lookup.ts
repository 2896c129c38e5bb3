/**
 * The receiver lookup over the real Peppol network (PEPPOL_LOOKUP=sml): SML by DNS U-NAPTR for the participant's
 * SMP, then the SMP's ServiceGroup and signed ServiceMetadata for the document type, the BIS Billing process and
 * the AS4 transport profile (DOMAIN.md §3.2–3.3). The wire formats live in sml-naptr.ts and smp-client.ts.
 */
import type { DocumentType } from '../../invoice/model.js';
import { AS4_TRANSPORT_PROFILE, BILLING_PROCESS_ID, DOCUMENT_TYPE_IDS, documentTypeOf } from './billing-identifiers.js';
import type { PeppolLookup, PeppolLookupResult } from './lookup.js';
import type { SmlNaptrLocator } from './sml-naptr.js';
import { chooseEndpoint, type SmpClient } from './smp-client.js';

export class SmlPeppolLookup implements PeppolLookup {
  constructor(
    private readonly sml: Pick<SmlNaptrLocator, 'locate'>,
    private readonly smp: SmpClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async lookup(participant: string, documentType: DocumentType): Promise<PeppolLookupResult> {
    const location = await this.sml.locate(participant);
    const checkedAt = () => this.now().toISOString();
    if (!location.found) return { status: 'not_registered', participant, documentTypes: [], checkedAt: checkedAt(), reason: location.reason, source: 'sml' };

    const group = await this.smp.serviceGroup(location.smpUrl, participant);
    if (!group.found) return { status: 'not_registered', participant, documentTypes: [], checkedAt: checkedAt(), reason: group.reason, source: 'sml' };
    const listed = [...new Set(group.documentTypeIds.map(documentTypeOf).filter((t): t is DocumentType => t !== undefined))];
    const others = listed.filter((t) => t !== documentType);
    if (!listed.includes(documentType)) {
      return { status: 'document_type_not_registered', participant, documentTypes: listed, checkedAt: checkedAt(), reason: `the SMP lists no BIS Billing 3.0 ${documentType} for ${participant}`, source: 'sml' };
    }

    const answer = await this.smp.serviceMetadata(location.smpUrl, participant, DOCUMENT_TYPE_IDS[documentType]);
    if (!answer.found) return { status: 'document_type_not_registered', participant, documentTypes: others, checkedAt: checkedAt(), reason: answer.reason, source: 'sml' };
    const choice = chooseEndpoint(answer.metadata, BILLING_PROCESS_ID, AS4_TRANSPORT_PROFILE, this.now());
    if (!choice.ok) return { status: 'document_type_not_registered', participant, documentTypes: others, checkedAt: checkedAt(), reason: choice.reason, source: 'sml' };
    const { processId: _processId, ...endpoint } = choice.endpoint;
    return { status: 'registered', participant, documentTypes: listed, endpoint, checkedAt: checkedAt(), source: 'sml' };
  }
}
