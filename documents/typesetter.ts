/**
 * Draws single lines of text on pdf-lib pages: aligned, clipped to a width, or wrapped into lines.
 * Every string passes through the WinAnsi sanitizer first, so no caller can crash the renderer
 * with a character the standard fonts cannot encode.
 */
import { degrees, drawLinesOfText, PDFDocument, PDFFont, PDFName, PDFPage, StandardFonts, rgb, type RGB } from 'pdf-lib';
import { MeasuredText } from './text-measure.js';
import { winAnsiSanitizer } from './winansi-text.js';

export type FontStyle = 'regular' | 'bold' | 'italic';

export interface TextStyle {
  size: number;
  style?: FontStyle;
  color?: RGB;
  align?: 'left' | 'right' | 'center';
  /** Longer text is cut and ends in `…`; for wrapping use `wrap`. */
  maxWidth?: number;
}

export const INK = rgb(0.13, 0.13, 0.13);
export const MUTED = rgb(0.4, 0.4, 0.4);

export class Typesetter {
  private readonly sanitize: (text: string) => string;

  private constructor(private readonly fonts: Record<FontStyle, PDFFont>) {
    // Helvetica, its bold and oblique share one encoding (WinAnsi), so one sanitizer serves all three.
    this.sanitize = winAnsiSanitizer(fonts.regular.getCharacterSet());
  }

  static async forDocument(doc: PDFDocument): Promise<Typesetter> {
    const [regular, bold, italic] = await Promise.all([
      doc.embedFont(StandardFonts.Helvetica),
      doc.embedFont(StandardFonts.HelveticaBold),
      doc.embedFont(StandardFonts.HelveticaOblique),
    ]);
    return new Typesetter({ regular, bold, italic });
  }

  /** Text as it will be drawn: sanitized to WinAnsi. */
  clean(text: string): string {
    return this.sanitize(text).replace(/ {2,}/g, ' ').trim();
  }

  width(text: string, size: number, style: FontStyle = 'regular'): number {
    return this.fonts[style].widthOfTextAtSize(this.clean(text), size);
  }

  /** Draws one line with its baseline at y; `x` is the left, right or centre edge depending on `align`. Returns the drawn width. */
  draw(page: PDFPage, text: string, x: number, y: number, style: TextStyle): number {
    const font = this.fonts[style.style ?? 'regular'];
    let line = this.clean(text);
    if (style.maxWidth !== undefined) line = this.clip(line, font, style.size, style.maxWidth);
    if (!line) return 0;
    const width = font.widthOfTextAtSize(line, style.size);
    const left = style.align === 'right' ? x - width : style.align === 'center' ? x - width / 2 : x;
    // pdf-lib's own drawText operators, under a font name this page got once: page.drawText({ font }) adds the font
    // to the page's resources under a fresh name on every call, and again to restore the page's font after it
    // (PDFPage.setFont) — a typical invoice's page ended up with hundreds of names for three fonts.
    page.pushOperators(
      ...drawLinesOfText([font.encodeText(line)], { x: left, y, size: style.size, font: this.fontName(page, font), color: style.color ?? INK, lineHeight: style.size, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }),
    );
    return width;
  }

  private readonly fontNames = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();

  private fontName(page: PDFPage, font: PDFFont): PDFName {
    let names = this.fontNames.get(page);
    if (!names) this.fontNames.set(page, (names = new Map()));
    let name = names.get(font);
    if (!name) names.set(font, (name = page.node.newFontDictionary(font.name, font.ref)));
    return name;
  }

  /**
   * Breaks text into lines no wider than maxWidth, at spaces where possible, inside a word where it must.
   * Linear in the text's length: the text is measured once (MeasuredText) and every line is a slice of it.
   */
  wrap(text: string, size: number, maxWidth: number, style: FontStyle = 'regular'): string[] {
    const line = this.clean(text);
    const measured = new MeasuredText(line, this.fonts[style], size);
    const lines: string[] = [];
    // The current line is line.slice(start, end); clean() left single spaces between words, so a line of several
    // words is exactly one slice.
    let start = -1;
    let end = -1;
    let wordStart = 0;
    while (wordStart < line.length) {
      const space = line.indexOf(' ', wordStart);
      const wordEnd = space === -1 ? line.length : space;
      if (wordEnd > wordStart) {
        if (start >= 0 && measured.width(start, wordEnd) <= maxWidth) {
          end = wordEnd;
        } else {
          if (start >= 0) lines.push(line.slice(start, end));
          // A word wider than the column (a long URL or product code) is split rather than overflowing into the next column.
          let from = wordStart;
          while (measured.width(from, wordEnd) > maxWidth && wordEnd - from > 1) {
            const cut = measured.fittingEnd(from, maxWidth, wordEnd);
            lines.push(line.slice(from, cut));
            from = cut;
          }
          start = from;
          end = wordEnd;
        }
      }
      wordStart = wordEnd + 1;
    }
    if (start >= 0 && end > start) lines.push(line.slice(start, end));
    return lines;
  }

  /** The longest start of the line that fits maxWidth with `…` after it; linear (one measurement of the line). */
  private clip(line: string, font: PDFFont, size: number, maxWidth: number): string {
    const measured = new MeasuredText(line, font, size);
    if (measured.width(0, line.length) <= maxWidth) return line;
    let best = 0;
    for (let cut = 1; cut <= line.length; cut++) {
      // Past the width, a longer start only gets wider.
      if (measured.width(0, cut) > maxWidth) break;
      let end = cut;
      while (end > 0 && line[end - 1] === ' ') end--;
      if (end > 0 && measured.widthWith(0, end, '…') <= maxWidth) best = end;
    }
    return best > 0 ? `${line.slice(0, best)}…` : '';
  }
}
