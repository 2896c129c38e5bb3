import { describe, expect, it } from 'vitest';
import { Decimal, decimalsOf, difference, formatAmount, formatPrice, percentOf, plainDecimal, pricedAmount, round2, roundHalfAwayFromZero, sameAmount, sumAmounts } from '../../../invoice/money.js';

describe('round2: half away from zero, robust against float artefacts', () => {
  it.each([
    [1.005, 1.01], // 1.00499999999999989… as a double
    [-1.005, -1.01],
    [2.675, 2.68],
    [-2.675, -2.68],
    [0.125, 0.13],
    [-0.125, -0.13],
    [1.0049, 1],
    [1.234999, 1.23],
    [0.1 + 0.2, 0.3],
    [7 * 0.7, 4.9],
    [1460.5 * 0.25, 365.13], // BR-CO-17 in the OpenPEPPOL Norwegian example
    [123456789.995, 123456790],
    [1e-7, 0],
  ])('round2(%s) = %s', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });

  it('never returns -0', () => {
    expect(Object.is(round2(-0.004), 0)).toBe(true);
    expect(Object.is(round2(-0), 0)).toBe(true);
  });

  it('rounds to other precisions the same way', () => {
    expect(roundHalfAwayFromZero(2.5, 0)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5, 0)).toBe(-3);
    expect(roundHalfAwayFromZero(1.0005, 3)).toBe(1.001);
  });

  it('refuses non-finite values', () => {
    expect(() => round2(Number.NaN)).toThrow(RangeError);
    expect(() => round2(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('sums and comparisons in cents', () => {
  it('adds exactly', () => {
    expect(sumAmounts([0.1, 0.2])).toBe(0.3);
    expect(sumAmounts([1000.1, -999.9, 0.01])).toBe(0.21);
    expect(sumAmounts([])).toBe(0);
  });

  it('compares to the cent', () => {
    expect(sameAmount(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameAmount(1.01, 1.02)).toBe(false);
  });

  it('takes a percentage with BR-CO-17 rounding', () => {
    expect(percentOf(99.9, 15)).toBe(14.99);
    expect(percentOf(0.3, 25)).toBe(0.08);
    expect(percentOf(-1325, 25)).toBe(-331.25);
  });
});

describe('formatting', () => {
  it('writes amounts with two decimals', () => {
    expect(formatAmount(1656.25)).toBe('1656.25');
    expect(formatAmount(3)).toBe('3.00');
    expect(formatAmount(-0.004)).toBe('0.00');
    expect(formatAmount(1.005)).toBe('1.01');
  });

  it('writes quantities and prices in plain decimal notation', () => {
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(plainDecimal(-3)).toBe('-3');
    expect(plainDecimal(0.1 + 0.2)).toBe('0.3');
    expect(formatPrice(0.755)).toBe('0.755');
    expect(formatPrice(400)).toBe('400.00');
  });

  it('counts decimals as written', () => {
    expect(decimalsOf(1.005)).toBe(3);
    expect(decimalsOf(0.1 + 0.2)).toBe(1);
    expect(decimalsOf(12)).toBe(0);
  });
});

describe('Decimal: one exact representation for amounts, prices and quantities (issue 8)', () => {
  it('subtracts, adds and multiplies without binary artefacts', () => {
    expect(Decimal.of(1000).minus(999.999).toString()).toBe('0.001');
    expect(1000 - 999.999).not.toBe(0.001); // what doubles give: 0.000999999999976353
    expect(Decimal.of(0.1).plus(0.2).toString()).toBe('0.3');
    expect(Decimal.of(1.1).times(1.1).toString()).toBe('1.21');
    expect(Decimal.of('-2.50').times(4).toString()).toBe('-10');
  });

  it('divides with rounding half away from zero to the places asked for', () => {
    expect(Decimal.of(10).dividedBy(3, 2).toString()).toBe('3.33');
    expect(Decimal.of(-2).dividedBy(3, 2).toString()).toBe('-0.67');
    expect(Decimal.of(1).dividedBy(8, 2).toString()).toBe('0.13');
    expect(Decimal.of(-1).dividedBy(8, 2).toString()).toBe('-0.13');
    expect(() => Decimal.of(1).dividedBy(0, 2)).toThrow(RangeError);
  });

  it('reads numbers by their decimal notation and strings as written', () => {
    expect(Decimal.of(1.005).round(2).toString()).toBe('1.01');
    expect(Decimal.of(1e-7).toString()).toBe('0.0000001');
    expect(Decimal.of('1.50').decimals).toBe(1);
    expect(Decimal.of('12e2').toString()).toBe('1200');
    expect(() => Decimal.of('1,5')).toThrow(RangeError);
    expect(() => Decimal.of(Number.NaN)).toThrow(RangeError);
  });

  it('compares and formats', () => {
    expect(Decimal.of(0.1).plus(0.2).equals(0.3)).toBe(true);
    expect(Decimal.of(2).compare(10)).toBe(-1);
    expect(Decimal.of(-0.004).toFixed(2)).toBe('0.00');
    expect(Decimal.of(-1.005).toFixed(2)).toBe('-1.01');
    expect(formatPrice(Decimal.of(1000).minus(999.999))).toBe('0.001');
    expect(difference(100.01, 100).toString()).toBe('0.01');
  });

  it('computes the priced part of a line net amount exactly (quantity × price ÷ base quantity)', () => {
    expect(pricedAmount(3, 1.005, 1)).toBe(3.02); // 3.015 rounds up; in doubles 3 × 1.005 is 3.0149999999999997
    expect(pricedAmount(3, 0.145, 1)).toBe(0.44); // 0.435; in doubles 0.43499999999999994
    expect(pricedAmount(7, 10, 3)).toBe(23.33);
    expect(pricedAmount(1200, 1.25, 1)).toBe(1500);
  });
});
