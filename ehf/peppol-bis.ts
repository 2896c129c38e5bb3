/**
 * The fixed identifiers of EHF Billing 3.0 = Peppol BIS Billing 3.0 in UBL 2.1 (DOMAIN.md §3.4; source
 * OpenPEPPOL/peppol-bis-invoice-3 `rules/national-examples/NO/Norwegian-example-1.xml`).
 */

export const UBL_NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** BT-24; PEPPOL-EN16931-R004 accepts this value and extensions of it (e.g. `…#compliant#urn:www.difi.no:ehf:ver3.0`). */
export const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';

/** BT-23, the default business process (billing 01). */
export const PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** The TaxScheme id of the seller's tax registration (BT-32), and the text NO-R-002 asks for. */
export const FORETAKSREGISTERET = 'Foretaksregisteret';

/** Peppol's answer for "there is a sales order but no purchase order" (OrderReference/ID is mandatory in UBL). */
export const NO_ORDER_REFERENCE = 'NA';
