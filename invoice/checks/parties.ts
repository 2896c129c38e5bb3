/** Seller (BG-4), buyer (BG-7) and payee (BG-10) checks. */
import * as fodselsnummer from '../../identifiers/no/fodselsnummer.js';
import * as orgnr from '../../identifiers/no/orgnr.js';
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { ISO_3166_ALPHA2 } from '../code-lists.js';
import type { Address, Invoice, Party } from '../model.js';
import { endpointIssues, orgnrIssues, rejection, schemedIdIssues } from './identifiers.js';

export function isNorwegian(party: Pick<Party, 'address'>): boolean {
  return party.address?.country === 'NO';
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** BR-08…BR-11: a postal address with a country code; BR-CL-14: from ISO 3166-1. */
export function addressIssues(
  address: Address | undefined,
  path: string,
  rules: { address?: string; country: string },
): ValidationIssue[] {
  if (!address) return rules.address ? [issue(rules.address, 'A postal address with a country code is required.', path)] : [];
  if (blank(address.country)) return [issue(rules.country, 'The postal address shall contain a country code.', `${path}/country`)];
  if (!ISO_3166_ALPHA2.has(address.country)) {
    return [issue('BR-CL-14', `Country code "${address.country}" is not an ISO 3166-1 alpha-2 code.`, `${path}/country`)];
  }
  return [];
}

/** BR-CO-09: a VAT identifier starts with the ISO 3166-1 code of the issuing country (Greece may use EL). */
function vatIdPrefixIssues(vatId: string | undefined, path: string): ValidationIssue[] {
  if (vatId === undefined) return [];
  const prefix = vatId.slice(0, 2);
  if (ISO_3166_ALPHA2.has(prefix) || prefix === 'EL') return [];
  return [issue('BR-CO-09', `VAT identifier "${vatId}" must start with a country code, e.g. NO123456785MVA.`, path)];
}

function sellerIssues(seller: Party): ValidationIssue[] {
  const path = '/supplier';
  const issues: ValidationIssue[] = [];
  if (blank(seller.name)) issues.push(issue('BR-06', 'An invoice shall contain the seller name.', `${path}/name`));
  issues.push(...addressIssues(seller.address, `${path}/address`, { address: 'BR-08', country: 'BR-09' }));
  issues.push(...orgnrIssues(seller.taxId, `${path}/taxId`, 'Seller organisation number'));
  issues.push(...schemedIdIssues(seller.identifier, `${path}/identifier`, 'Seller identifier'));
  issues.push(...schemedIdIssues(seller.companyId, `${path}/companyId`, 'Seller legal registration id'));
  if (blank(seller.endpointId)) {
    issues.push(issue('PEPPOL-EN16931-R020', 'The seller electronic address (endpointId) must be provided.', `${path}/endpointId`));
  }
  issues.push(...endpointIssues(seller.endpointId, seller.endpointSchemeId, path, 'BR-62'));
  issues.push(...vatIdPrefixIssues(seller.vatId, `${path}/vatId`));

  if (seller.vatId?.startsWith('NO')) {
    // NO-R-001: NO + a valid 9-digit org number + MVA.
    const reason = rejection(() => orgnr.fromMva(seller.vatId!));
    if (reason !== undefined || !/^NO[0-9]{9}MVA$/.test(seller.vatId)) {
      issues.push(
        issue('NO-R-001', `Seller VAT id "${seller.vatId}" must be NO + a valid organisation number + MVA (e.g. NO123456785MVA).`, `${path}/vatId`),
      );
    } else if (seller.taxId !== undefined && seller.vatId !== `NO${seller.taxId}MVA`) {
      issues.push(issue('FF-VATID-ORGNR', `Seller VAT id ${seller.vatId} does not belong to org number ${seller.taxId}.`, `${path}/vatId`, 'warning'));
    }
  }
  if (seller.vatRegistered === false && seller.vatId !== undefined) {
    issues.push(issue('FF-VAT-REGISTRATION', 'The seller says it is not VAT registered but gives a VAT id.', `${path}/vatRegistered`, 'warning'));
  }
  if (isNorwegian(seller) && seller.foretaksregisteret === undefined) {
    // NO-R-002 (warning): AS, ASA and NUF must show «Foretaksregisteret» (foretaksregisterloven § 10-2).
    issues.push(
      issue(
        'NO-R-002',
        'A Norwegian AS, ASA or NUF must show «Foretaksregisteret» (foretaksregisterloven § 10-2): set supplier.foretaksregisteret to true, or false if it does not apply.',
        `${path}/foretaksregisteret`,
        'warning',
      ),
    );
  }
  if (seller.vatId === undefined && seller.identifier === undefined && seller.taxId === undefined && seller.companyId === undefined) {
    issues.push(issue('BR-CO-26', 'The seller needs an identifier, a legal registration id (taxId) or a VAT id.', path));
  }
  return issues;
}

function buyerIssues(invoice: Invoice): ValidationIssue[] {
  const buyer = invoice.buyer;
  const path = '/buyer';
  const issues: ValidationIssue[] = [];
  if (blank(buyer.name)) issues.push(issue('BR-07', 'An invoice shall contain the buyer name.', `${path}/name`));
  issues.push(...addressIssues(buyer.address, `${path}/address`, { address: 'BR-10', country: 'BR-11' }));
  issues.push(...orgnrIssues(buyer.taxId, `${path}/taxId`, 'Buyer organisation number'));
  issues.push(...schemedIdIssues(buyer.identifier, `${path}/identifier`, 'Buyer identifier'));
  issues.push(...schemedIdIssues(buyer.companyId, `${path}/companyId`, 'Buyer legal registration id'));
  issues.push(...endpointIssues(buyer.endpointId, buyer.endpointSchemeId, path, 'BR-63'));
  issues.push(...vatIdPrefixIssues(buyer.vatId, `${path}/vatId`));
  if (blank(buyer.endpointId) && buyer.kind !== 'consumer') {
    // Public bodies must receive EHF (FOR-2017-08-25-1330); a business may still get e-mail or print.
    const severity = buyer.kind === 'public' ? 'fatal' : 'warning';
    issues.push(
      issue('PEPPOL-EN16931-R010', 'The buyer electronic address (endpointId) must be provided for delivery over Peppol.', `${path}/endpointId`, severity),
    );
  }
  if (buyer.nationalId !== undefined && !fodselsnummer.isValid(buyer.nationalId)) {
    // The value is personal data: the message does not repeat it.
    issues.push(issue('FF-FODSELSNUMMER', 'The buyer national id is not a valid fødselsnummer or D-nummer.', `${path}/nationalId`));
  }
  return issues;
}

function payeeIssues(invoice: Invoice): ValidationIssue[] {
  const payee = invoice.payee;
  if (!payee) return [];
  const issues: ValidationIssue[] = [];
  if (blank(payee.name)) issues.push(issue('BR-17', 'The payee name shall be provided when the payee differs from the seller.', '/payee/name'));
  issues.push(...orgnrIssues(payee.taxId, '/payee/taxId', 'Payee organisation number'));
  issues.push(...schemedIdIssues(payee.identifier, '/payee/identifier', 'Payee identifier'));
  return issues;
}

export function partyIssues(invoice: Invoice): ValidationIssue[] {
  return [...sellerIssues(invoice.supplier), ...buyerIssues(invoice), ...payeeIssues(invoice)];
}
