/**
 * Organisasjonsnummer: the 9-digit number Brønnøysundregistrene gives every Norwegian legal
 * entity; the last digit is a MOD11 check over the first eight with weights 3,2,7,6,5,4,3,2.
 * A VAT-registered entity's MVA number is `NO` + orgnr + `MVA`.
 *
 * Defined at http://www.brreg.no/english/coordination/number.html and https://snl.no/organisasjonsnummer;
 * Peppol scheme 0192 applies the same check (PEPPOL-COMMON-R041); MVA form per BIS rule NO-R-001.
 *
 * Examples (also test vectors):
 * - `validate('988 077 917')` → `'988077917'`
 * - `checkDigit('12345678')` → `'5'` (brreg's worked example, so `123456785` is valid)
 * - `toMva('995525828')` → `'NO995525828MVA'`
 */
import { isDigits, mod11 } from './digits.js';
import { InvalidChecksum, InvalidFormat, InvalidLength, passes } from './errors.js';

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

export function compact(value: string): string {
  return value.replace(/\s+/g, '');
}

/** The check digit for an 8-digit payload, or null when the remainder is 1: brreg never issues such a prefix. */
export function checkDigit(payload: string): string | null {
  if (!isDigits(payload)) throw new InvalidFormat('organisasjonsnummer payload must be digits');
  if (payload.length !== 8) throw new InvalidLength('organisasjonsnummer payload must be 8 digits');
  const check = mod11(payload, WEIGHTS);
  return check === 10 ? null : String(check);
}

export function validate(value: string): string {
  const number = compact(value);
  if (!isDigits(number)) throw new InvalidFormat('organisasjonsnummer must be digits');
  if (number.length !== 9) throw new InvalidLength('organisasjonsnummer must be 9 digits');
  if (checkDigit(number.slice(0, 8)) !== number[8]) throw new InvalidChecksum('organisasjonsnummer check digit does not match');
  return number;
}

export function isValid(value: string): boolean {
  return passes(() => validate(value));
}

/** `988 077 917`, the grouping brreg and the Enhetsregisteret use. */
export function format(value: string): string {
  const number = validate(value);
  return `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`;
}

export function toMva(orgnr: string): string {
  return `NO${validate(orgnr)}MVA`;
}

/** Accepts `NO995525828MVA` as well as the printed `NO 995 525 828 MVA`; returns the orgnr. */
export function fromMva(mva: string): string {
  const match = /^NO([0-9]{9})MVA$/.exec(compact(mva).toUpperCase());
  if (match === null) throw new InvalidFormat('MVA number must be NO + 9 digits + MVA');
  return validate(match[1]!);
}
