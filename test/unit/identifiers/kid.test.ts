import { describe, expect, it } from 'vitest';
import { InvalidChecksum, InvalidFormat, InvalidLength } from '../../../identifiers/no/errors.js';
import * as kid from '../../../identifiers/no/kid.js';

describe('kid doc-comment examples', () => {
  it('generates MOD10', () => expect(kid.generate('234567', 'MOD10')).toBe('2345676'));
  it('generates MOD11 with - for check value 10', () => expect(kid.generate('40', 'MOD11')).toBe('40-'));
  it('reports the matching modulus', () => expect(kid.validate('40-')).toEqual({ value: '40-', moduli: ['MOD11'] }));
});

describe('kid', () => {
  it('reports which modulus matched when none is configured', () => {
    expect(kid.validate('12344').moduli).toEqual(['MOD10']);
    expect(kid.validate('12343').moduli).toEqual(['MOD11']);
    // Both checks can hold at once, even for a long KID.
    expect(kid.validate('00').moduli).toEqual(['MOD10', 'MOD11']);
    expect(kid.validate('2345676').moduli).toEqual(['MOD10', 'MOD11']);
  });

  it('holds a KID to the configured modulus', () => {
    expect(kid.validate('12343', { modulus: 'MOD11' }).moduli).toEqual(['MOD11']);
    expect(() => kid.validate('12343', { modulus: 'MOD10' })).toThrow(InvalidChecksum);
    expect(() => kid.validate('12344', { modulus: 'MOD11' })).toThrow(InvalidChecksum);
    expect(() => kid.validate('2345677')).toThrow(InvalidChecksum);
  });

  it('treats - as legal only in last place and only under MOD11', () => {
    expect(kid.isValid('40-', { modulus: 'MOD11' })).toBe(true);
    expect(() => kid.validate('40-', { modulus: 'MOD10' })).toThrow(InvalidFormat);
    expect(() => kid.validate('4-0')).toThrow(InvalidFormat);
    expect(() => kid.validate('-')).toThrow(InvalidFormat);
    expect(kid.checkDigit('12345000678', 'MOD11')).toBe('-');
  });

  it('keeps leading zeros: weights run from the right and the value stays a string', () => {
    expect(kid.generate('0001', 'MOD10')).toBe('00018');
    expect(kid.generate('000123', 'MOD11')).toBe('0001236');
    expect(kid.validate('0001236').value).toBe('0001236');
  });

  it('allows 2 to 25 characters including the check', () => {
    const longest = kid.generate('0'.repeat(23) + '1', 'MOD10');
    expect(longest).toBe('0000000000000000000000018');
    expect(kid.validate(longest).value).toBe(longest);
    expect(() => kid.generate('1'.repeat(25), 'MOD10')).toThrow(InvalidLength);
    expect(() => kid.validate(`${longest}0`)).toThrow(InvalidLength);
    expect(() => kid.validate('5')).toThrow(InvalidLength);
  });

  it('drops spaces, rejects anything else', () => {
    expect(kid.validate('1234 5678 903').value).toBe('12345678903');
    expect(kid.format('1234 5678 903')).toBe('12345678903');
    expect(() => kid.validate('12.34')).toThrow(InvalidFormat);
    expect(() => kid.generate('12a', 'MOD10')).toThrow(InvalidFormat);
  });
});
