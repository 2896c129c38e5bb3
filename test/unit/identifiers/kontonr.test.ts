import { describe, expect, it } from 'vitest';
import { weightedSum } from '../../../identifiers/no/digits.js';
import { InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength } from '../../../identifiers/no/errors.js';
import * as iban from '../../../identifiers/no/iban.js';
import * as kontonr from '../../../identifiers/no/kontonr.js';

describe('kontonr doc-comment examples', () => {
  it('validates the dotted form', () => expect(kontonr.validate('8601.11.17947')).toBe('86011117947'));
  it('computes the check digit', () => expect(kontonr.checkDigit('1234567890')).toBe('3'));
  it('converts to IBAN', () => expect(kontonr.toIban('86011117947')).toBe('NO9386011117947'));
});

describe('kontonr', () => {
  it('accepts spaces and dots, formats with dots', () => {
    expect(kontonr.validate('8601 11 17947')).toBe('86011117947');
    expect(kontonr.format('86011117947')).toBe('8601.11.17947');
    expect(kontonr.format('8601 11 17947')).toBe('8601.11.17947');
  });

  it('keeps leading zeros', () => {
    expect(kontonr.checkDigit('0000000001')).toBe('9');
    expect(kontonr.validate('0000.00.00019')).toBe('00000000019');
  });

  it('has no check digit when the remainder is 1', () => {
    expect(kontonr.checkDigit('8601111705')).toBeNull();
    for (let digit = 0; digit <= 9; digit++) expect(kontonr.isValid(`8601111705${digit}`)).toBe(false);
  });

  it('rejects with the typed error that says why', () => {
    expect(() => kontonr.validate('8601-11-17947')).toThrow(InvalidFormat);
    expect(() => kontonr.validate('8601.11.1794')).toThrow(InvalidLength);
    expect(() => kontonr.validate('860111179470')).toThrow(InvalidLength);
    expect(() => kontonr.validate('86011117949')).toThrow(InvalidChecksum);
    expect(() => kontonr.checkDigit('860111179')).toThrow(InvalidLength);
    expect(() => kontonr.toIban('86011117949')).toThrow(InvalidChecksum);
  });

  it('agrees with python-stdnum’s form: weights 6,7,8,9,4,5,6,7,8,9 give the check digit as sum mod 11', () => {
    for (let n = 0; n < 10_000_000_000; n += 99_991_003) {
      const payload = String(n).padStart(10, '0');
      const check = kontonr.checkDigit(payload);
      expect(check ?? '10').toBe(String(weightedSum(payload, [6, 7, 8, 9, 4, 5, 6, 7, 8, 9]) % 11));
    }
  });

  describe('fromIban', () => {
    it('returns the kontonummer of a Norwegian IBAN', () => expect(kontonr.fromIban('NO93 8601 1117 947')).toBe('86011117947'));
    it('rejects a Norwegian IBAN whose MOD 97-10 holds but whose BBAN fails MOD11', () => {
      const wrongBban = iban.generate('NO', '86011117949');
      expect(iban.isValid(wrongBban)).toBe(true);
      expect(() => kontonr.fromIban(wrongBban)).toThrow(InvalidChecksum);
    });
    it('rejects a foreign IBAN', () => expect(() => kontonr.fromIban('DE89370400440532013000')).toThrow(InvalidComponent));
  });
});
