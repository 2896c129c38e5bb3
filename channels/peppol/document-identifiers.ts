/**
 * The Peppol identifiers of what we send: BIS Billing 3.0 (EHF Billing 3.0) Invoice and CreditNote, the billing
 * process and the AS4 transport profile. Source: phax/peppol-commons `EPredefinedDocumentTypeIdentifier`,
 * `EPredefinedProcessIdentifier`, `ESMPTransportProfile` (DOMAIN.md §3.4).
 */
import type { DocumentType } from '../../invoice/model.js';

export const DOCUMENT_TYPE_SCHEME = 'busdox-docid-qns';
export const PROCESS_SCHEME = 'cenbii-procid-ubl';

export const DOCUMENT_TYPE_IDS: Readonly<Record<DocumentType, string>> = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
};

export const BILLING_PROCESS_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
/** AS4 v2 is the only Peppol transport profile left (v1_0 removed 2023-09-06). */
export const AS4_TRANSPORT_PROFILE = 'peppol-transport-as4-v2_0';

/** Our document type for a Peppol document type id, or undefined for any other document (orders, MLR, …). */
export function documentTypeOf(documentTypeId: string): DocumentType | undefined {
  return (Object.keys(DOCUMENT_TYPE_IDS) as DocumentType[]).find((t) => DOCUMENT_TYPE_IDS[t] === documentTypeId);
}
