/**
 * KID (kundeidentifikasjon): the payment reference a Norwegian payee asks the payer to type,
 * 2–25 characters including one check character. The payee's bank account is configured for
 * MOD10 (Luhn) or MOD11; under MOD11 a check value of 10 is written `-`, which is then a legal
 * last character of the KID.
 *
 * Defined by the banks' KID agreements: https://www.landkredittbank.no/hjelp-og-kundeservice/kontaktskjema/?Theme=1092 ,
 * https://help.monitorerp.com/NO-MONITOR_G5/en-us/Content/Topics/UserGuide/Using/InvoicingAccountsReceivable/KIDNumbers.htm (2–25 digits),
 * https://www.remember.no/kredittkort/faq/faktura/dette-betyr-omradene-i-faktura/kid-nummer/ (the hyphen);
 * algorithms as in repo Ondkloss/norwegian-numbers.js.
 *
 * Examples (also test vectors):
 * - `generate('234567', 'MOD10')` → `'2345676'`
 * - `generate('40', 'MOD11')` → `'40-'`
 * - `validate('40-')` → `{ value: '40-', moduli: ['MOD11'] }`
 */
import { isDigits, mod11 } from './digits.js';
import { InvalidChecksum, InvalidFormat, InvalidLength, passes } from './errors.js';

export type Modulus = 'MOD10' | 'MOD11';

export interface KidOptions {
  /** The modulus the payee's account is configured with; when omitted either is accepted. */
  readonly modulus?: Modulus;
}

export interface ValidKid {
  readonly value: string;
  /** Every modulus whose check the KID passes; some KIDs (`00`, `2345676`) pass both. */
  readonly moduli: readonly Modulus[];
}

const MIN_LENGTH = 2;
const MAX_LENGTH = 25;

/** Payers and print layouts put spaces in long KIDs; the bank wants them without. */
export function compact(value: string): string {
  return value.replace(/\s+/g, '');
}

/** Weights from the rightmost payload digit: 2,1,2,1,… for MOD10 and 2,3,4,5,6,7,2,3,… for MOD11. */
function weightsFromRight(length: number, cycle: readonly number[]): number[] {
  return Array.from({ length }, (_, i) => cycle[(length - 1 - i) % cycle.length]!);
}

function luhn(payload: string): number {
  let sum = 0;
  const weights = weightsFromRight(payload.length, [2, 1]);
  for (let i = 0; i < payload.length; i++) {
    const product = Number(payload[i]) * weights[i]!;
    sum += product >= 10 ? product - 9 : product; // digit sum of a two-digit product 10–18
  }
  return (10 - (sum % 10)) % 10;
}

export function checkDigit(payload: string, modulus: Modulus): string {
  if (!isDigits(payload)) throw new InvalidFormat('KID payload must be digits');
  if (payload.length < MIN_LENGTH - 1 || payload.length > MAX_LENGTH - 1) throw new InvalidLength('KID payload must be 1 to 24 digits');
  if (modulus === 'MOD10') return String(luhn(payload));
  const check = mod11(payload, weightsFromRight(payload.length, [2, 3, 4, 5, 6, 7]));
  return check === 10 ? '-' : String(check);
}

export function generate(payload: string, modulus: Modulus): string {
  return payload + checkDigit(payload, modulus);
}

export function validate(value: string, options: KidOptions = {}): ValidKid {
  const kid = compact(value);
  if (!/^[0-9]+-?$/.test(kid)) throw new InvalidFormat('KID must be digits, the last may be - (MOD11)');
  if (kid.length < MIN_LENGTH || kid.length > MAX_LENGTH) throw new InvalidLength('KID must be 2 to 25 characters');
  if (options.modulus === 'MOD10' && kid.endsWith('-')) throw new InvalidFormat('- is a check character only under MOD11');
  const payload = kid.slice(0, -1);
  const candidates: readonly Modulus[] = options.modulus ? [options.modulus] : ['MOD10', 'MOD11'];
  const moduli = candidates.filter((modulus) => checkDigit(payload, modulus) === kid.slice(-1));
  if (moduli.length === 0) throw new InvalidChecksum(`KID check digit does not match ${candidates.join(' or ')}`);
  return { value: kid, moduli };
}

export function isValid(value: string, options: KidOptions = {}): boolean {
  return passes(() => validate(value, options));
}

/** A KID is printed exactly as typed, without grouping, so this only returns the validated compact form. */
export function format(value: string, options: KidOptions = {}): string {
  return validate(value, options).value;
}
