/**
 * Draws single lines of text on pdf-lib pages: aligned, clipped to a width, or wrapped into lines.
 * Every string passes through the WinAnsi sanitizer first, so no caller can crash the renderer
 * with a character the standard fonts cannot encode.
 */
import { PDFDocument, PDFFont, PDFPage, StandardFonts, rgb, type RGB } from 'pdf-lib';
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
    page.drawText(line, { x: left, y, size: style.size, font, color: style.color ?? INK });
    return width;
  }

  /** Breaks text into lines no wider than maxWidth, at spaces where possible, inside a word where it must. */
  wrap(text: string, size: number, maxWidth: number, style: FontStyle = 'regular'): string[] {
    const font = this.fonts[style];
    const fits = (s: string) => font.widthOfTextAtSize(s, size) <= maxWidth;
    const lines: string[] = [];
    let current = '';
    for (const word of this.clean(text).split(' ')) {
      if (!word) continue;
      const candidate = current ? `${current} ${word}` : word;
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      current = word;
      // A word wider than the column (a long URL or product code) is split rather than overflowing into the next column.
      while (!fits(current)) {
        let cut = current.length - 1;
        while (cut > 1 && !fits(current.slice(0, cut))) cut--;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  private clip(line: string, font: PDFFont, size: number, maxWidth: number): string {
    if (font.widthOfTextAtSize(line, size) <= maxWidth) return line;
    let cut = line.length;
    while (cut > 0 && font.widthOfTextAtSize(`${line.slice(0, cut).trimEnd()}…`, size) > maxWidth) cut--;
    return cut > 0 ? `${line.slice(0, cut).trimEnd()}…` : '';
  }
}
