/**
 * Postal address lines as Posten Norge expects them on a letter: street, additional line,
 * then postal code and place on one line (`0150 OSLO` style, the place as given), and the country only for
 * mail abroad (Posten: write the destination country last, in Norwegian or English).
 */
import type { Address } from '../invoice/model.js';

/** Country names for the countries Norwegian invoices most often go to; other codes are printed as they are.
 *  A fixed table, not Intl.DisplayNames, so the PDF bytes do not change with the ICU data of the Node build. */
const COUNTRY_NAMES: Record<string, string> = {
  SE: 'Sverige', DK: 'Danmark', FI: 'Finland', IS: 'Island', DE: 'Tyskland', GB: 'Storbritannia', NL: 'Nederland',
  FR: 'Frankrike', ES: 'Spania', PL: 'Polen', US: 'USA', LT: 'Litauen', EE: 'Estland', LV: 'Latvia', IE: 'Irland',
};

export function addressLines(address: Address | undefined, homeCountry = 'NO'): string[] {
  if (!address) return [];
  const lines = [address.street, address.additionalStreet].filter(nonEmpty);
  const place = [address.postalCode, address.city].filter(nonEmpty).join(' ');
  if (place) lines.push(place);
  if (address.country && address.country.toUpperCase() !== homeCountry) {
    lines.push(COUNTRY_NAMES[address.country.toUpperCase()] ?? address.country.toUpperCase());
  }
  return lines;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}
