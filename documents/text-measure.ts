/**
 * Widths of every prefix of a text in one pass, so that wrapping and clipping cost time linear in the text's length.
 *
 * Why: measuring `text.slice(0, cut)` again for every cut (shorten by one character, measure, repeat) is quadratic;
 * a 50,000-character name without spaces kept the event loop busy for minutes (issue 9, defect 1).
 * pdf-lib measures a standard font's text as the sum, per glyph, of its advance width plus the kerning with the next
 * glyph (StandardFontEmbedder.widthOfTextAtSize), so widths add up: width(a..b) = P[b] − P[a] − kern(b−1, b), where
 * P holds the prefix sums of advance + kerning. Text here is already WinAnsi (one UTF-16 unit = one glyph).
 */
import type { PDFFont } from 'pdf-lib';

/** Glyph widths and pair kerning in font units (size 1000), cached per font: measured once, then looked up. */
class FontMetrics {
  private readonly widths = new Map<string, number>();
  private readonly kerning = new Map<string, number>();

  constructor(private readonly font: PDFFont) {}

  width(char: string): number {
    let w = this.widths.get(char);
    if (w === undefined) {
      w = this.font.widthOfTextAtSize(char, 1000);
      this.widths.set(char, w);
    }
    return w;
  }

  /** The kerning between two adjacent glyphs: the pair's width minus both glyphs' own. */
  kern(left: string, right: string): number {
    const pair = left + right;
    let k = this.kerning.get(pair);
    if (k === undefined) {
      k = this.font.widthOfTextAtSize(pair, 1000) - this.width(left) - this.width(right);
      this.kerning.set(pair, k);
    }
    return k;
  }
}

const metricsByFont = new WeakMap<PDFFont, FontMetrics>();

function metricsOf(font: PDFFont): FontMetrics {
  let metrics = metricsByFont.get(font);
  if (!metrics) {
    metrics = new FontMetrics(font);
    metricsByFont.set(font, metrics);
  }
  return metrics;
}

/** A text measured once: the width of any slice in constant time. */
export class MeasuredText {
  /** prefix[i]: the advances (glyph width + kerning with the next glyph) of characters 0..i−1, in font units. */
  private readonly prefix: Float64Array;
  private readonly metrics: FontMetrics;
  private readonly scale: number;

  constructor(readonly text: string, font: PDFFont, size: number) {
    this.metrics = metricsOf(font);
    this.scale = size / 1000;
    this.prefix = new Float64Array(text.length + 1);
    for (let i = 0; i < text.length; i++) {
      const advance = this.metrics.width(text[i]!) + (i + 1 < text.length ? this.metrics.kern(text[i]!, text[i + 1]!) : 0);
      this.prefix[i + 1] = this.prefix[i]! + advance;
    }
  }

  /** The width of text.slice(start, end) at the size given, as pdf-lib would measure that slice alone. */
  width(start: number, end: number): number {
    if (end <= start) return 0;
    const kernAfter = end < this.text.length ? this.metrics.kern(this.text[end - 1]!, this.text[end]!) : 0;
    return (this.prefix[end]! - this.prefix[start]! - kernAfter) * this.scale;
  }

  /** The width of text.slice(start, end) followed by `suffix` (one character, e.g. `…`). */
  widthWith(start: number, end: number, suffix: string): number {
    if (end <= start) return this.metrics.width(suffix) * this.scale;
    return this.width(start, end) + (this.metrics.kern(this.text[end - 1]!, suffix) + this.metrics.width(suffix)) * this.scale;
  }

  /**
   * The largest end > start (at least start + 1) such that text.slice(start, end) fits maxWidth: a linear scan from
   * start, so splitting a whole word costs its length once, not once per line.
   */
  fittingEnd(start: number, maxWidth: number, limit = this.text.length): number {
    let end = start + 1;
    while (end < limit && this.width(start, end + 1) <= maxWidth) end++;
    return end;
  }
}
