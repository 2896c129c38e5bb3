/**
 * PEPPOL_LOOKUP=sandbox: the receiver lookup answered from the local participant registry (`peppol_participants`,
 * filled through PUT /v1/sandbox/peppol/participants/… ), behind the same PeppolLookup surface the SML/SMP client
 * implements. It never fails technically: the registry is our own table.
 */
import type { DocumentType } from '../../invoice/model.js';
import type { LocalPeppolChannel } from '../peppol-local.js';
import type { PeppolLookup, PeppolLookupResult } from './lookup.js';

const DOCUMENT_TYPES: DocumentType[] = ['invoice', 'creditNote'];

export class RegistryPeppolLookup implements PeppolLookup {
  constructor(private readonly registry: Pick<LocalPeppolChannel, 'lookup'>) {}

  async lookup(participant: string, documentType: DocumentType): Promise<PeppolLookupResult> {
    const checkedAt = new Date().toISOString();
    const registered = await Promise.all(DOCUMENT_TYPES.map(async (t) => ((await this.registry.lookup(participant, t)).acceptsDocumentType ? t : undefined)));
    const documentTypes = registered.filter((t): t is DocumentType => t !== undefined);
    if (documentTypes.length === 0) return { status: 'not_registered', participant, documentTypes: [], checkedAt };
    if (!documentTypes.includes(documentType)) return { status: 'document_type_not_registered', participant, documentTypes, checkedAt };
    return { status: 'registered', participant, documentTypes, checkedAt };
  }
}
