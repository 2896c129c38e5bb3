import { describe, expect, it } from 'vitest';
import {
  formatAccountNumber,
  formatAmount,
  formatDate,
  formatIban,
  formatOrgNumber,
  formatPercent,
  formatQuantity,
} from '../../../documents/norwegian-format.js';

describe('norwegian-format', () => {
  it.each([
    [0, '0,00'],
    [1234.5, '1 234,50'],
    [1234567.891, '1 234 567,89'],
    [999.995, '1 000,00'],
    [1.005, '1,01'],
    [-1234.5, '-1 234,50'],
    [-0.004, '0,00'],
    [100, '100,00'],
  ])('formatAmount(%s) = %s', (amount, expected) => {
    expect(formatAmount(amount)).toBe(expected);
  });

  it.each([
    [1, '1'],
    [3.5, '3,5'],
    [1000, '1 000'],
    [0.3333333, '0,3333'],
    [-2, '-2'],
  ])('formatQuantity(%s) = %s', (quantity, expected) => {
    expect(formatQuantity(quantity)).toBe(expected);
  });

  it('formats VAT rates with a space before %', () => {
    expect(formatPercent(25)).toBe('25 %');
    expect(formatPercent(11.11)).toBe('11,11 %');
    expect(formatPercent(0)).toBe('0 %');
  });

  it('formats ISO dates as dd.mm.yyyy and leaves other text alone', () => {
    expect(formatDate('2026-02-15')).toBe('15.02.2026');
    expect(formatDate('15.02.2026')).toBe('15.02.2026');
  });

  it('groups account numbers 4.2.5 (DOMAIN.md §2.2 vector 8601.11.17947)', () => {
    expect(formatAccountNumber('86011117947')).toBe('8601.11.17947');
    expect(formatAccountNumber('8601.11.17947')).toBe('8601.11.17947');
    expect(formatAccountNumber('8601 11 17947')).toBe('8601.11.17947');
    expect(formatAccountNumber('1234567')).toBe('1234567');
  });

  it('groups organisation numbers 3 3 3 and IBANs by four', () => {
    expect(formatOrgNumber('123456785')).toBe('123 456 785');
    expect(formatOrgNumber('12345')).toBe('12345');
    expect(formatIban('NO9386011117947')).toBe('NO93 8601 1117 947');
  });
});
