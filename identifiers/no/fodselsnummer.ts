/**
 * Fødselsnummer: the 11-digit Norwegian national identity number, DDMMYY + 3-digit individnummer
 * + check digits K1 and K2. The same layout carries the D-nummer (day + 40, for people without
 * a fødselsnummer), the H-nummer (month + 40, a health-service help number) and Skatteetaten
 * Tenor's synthetic test numbers (month + 80).
 *
 * Check digits: K1 weights 3,7,6,1,8,9,4,5,2 over digits 1–9, K2 weights 5,4,3,2,7,6,5,4,3,2
 * over digits 1–10, each 11 − (sum mod 11). Numbers issued from 1 January 2032 may instead have
 * a K1 for which the weighted sum of digits 1–10 (K1 weight 1) leaves remainder 0, 1, 2 or 3;
 * K2 is unchanged, and both rules must be accepted side by side. Those numbers no longer encode
 * gender.
 *
 * Defined at http://www.fnrinfo.no/Teknisk/KontrollsifferBeregning.aspx and https://www.snl.no/f%C3%B8dselsnummer ;
 * D-nummer https://altinnett.brreg.no/no/Begreper-A-A/D-nummer/ ; the 2032 rule
 * https://www.skatteetaten.no/en/deling/opplysninger/folkeregisteropplysninger/pid/ and
 * https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/ ;
 * H- and Tenor numbers as in repo navikt/fnrvalidator `src/validator.ts`.
 *
 * Examples (also test vectors; the second and third are synthetic Tenor numbers):
 * - `checkDigits('311299567')` → `'15'`, so `31129956715` is valid
 * - `birthDate('01819012365')` → `'1990-01-01'`
 * - `kind('41819012359')` → `{ type: 'D', synthetic: true }`
 */
import { isDigits, mod11, weightedSum } from './digits.js';
import { InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, passes } from './errors.js';

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

export interface Kind {
  /** F: fødselsnummer, D: D-nummer (day + 40), H: H-nummer (month + 40). */
  readonly type: 'F' | 'D' | 'H';
  /** A Skatteetaten Tenor test number (month + 80), never a real person. */
  readonly synthetic: boolean;
}

/** Drops the space or hyphen often written between the date and the personnummer. */
export function compact(value: string): string {
  return value.replace(/[\s-]+/g, '');
}

/**
 * K1 and K2 for a 9-digit payload under the pre-2032 rule, or null when either would be 10:
 * that individnummer is not issued on that date. New numbers may have other K1 values; see `validate`.
 */
export function checkDigits(payload: string): string | null {
  if (!isDigits(payload)) throw new InvalidFormat('fødselsnummer payload must be digits');
  if (payload.length !== 9) throw new InvalidLength('fødselsnummer payload must be 9 digits');
  const k1 = mod11(payload, K1_WEIGHTS);
  if (k1 === 10) return null;
  const k2 = mod11(payload + k1, K2_WEIGHTS);
  return k2 === 10 ? null : `${k1}${k2}`;
}

/** Remainder of the K1 control sum over digits 1–10: 0 under the legacy rule, 0–3 allowed from 2032. */
function k1Remainder(number: string): number {
  return (weightedSum(number.slice(0, 9), K1_WEIGHTS) + Number(number[9])) % 11;
}

function checked(value: string): string {
  const number = compact(value);
  if (!isDigits(number)) throw new InvalidFormat('fødselsnummer must be digits');
  if (number.length !== 11) throw new InvalidLength('fødselsnummer must be 11 digits');
  if (k1Remainder(number) > 3) throw new InvalidChecksum('fødselsnummer K1 does not match');
  if (mod11(number.slice(0, 10), K2_WEIGHTS) !== Number(number[10])) throw new InvalidChecksum('fødselsnummer K2 does not match');
  return number;
}

interface Decoded {
  readonly kind: Kind;
  readonly birthDate: string;
}

function decode(number: string): Decoded {
  const dd = Number(number.slice(0, 2));
  const mm = Number(number.slice(2, 4));
  const yy = Number(number.slice(4, 6));
  const individnummer = Number(number.slice(6, 9));

  // FH-numre (first digit 8 or 9) carry no date by design and do not belong on invoices.
  if (dd >= 80) throw new InvalidComponent('FH-nummer has no birth date and is not accepted');
  const dNumber = dd > 40;
  const synthetic = mm > 80;
  const hNumber = mm > 40 && !synthetic;
  // navikt/fnrvalidator accepts D- and H-nummer combined; no source we have says such numbers are issued.
  if (dNumber && hNumber) throw new InvalidComponent('a number cannot be both D-nummer and H-nummer');
  const day = dNumber ? dd - 40 : dd;
  const month = synthetic ? mm - 80 : hNumber ? mm - 40 : mm;
  const type = dNumber ? 'D' : hNumber ? 'H' : 'F';

  // Century from individnummer and year (fnrinfo.no, python-stdnum).
  let year: number;
  if (individnummer < 500) year = 1900 + yy;
  else if (individnummer < 750 && yy >= 54) year = 1800 + yy;
  else if (yy < 40) year = 2000 + yy;
  else if (individnummer >= 900) year = 1900 + yy;
  else throw new InvalidComponent('fødselsnummer century cannot be determined');

  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new InvalidComponent('fødselsnummer does not hold a valid date');
  }
  return { kind: { type, synthetic }, birthDate: date.toISOString().slice(0, 10) };
}

/**
 * Checks K1 (either rule), K2 and the encoded date, and returns the 11 digits. Does not reject
 * future dates: that would need a clock, and this module is pure.
 */
export function validate(value: string): string {
  const number = checked(value);
  decode(number);
  return number;
}

export function isValid(value: string): boolean {
  return passes(() => validate(value));
}

/** `DDMMYY NNNNN`, birth date and personnummer. */
export function format(value: string): string {
  const number = validate(value);
  return `${number.slice(0, 6)} ${number.slice(6)}`;
}

/**
 * The encoded birth date as an ISO calendar date (`1990-01-01`). For a D-nummer this may be the
 * registration date rather than the birth date (UDI), and Skatteetaten asks that the date be
 * taken from the Folkeregisteret when it matters.
 */
export function birthDate(value: string): string {
  return decode(checked(value)).birthDate;
}

export function kind(value: string): Kind {
  return decode(checked(value)).kind;
}

/**
 * M or F from the parity of digit 9 — only for numbers whose K1 follows the pre-2032 rule.
 * Numbers issued from 2032 are gender-neutral; one that happens to satisfy the old rule too
 * (remainder 0) cannot be told apart, so treat the answer as historical at best and take gender
 * from the Folkeregisteret.
 */
export function gender(value: string): 'M' | 'F' | undefined {
  const number = validate(value);
  if (k1Remainder(number) !== 0) return undefined;
  return Number(number[8]) % 2 === 1 ? 'M' : 'F';
}
