import { describe, expect, it } from 'vitest';
import { InvalidChecksum, InvalidFormat, InvalidLength } from '../../../identifiers/no/errors.js';
import * as iban from '../../../identifiers/no/iban.js';

describe('iban doc-comment examples', () => {
  it('validates the printed form', () => expect(iban.validate('NO93 8601 1117 947')).toBe('NO9386011117947'));
  it('rejects wrong check digits', () => expect(() => iban.validate('NO9486011117947')).toThrow(InvalidChecksum));
  it('formats in groups of four', () => expect(iban.format('NO9386011117947')).toBe('NO93 8601 1117 947'));
});

describe('iban', () => {
  it('computes check digits and generates', () => {
    expect(iban.checkDigits('NO', '86011117947')).toBe('93');
    expect(iban.generate('no', '8601 1117 947')).toBe('NO9386011117947');
  });

  it('compacts spaces and case', () => expect(iban.compact(' no93 8601 1117 947 ')).toBe('NO9386011117947'));

  it('checks other countries generically, letters in the BBAN included', () => {
    expect(iban.validate('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(iban.format('GB82WEST12345698765432')).toBe('GB82 WEST 1234 5698 7654 32');
    expect(iban.isValid('GB82WEST12345698765433')).toBe(false);
  });

  it('enforces Norway’s 15 characters and numeric BBAN', () => {
    expect(() => iban.validate('NO938601111794')).toThrow(InvalidLength);
    expect(() => iban.validate('NO93860111179470')).toThrow(InvalidLength);
    expect(() => iban.validate('NO93860111179A7')).toThrow(InvalidFormat);
  });

  it('rejects malformed and out-of-range lengths', () => {
    expect(() => iban.validate('9386011117947')).toThrow(InvalidFormat);
    expect(() => iban.validate('NOXX86011117947')).toThrow(InvalidFormat);
    expect(() => iban.validate('NO93-8601-1117-947')).toThrow(InvalidFormat);
    expect(() => iban.validate('DE8937040044')).toThrow(InvalidLength);
    expect(() => iban.validate(`DE89${'1'.repeat(31)}`)).toThrow(InvalidLength);
  });

  it('rejects check digits 00 and 01, which equal 97 and 98 mod 97 but are never issued', () => {
    expect(iban.validate('NO9786010000047')).toBe('NO9786010000047');
    expect(() => iban.validate('NO0086010000047')).toThrow(InvalidChecksum);
    expect(iban.validate('NO9886010000029')).toBe('NO9886010000029');
    expect(() => iban.validate('NO0186010000029')).toThrow(InvalidChecksum);
  });
});
