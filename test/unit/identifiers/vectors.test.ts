import { describe, expect, it } from 'vitest';
import * as fodselsnummer from '../../../identifiers/no/fodselsnummer.js';
import * as iban from '../../../identifiers/no/iban.js';
import * as kid from '../../../identifiers/no/kid.js';
import * as kontonr from '../../../identifiers/no/kontonr.js';
import * as orgnr from '../../../identifiers/no/orgnr.js';
import { InvalidIdentifier } from '../../../identifiers/no/errors.js';
import { vectors } from './shared-vectors.js';

type Check = (input: string, expected: string) => void;

interface Validating {
  compact(value: string): string;
  validate(value: string): string;
  isValid(value: string): boolean;
}

/** `expected` "true"/"false" against validate/isValid; a rejection must be one of our typed errors. */
const valid = (module: Validating): Check => (input, expected) => {
  expect(module.isValid(input)).toBe(expected === 'true');
  if (expected === 'true') expect(module.validate(input)).toBe(module.compact(input));
  else expect(() => module.validate(input)).toThrow(InvalidIdentifier);
};

function kidValidity(modulus: kid.Modulus): Check {
  return (input, expected) => {
    expect(kid.isValid(input, { modulus })).toBe(expected === 'true');
    if (expected === 'true') expect(kid.validate(input, { modulus }).moduli).toEqual([modulus]);
    else expect(() => kid.validate(input, { modulus })).toThrow(InvalidIdentifier);
  };
}

const kidGenerated = (modulus: kid.Modulus): Check => (input, expected) => {
  expect(kid.generate(input, modulus)).toBe(expected);
  expect(kid.validate(expected, { modulus }).value).toBe(expected);
};

const checks: Record<string, Check> = {
  'orgnr valid': valid(orgnr),
  'orgnr invalid': valid(orgnr),
  'orgnr check': (input, expected) => {
    expect(orgnr.checkDigit(input)).toBe(expected);
    expect(orgnr.isValid(input + expected)).toBe(true);
  },
  'orgnr prefix w/o valid check': (input, expected) => {
    expect(expected).toBe('null');
    expect(orgnr.checkDigit(input)).toBeNull();
    for (let digit = 0; digit <= 9; digit++) expect(orgnr.isValid(`${input}${digit}`)).toBe(false);
  },

  'kontonr valid': valid(kontonr),
  'kontonr valid (dots)': valid(kontonr),
  'kontonr invalid': valid(kontonr),
  'kontonr check': (input, expected) => {
    expect(kontonr.checkDigit(input)).toBe(expected);
    expect(kontonr.isValid(input + expected)).toBe(true);
  },

  'IBAN from BBAN': (input, expected) => {
    expect(kontonr.toIban(input)).toBe(expected);
    expect(kontonr.fromIban(expected)).toBe(input);
  },
  'IBAN valid': valid(iban),
  'IBAN invalid': valid(iban),

  'KID MOD10': kidGenerated('MOD10'),
  'KID 12-digit MOD10 (Visma layout)': kidGenerated('MOD10'),
  'KID MOD11': kidGenerated('MOD11'),
  'KID MOD11 dash': kidGenerated('MOD11'),
  'KID 12-digit MOD11 (same payload)': kidGenerated('MOD11'),
  'KID valid MOD10': kidValidity('MOD10'),
  'KID invalid MOD10': kidValidity('MOD10'),
  'KID invalid MOD10 (dash)': kidValidity('MOD10'),
  'KID valid MOD11': kidValidity('MOD11'),

  'fnr checks': (input, expected) => {
    expect(fodselsnummer.checkDigits(input)).toBe(expected);
    expect(fodselsnummer.isValid(input + expected)).toBe(true);
  },
  'fnr valid': valid(fodselsnummer),
  'fnr invalid': valid(fodselsnummer),
  'fnr invalid date': valid(fodselsnummer),
  'fnr synthetic (Tenor, month+80)': (input, expected) => {
    valid(fodselsnummer)(input, expected);
    expect(fodselsnummer.kind(input).synthetic).toBe(true);
  },
  'D-number synthetic': valid(fodselsnummer),
  'fnr synthetic date': (input, expected) => expect(fodselsnummer.birthDate(input)).toBe(expected),
  'D-number kind': (input, expected) => {
    const { type, synthetic } = fodselsnummer.kind(input);
    expect([type, ...(synthetic ? ['synthetic'] : [])].join(',')).toBe(expected);
  },
  'fnr prefix w/o legacy check': (input, expected) => {
    expect(expected).toBe('null');
    expect(fodselsnummer.checkDigits(input)).toBeNull();
  },
};

/** Peppol SML DNS names: someone else's module (routing), listed so a new group here fails loudly instead of being skipped silently. */
const notOurs = new Set([
  'SML CNAME (MD5, legacy)',
  'SML CNAME (computed)',
  'SML NAPTR',
  'SML NAPTR (SHA-256/base32)',
  'SML NAPTR (case-insensitive)',
  'SML NAPTR (computed)',
]);

describe('shared Norwegian identifier vectors', () => {
  it('every group is either checked here or named as not ours', () => {
    const unknown = vectors.filter((v) => !(v.group in checks) && !notOurs.has(v.group)).map((v) => v.group);
    expect(unknown).toEqual([]);
  });

  it('every group checked here still occurs in the file', () => {
    const groups = new Set(vectors.map((v) => v.group));
    expect(Object.keys(checks).filter((group) => !groups.has(group))).toEqual([]);
  });

  it.each(vectors.filter((v) => v.group in checks).map((v) => [v.group, v.input, v.expected] as const))(
    '%s: %s → %s',
    (group, input, expected) => checks[group]!(input, expected),
  );
});
