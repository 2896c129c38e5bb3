/**
 * Kontonummer: the 11-digit Norwegian bank account number (the BBAN inside a Norwegian IBAN).
 * Digits 1–4 are the bank's register code, 5–6 the account group, 7–10 the account, and 11 a
 * MOD11 check over digits 1–10 with weights 5,4,3,2,7,6,5,4,3,2.
 *
 * Defined in ECBS TR201, quoted at https://mail.python.org/pipermail/python-list/2013-February/641055.html
 * (python-stdnum `stdnum/no/kontonr.py` uses the equivalent weights 6,7,8,9,4,5,6,7,8,9).
 * Not supported: 7-digit postgiro numbers and TR201's legacy rule for accounts with `00` in
 * digits 5–6 (DOMAIN.md §7.5: probably obsolete).
 *
 * Examples (also test vectors):
 * - `validate('8601.11.17947')` → `'86011117947'`
 * - `checkDigit('1234567890')` → `'3'`
 * - `toIban('86011117947')` → `'NO9386011117947'`
 *
 * `fromIban` lives here rather than in `iban.ts` so the generic IBAN module needs no Norwegian
 * knowledge beyond the length, and the two modules do not import each other.
 */
import { isDigits, mod11 } from './digits.js';
import { InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, passes } from './errors.js';
import * as iban from './iban.js';

const WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Drops the dots and spaces people write between the groups. */
export function compact(value: string): string {
  return value.replace(/[\s.]+/g, '');
}

/** The check digit for a 10-digit payload, or null when the remainder is 1: such account numbers are never issued. */
export function checkDigit(payload: string): string | null {
  if (!isDigits(payload)) throw new InvalidFormat('kontonummer payload must be digits');
  if (payload.length !== 10) throw new InvalidLength('kontonummer payload must be 10 digits');
  const check = mod11(payload, WEIGHTS);
  return check === 10 ? null : String(check);
}

export function validate(value: string): string {
  const number = compact(value);
  if (!isDigits(number)) throw new InvalidFormat('kontonummer must be digits');
  if (number.length !== 11) throw new InvalidLength('kontonummer must be 11 digits');
  if (checkDigit(number.slice(0, 10)) !== number[10]) throw new InvalidChecksum('kontonummer check digit does not match');
  return number;
}

export function isValid(value: string): boolean {
  return passes(() => validate(value));
}

/** `8601.11.17947`: register code, account group, account — the way Norwegian banks print it. */
export function format(value: string): string {
  const number = validate(value);
  return `${number.slice(0, 4)}.${number.slice(4, 6)}.${number.slice(6)}`;
}

/** The compact Norwegian IBAN; `iban.format` groups it for print. */
export function toIban(value: string): string {
  return iban.generate('NO', validate(value));
}

/** The kontonummer inside a Norwegian IBAN; both the MOD 97-10 and the MOD11 check must hold. */
export function fromIban(value: string): string {
  const number = iban.validate(value);
  if (!number.startsWith('NO')) throw new InvalidComponent('IBAN is not Norwegian');
  return validate(number.slice(4));
}
