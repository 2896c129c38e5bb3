import { describe, expect, it } from 'vitest';
import { weightedSum } from '../../../identifiers/no/digits.js';
import { InvalidChecksum, InvalidFormat, InvalidIdentifier, InvalidLength } from '../../../identifiers/no/errors.js';
import * as orgnr from '../../../identifiers/no/orgnr.js';

describe('orgnr doc-comment examples', () => {
  it('validates the printed form', () => expect(orgnr.validate('988 077 917')).toBe('988077917'));
  it('computes brreg’s worked example', () => expect(orgnr.checkDigit('12345678')).toBe('5'));
  it('builds the MVA number', () => expect(orgnr.toMva('995525828')).toBe('NO995525828MVA'));
});

describe('orgnr', () => {
  it('formats in groups of three', () => expect(orgnr.format('988077917')).toBe('988 077 917'));

  it('keeps leading zeros: the value is a string, never a number', () => {
    expect(orgnr.checkDigit('00000001')).toBe('9');
    expect(orgnr.validate('000000019')).toBe('000000019');
  });

  it('rejects with the typed error that says why', () => {
    expect(() => orgnr.validate('12345678A')).toThrow(InvalidFormat);
    expect(() => orgnr.validate('')).toThrow(InvalidFormat);
    expect(() => orgnr.validate('12345678')).toThrow(InvalidLength);
    expect(() => orgnr.validate('1234567855')).toThrow(InvalidLength);
    expect(() => orgnr.validate('988077918')).toThrow(InvalidChecksum);
    expect(() => orgnr.checkDigit('1234567')).toThrow(InvalidLength);
    expect(() => orgnr.checkDigit('1234567x')).toThrow(InvalidFormat);
    expect(() => orgnr.format('988077918')).toThrow(InvalidChecksum);
  });

  it('errors carry a code and share one base class', () => {
    const error = (() => {
      try {
        orgnr.validate('988077918');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidIdentifier);
    expect(error).toMatchObject({ code: 'InvalidChecksum', name: 'InvalidChecksum' });
  });

  it('agrees with python-stdnum’s form: weights 3,2,7,6,5,4,3,2,1 over all nine digits sum to 0 mod 11', () => {
    for (let n = 0; n < 100_000_000; n += 9_973) {
      const payload = String(n).padStart(8, '0');
      const check = orgnr.checkDigit(payload);
      if (check === null) continue;
      expect(weightedSum(payload + check, [3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11).toBe(0);
    }
  });

  describe('MVA number', () => {
    it('reads the printed and the lower-case form', () => {
      expect(orgnr.fromMva('NO 995 525 828 MVA')).toBe('995525828');
      expect(orgnr.fromMva('no995525828mva')).toBe('995525828');
    });
    it('rejects a wrong frame or a wrong orgnr', () => {
      expect(() => orgnr.fromMva('995525828MVA')).toThrow(InvalidFormat);
      expect(() => orgnr.fromMva('SE995525828MVA')).toThrow(InvalidFormat);
      expect(() => orgnr.fromMva('NO99552582MVA')).toThrow(InvalidFormat);
      expect(() => orgnr.fromMva('NO995525829MVA')).toThrow(InvalidChecksum);
      expect(() => orgnr.toMva('995525829')).toThrow(InvalidChecksum);
    });
  });
});
