/**
 * Peppol identifiers of BIS Billing 3.0 (= EHF Billing 3.0) as an access point expects them, scheme included
 * (DOMAIN.md §3.4; phax/peppol-commons EPredefinedDocumentTypeIdentifier / EPredefinedProcessIdentifier).
 */
import type { DocumentType } from '../../invoice/model.js';

export const PARTICIPANT_SCHEME = 'iso6523-actorid-upis';
export const DOCUMENT_TYPE_SCHEME = 'busdox-docid-qns';
export const PROCESS_SCHEME = 'cenbii-procid-ubl';

const CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';

export const DOCUMENT_TYPE_IDS: Record<DocumentType, string> = {
  invoice: `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##${CUSTOMIZATION}::2.1`,
  creditNote: `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##${CUSTOMIZATION}::2.1`,
};

export const BILLING_PROCESS_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
/** AS4 v2 is the only Peppol transport profile left (v1_0 removed 2023-09-06; ESMPTransportProfile). */
export const AS4_TRANSPORT_PROFILE = 'peppol-transport-as4-v2_0';

/** Our document type for a Peppol document type id (without scheme), or undefined for any other document. */
export function documentTypeOf(documentTypeId: string): DocumentType | undefined {
  return (Object.keys(DOCUMENT_TYPE_IDS) as DocumentType[]).find((t) => DOCUMENT_TYPE_IDS[t] === documentTypeId);
}

/** `0192:123456785` → `iso6523-actorid-upis::0192:123456785` (the URI form phoss-ap parses). */
export const participantUri = (participant: string): string => `${PARTICIPANT_SCHEME}::${participant}`;
export const documentTypeUri = (documentType: DocumentType): string => `${DOCUMENT_TYPE_SCHEME}::${DOCUMENT_TYPE_IDS[documentType]}`;
export const processUri = (): string => `${PROCESS_SCHEME}::${BILLING_PROCESS_ID}`;
