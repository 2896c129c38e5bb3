/**
 * Issue 9, defect 1: wrapping and clipping are linear. The old algorithm shortened a word one character at a time and
 * measured it again; a 50,000-character name without spaces then kept the event loop busy for minutes.
 * These tests check that the linear algorithm breaks exactly where measuring every slice would (a reference
 * implementation on small random texts), and that very long texts are typeset in bounded time.
 */
import fc from 'fast-check';
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeasuredText } from '../../../documents/text-measure.js';
import { Typesetter } from '../../../documents/typesetter.js';

let ts: Typesetter;
let bold: PDFFont;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  ts = await Typesetter.forDocument(doc);
  bold = await doc.embedFont(StandardFonts.HelveticaBold);
});

/** The former quadratic wrap, kept here as the reference for where lines break. */
function referenceWrap(text: string, fits: (s: string) => boolean): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (!word) continue;
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = word;
    while (!fits(current) && current.length > 1) {
      let cut = current.length - 1;
      while (cut > 1 && !fits(current.slice(0, cut))) cut--;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current) lines.push(current);
  return lines;
}

describe('MeasuredText', () => {
  it('measures every slice as pdf-lib measures that slice alone (kerning included)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-zæøåÆØÅ.,'\- ]{0,40}$/), fc.nat(40), fc.nat(40), (text, a, b) => {
        const [start, end] = [Math.min(a, b, text.length), Math.min(Math.max(a, b), text.length)];
        const measured = new MeasuredText(text, bold, 9);
        expect(measured.width(start, end)).toBeCloseTo(bold.widthOfTextAtSize(text.slice(start, end), 9), 6);
      }),
    );
  });
});

describe('Typesetter.wrap', () => {
  it('breaks where measuring every slice would', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9WAV. ]{0,120}$/), fc.integer({ min: 20, max: 200 }), (raw, maxWidth) => {
        const text = ts.clean(raw);
        const fits = (s: string) => ts.width(s, 9, 'bold') <= maxWidth;
        expect(ts.wrap(raw, 9, maxWidth, 'bold')).toEqual(referenceWrap(text, fits));
      }),
    );
  });

  it('keeps every line within the width and loses no character', () => {
    const text = 'Fjernvarme levert til Strandgaten 1 ' + 'https://example.no/' + 'x'.repeat(300) + ' AVAWAV'.repeat(20);
    const lines = ts.wrap(text, 9, 235, 'bold');
    for (const line of lines) expect(ts.width(line, 9, 'bold')).toBeLessThanOrEqual(235);
    expect(lines.join('').replace(/ /g, '')).toBe(ts.clean(text).replace(/ /g, ''));
  });

  it('wraps a 50,000-character word without spaces in linear time', () => {
    const started = performance.now();
    const lines = ts.wrap('W'.repeat(50_000), 9, 235, 'bold');
    const elapsed = performance.now() - started;
    expect(lines.join('')).toHaveLength(50_000);
    // The quadratic version took minutes; linear takes milliseconds. The bound is generous for a shared machine.
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('Typesetter.draw with maxWidth (clip)', () => {
  it('clips a 50,000-character word to the width with an ellipsis, at once', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    const started = performance.now();
    const width = ts.draw(page, 'M'.repeat(50_000), 40, 700, { size: 10, maxWidth: 200 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(width).toBeGreaterThan(190);
    expect(width).toBeLessThanOrEqual(200);
  });

  it('draws text that fits unchanged', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    expect(ts.draw(page, 'Bergen Bygg AS', 40, 700, { size: 10, maxWidth: 500 })).toBeCloseTo(ts.width('Bergen Bygg AS', 10), 6);
  });
});
