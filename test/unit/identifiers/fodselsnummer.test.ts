import { describe, expect, it } from 'vitest';
import { InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength } from '../../../identifiers/no/errors.js';
import * as fnr from '../../../identifiers/no/fodselsnummer.js';

// Person numbers here are synthetic Tenor numbers (month + 80) except fnrinfo.no's documentation
// example 311299567 and one H-nummer, computed with checkDigits.

describe('fodselsnummer doc-comment examples', () => {
  it('computes fnrinfo.no’s worked example', () => expect(fnr.checkDigits('311299567')).toBe('15'));
  it('reads the birth date of a Tenor number', () => expect(fnr.birthDate('01819012365')).toBe('1990-01-01'));
  it('classifies a synthetic D-nummer', () => expect(fnr.kind('41819012359')).toEqual({ type: 'D', synthetic: true }));
});

describe('fodselsnummer', () => {
  it('compacts and formats', () => {
    expect(fnr.validate('018190 12365')).toBe('01819012365');
    expect(fnr.validate('018190-12365')).toBe('01819012365');
    expect(fnr.format('01819012365')).toBe('018190 12365');
  });

  describe('the 2032 K1 rule (remainders 0–3)', () => {
    it('accepts K1 values with remainder 1 and 2 next to the legacy one', () => {
      expect(fnr.isValid('01819012365')).toBe(true); // remainder 0
      expect(fnr.isValid('01819012373')).toBe(true); // remainder 1
      expect(fnr.isValid('01819012381')).toBe(true); // remainder 2
      expect(fnr.isValid('41819012383')).toBe(true); // remainder 3
    });

    it('rejects remainder 4 and above even when K2 matches', () => {
      expect(() => fnr.validate('01819012349')).toThrow(InvalidChecksum); // K1 4: remainder 9
      expect(() => fnr.validate('01819012357')).toThrow(InvalidChecksum); // K1 5: remainder 10
    });

    it('accepts a new-rule number whose payload has no legacy check digits', () => {
      expect(fnr.checkDigits('018190106')).toBeNull();
      expect(fnr.validate('01819010605')).toBe('01819010605');
    });

    it('keeps K2 unchanged', () => expect(() => fnr.validate('01819012374')).toThrow(InvalidChecksum));

    it('reads gender only under the legacy rule', () => {
      expect(fnr.gender('01819012365')).toBe('M');
      expect(fnr.gender('01816060040')).toBe('F');
      expect(fnr.gender('01819012373')).toBeUndefined();
    });
  });

  describe('kinds', () => {
    it('D-nummer: day + 40', () => {
      expect(fnr.kind('71819012371')).toEqual({ type: 'D', synthetic: true });
      expect(fnr.birthDate('71819012371')).toBe('1990-01-31');
    });
    it('H-nummer: month + 40', () => {
      expect(fnr.kind('01419012382')).toEqual({ type: 'H', synthetic: false });
      expect(fnr.birthDate('01419012382')).toBe('1990-01-01');
    });
    it('plain Tenor number', () => expect(fnr.kind('01819012365')).toEqual({ type: 'F', synthetic: true }));
    it('rejects FH-numre and D-and-H combinations', () => {
      expect(() => fnr.validate('81234567802')).toThrow(InvalidComponent);
      expect(() => fnr.validate('41419012376')).toThrow(InvalidComponent);
    });
  });

  describe('century from individnummer', () => {
    it.each([
      ['01816060040', '1860-01-01'], // 500–749, YY ≥ 54
      ['01819012365', '1990-01-01'], // 000–499
      ['01815090000', '1950-01-01'], // 900–999, YY ≥ 40
      ['01811050047', '2010-01-01'], // 500–999, YY < 40
    ])('%s → %s', (number, date) => expect(fnr.birthDate(number)).toBe(date));

    it('rejects individnummer 750–899 with YY ≥ 40', () => expect(() => fnr.validate('01814575019')).toThrow(InvalidComponent));
  });

  describe('dates', () => {
    it('knows leap years', () => {
      expect(fnr.birthDate('29828012361')).toBe('1980-02-29');
      expect(fnr.birthDate('29820050043')).toBe('2000-02-29');
      expect(() => fnr.validate('29820010092')).toThrow(InvalidComponent); // 1900 is no leap year
      expect(() => fnr.validate('29828112382')).toThrow(InvalidComponent);
    });
    it('rejects 31 February with correct check digits', () => expect(() => fnr.validate('31028190053')).toThrow(InvalidComponent));
    it('rejects day 32', () => expect(() => fnr.validate('32419012334')).toThrow(InvalidComponent));
  });

  it('rejects with the typed error that says why', () => {
    expect(() => fnr.validate('0181901236')).toThrow(InvalidLength);
    expect(() => fnr.validate('018190123650')).toThrow(InvalidLength);
    expect(() => fnr.validate('0181901236A')).toThrow(InvalidFormat);
    expect(() => fnr.checkDigits('01819012')).toThrow(InvalidLength);
    expect(() => fnr.birthDate('01819012366')).toThrow(InvalidChecksum);
  });
});
