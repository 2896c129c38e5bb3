import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { winAnsiSanitizer } from '../../../documents/winansi-text.js';

describe('winAnsiSanitizer (Helvetica character set)', () => {
  let sanitize: (text: string) => string;
  beforeAll(async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    sanitize = winAnsiSanitizer(font.getCharacterSet());
  });

  it('keeps Norwegian letters and WinAnsi punctuation as they are', () => {
    const norwegian = 'Blåbærsyltetøy ÆØÅ æøå – “sitat” € … é ü ß';
    expect(sanitize(norwegian)).toBe(norwegian);
  });

  it.each([
    ['Łódź', 'Lódz'],
    ['Áŋŋe Čáhcegáddi', 'Ánne Cáhcegáddi'], // Northern Sámi
    ['Đuođ ŧ', 'Duod t'],
    ['a\u2212b', 'a-b'],
    ['5\u202F000', '5 000'],
    ['linje1\nlinje2\tx', 'linje1 linje2 x'],
    ['ﬁ', 'fi'],
    ['Hei 😀!', 'Hei ?!'],
    ['❤️', '?'],
    ['中文', '??'],
    ['a\u200Bb', 'ab'],
  ])('%j → %j', (input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('produces only text the font can encode', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const wild = 'Ωμέγα Привет עברית 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ǅ ĳ ŉ ﬀ ½ ™ ₂';
    expect(() => font.encodeText(sanitize(wild))).not.toThrow();
  });
});
