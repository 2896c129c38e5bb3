/**
 * IBAN: the International Bank Account Number of ISO 13616 — country code, two check digits
 * (ISO 7064 MOD 97-10 over the rearranged number) and the national BBAN, at most 34 characters.
 * The check here is the generic one; only Norway's length (15, an 11-digit BBAN) is enforced.
 * For a Norwegian IBAN whose BBAN must also pass the kontonummer MOD11, use `kontonr.fromIban`.
 *
 * Defined in ISO 13616-1 (check digits: ISO 7064 MOD 97-10); Norwegian layout per DOMAIN.md §2.2
 * and python-stdnum `stdnum/iban.py`.
 *
 * Examples (also test vectors):
 * - `validate('NO93 8601 1117 947')` → `'NO9386011117947'`
 * - `validate('NO9486011117947')` throws `InvalidChecksum`
 * - `format('NO9386011117947')` → `'NO93 8601 1117 947'`
 */
import { InvalidChecksum, InvalidFormat, InvalidLength, passes } from './errors.js';

const NORWAY_LENGTH = 15;

/** Drops the spaces of the printed form; letters are compared upper-case. */
export function compact(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** ISO 13616: move country and check digits to the end, letters become 10–35, the whole is taken mod 97. */
function mod97(rearranged: string): number {
  let remainder = 0;
  for (const char of rearranged) {
    const value = parseInt(char, 36);
    remainder = (value < 10 ? remainder * 10 + value : remainder * 100 + value) % 97;
  }
  return remainder;
}

/** The two check digits for a country code and BBAN; ISO 7064 MOD 97-10 always yields 02–98. */
export function checkDigits(country: string, bban: string): string {
  const countryCode = country.toUpperCase();
  const nationalPart = compact(bban);
  if (!/^[A-Z]{2}$/.test(countryCode) || !/^[A-Z0-9]+$/.test(nationalPart)) {
    throw new InvalidFormat('IBAN needs a two-letter country code and an alphanumeric BBAN');
  }
  return String(98 - mod97(`${nationalPart}${countryCode}00`)).padStart(2, '0');
}

export function generate(country: string, bban: string): string {
  return validate(`${country}${checkDigits(country, bban)}${bban}`);
}

export function validate(value: string): string {
  const iban = compact(value);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) throw new InvalidFormat('IBAN must be country code, two check digits and an alphanumeric BBAN');
  if (iban.length < NORWAY_LENGTH || iban.length > 34) throw new InvalidLength('IBAN must be 15 to 34 characters');
  if (iban.startsWith('NO')) {
    if (iban.length !== NORWAY_LENGTH) throw new InvalidLength('Norwegian IBAN must be 15 characters');
    if (!/^[0-9]+$/.test(iban.slice(4))) throw new InvalidFormat('Norwegian BBAN must be digits');
  }
  // 00, 01 and 99 satisfy mod 97 = 1 for some BBANs but are never computed (ISO 13616: 02–98).
  const check = Number(iban.slice(2, 4));
  if (check < 2 || check > 98 || mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
    throw new InvalidChecksum('IBAN check digits do not match');
  }
  return iban;
}

export function isValid(value: string): boolean {
  return passes(() => validate(value));
}

/** Groups of four, as ISO 13616 prescribes for print. */
export function format(value: string): string {
  return validate(value).replace(/(.{4})(?=.)/g, '$1 ');
}
