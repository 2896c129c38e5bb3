/**
 * What EN 16931 says about each VAT category Norway uses (UNCL 5305 subset, DOMAIN.md §5): the rule family that
 * governs it, whether it carries a rate, and the exemption reason a VAT breakdown of that category needs.
 */
import type { VatCategory } from './model.js';

export const VAT_CATEGORIES: readonly VatCategory[] = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'];

export function isVatCategory(value: unknown): value is VatCategory {
  return typeof value === 'string' && (VAT_CATEGORIES as readonly string[]).includes(value);
}

/** The EN 16931 rule family per category: BR-S-*, BR-Z-*, …; K (intra-community supply) is BR-IC-*. */
export const RULE_FAMILY: Readonly<Record<VatCategory, string>> = {
  S: 'BR-S',
  Z: 'BR-Z',
  E: 'BR-E',
  AE: 'BR-AE',
  K: 'BR-IC',
  G: 'BR-G',
  O: 'BR-O',
};

export const CATEGORY_NAME: Readonly<Record<VatCategory, string>> = {
  S: 'Standard rated',
  Z: 'Zero rated',
  E: 'Exempt from VAT',
  AE: 'Reverse charge',
  K: 'Intra-community supply',
  G: 'Export outside the EU',
  O: 'Not subject to VAT',
};

/** S needs a rate above zero (BR-S-05); every other category has rate 0 (BR-Z-05, BR-E-05, …; O has none, BR-O-05). */
export function rateIsValid(category: VatCategory, rate: number): boolean {
  return category === 'S' ? rate > 0 : rate === 0;
}

/** O writes no Percent at all (BR-O-05, BR-O-06, BR-O-07); the other categories always do (BR-48). */
export function writesRate(category: VatCategory): boolean {
  return category !== 'O';
}

/** S and Z must not carry an exemption reason (BR-S-10, BR-Z-10); the others must (BR-E-10, BR-AE-10, …). */
export function needsExemptionReason(category: VatCategory): boolean {
  return category !== 'S' && category !== 'Z';
}

/**
 * Default exemption reason per category. AE, K, G and O have a VATEX code whose meaning the rules demand
 * (BR-AE-10, BR-IC-10, BR-G-10, BR-O-10; PEPPOL-EN16931-P0104…P0107 tie each code to its category). E has no
 * single code in Norway — the VATEX-EU-132 family cites EU articles — so it gets the Norwegian legal text:
 * supplies outside the VAT Act (merverdiavgiftsloven kapittel 3, "unntak fra loven"). Zero-rated supplies
 * under kapittel 6 ("fritak") are Z and carry no reason.
 */
export const DEFAULT_EXEMPTION: Readonly<Partial<Record<VatCategory, { exemptionReason?: string; exemptionReasonCode?: string }>>> = {
  E: { exemptionReason: 'Unntatt fra merverdiavgift, jf. merverdiavgiftsloven kapittel 3' },
  AE: { exemptionReasonCode: 'VATEX-EU-AE', exemptionReason: 'Reverse charge' },
  K: { exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-community supply' },
  G: { exemptionReasonCode: 'VATEX-EU-G', exemptionReason: 'Export outside the EU' },
  O: { exemptionReasonCode: 'VATEX-EU-O', exemptionReason: 'Not subject to VAT' },
};

/** The category a VATEX code is reserved for (PEPPOL-EN16931-P0104…P0111), with the rule that says so. */
export const VATEX_CATEGORY: Readonly<Record<string, { category: VatCategory; rule: string }>> = {
  'VATEX-EU-G': { category: 'G', rule: 'PEPPOL-EN16931-P0104' },
  'VATEX-EU-O': { category: 'O', rule: 'PEPPOL-EN16931-P0105' },
  'VATEX-EU-IC': { category: 'K', rule: 'PEPPOL-EN16931-P0106' },
  'VATEX-EU-AE': { category: 'AE', rule: 'PEPPOL-EN16931-P0107' },
  'VATEX-EU-D': { category: 'E', rule: 'PEPPOL-EN16931-P0108' },
  'VATEX-EU-F': { category: 'E', rule: 'PEPPOL-EN16931-P0109' },
  'VATEX-EU-I': { category: 'E', rule: 'PEPPOL-EN16931-P0110' },
  'VATEX-EU-J': { category: 'E', rule: 'PEPPOL-EN16931-P0111' },
};

/**
 * Norwegian VAT rates for category S (Skatteetaten, merverdiavgiftsloven §§ 5-1…5-4): 25 general, 15 food,
 * 12 transport/accommodation/culture, 11.11 raw fish (DOMAIN.md §5; the last from a secondary source only).
 */
export const NORWEGIAN_STANDARD_RATES: readonly number[] = [25, 15, 12, 11.11];
