/**
 * Reads back the text of a PDF that renderInvoicePdf wrote, with the position of each piece of text.
 *
 * Why here and not poppler's pdftotext: tests (ours, the e-mail and print channels') and support tooling can
 * check what a delivered PDF says without a system package, and with coordinates they can check where it
 * says it (the KID inside the payment slip, not only somewhere on the page).
 * Scope: content streams as pdf-lib writes them (simple fonts, WinAnsi, `Tm`/`Td`/`T*` positioning, `Tj`/`TJ`).
 * It is no general PDF text extractor.
 */
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFObject } from 'pdf-lib';

export interface PdfTextRun {
  /** 1-based page number. */
  page: number;
  /** Text-space origin of the run, in points from the bottom left corner. */
  x: number;
  y: number;
  size: number;
  text: string;
}

export interface PdfText {
  runs: PdfTextRun[];
  /** Per page: lines top to bottom, runs on one line left to right, joined by a space. */
  pages: string[];
}

export async function readPdfText(bytes: Uint8Array): Promise<PdfText> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const runs: PdfTextRun[] = [];
  doc.getPages().forEach((page, index) => {
    const contents = page.node.Contents();
    const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)!) : contents ? [contents] : [];
    const source = streams
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map((s) => latin1(decodePDFRawStream(s).decode()))
      .join('\n');
    runs.push(...interpret(source, index + 1));
  });
  const pages = doc.getPages().map((_, index) => linesOf(runs.filter((r) => r.page === index + 1)).join('\n'));
  return { runs, pages };
}

type Token = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'name' | 'operator' | 'open' | 'close'; value: string };

function interpret(source: string, page: number): PdfTextRun[] {
  const runs: PdfTextRun[] = [];
  const operands: Token[] = [];
  let size = 0;
  let leading = 0;
  let lineX = 0;
  let lineY = 0;
  let array: string[] | undefined;
  const show = (text: string) => runs.push({ page, x: lineX, y: lineY, size, text });

  for (const token of tokenize(source)) {
    if (token.kind === 'open') { array = []; continue; }
    if (token.kind === 'close') { operands.push({ kind: 'string', value: (array ?? []).join('') }); array = undefined; continue; }
    if (array) { if (token.kind === 'string') array.push(token.value); continue; }
    if (token.kind !== 'operator') { operands.push(token); continue; }
    const nums = operands.filter((t) => t.kind === 'number').map((t) => t.value as number);
    const strings = operands.filter((t) => t.kind === 'string').map((t) => t.value as string);
    switch (token.value) {
      case 'BT': lineX = 0; lineY = 0; break;
      case 'Tf': size = nums[0] ?? size; break;
      case 'TL': leading = nums[0] ?? leading; break;
      case 'Tm': lineX = nums[4] ?? 0; lineY = nums[5] ?? 0; break;
      case 'Td': lineX += nums[0] ?? 0; lineY += nums[1] ?? 0; break;
      case 'TD': lineX += nums[0] ?? 0; lineY += nums[1] ?? 0; leading = -(nums[1] ?? 0); break;
      case 'T*': lineY -= leading; break;
      case 'Tj': case 'TJ': if (strings[0]) show(strings[0]); break;
      case "'": lineY -= leading; if (strings[0]) show(strings[0]); break;
    }
    operands.length = 0;
  }
  return runs;
}

function* tokenize(s: string): Generator<Token> {
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '%') { while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i++; continue; }
    if (c === '[') { i++; yield { kind: 'open', value: c }; continue; }
    if (c === ']') { i++; yield { kind: 'close', value: c }; continue; }
    if (c === '<' && s[i + 1] === '<') { i += 2; yield { kind: 'operator', value: '<<' }; continue; }
    if (c === '>' && s[i + 1] === '>') { i += 2; yield { kind: 'operator', value: '>>' }; continue; }
    if (c === '<') {
      const end = s.indexOf('>', i);
      const hex = s.slice(i + 1, end).replace(/\s/g, '');
      const padded = hex.length % 2 ? `${hex}0` : hex;
      let text = '';
      for (let k = 0; k < padded.length; k += 2) text += winAnsiChar(parseInt(padded.slice(k, k + 2), 16));
      i = end + 1;
      yield { kind: 'string', value: text };
      continue;
    }
    if (c === '(') {
      let depth = 1;
      let text = '';
      i++;
      while (i < s.length && depth > 0) {
        const ch = s[i]!;
        if (ch === '\\') {
          const next = s[i + 1]!;
          const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
          if (/[0-7]/.test(next)) {
            const octal = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
            text += winAnsiChar(parseInt(octal, 8));
            i += 1 + octal.length;
          } else {
            text += escapes[next] ?? next;
            i += 2;
          }
          continue;
        }
        if (ch === '(') depth++;
        if (ch === ')' && --depth === 0) { i++; break; }
        text += winAnsiChar(ch.charCodeAt(0));
        i++;
      }
      yield { kind: 'string', value: text };
      continue;
    }
    if (c === '/') {
      const m = /^\/[^\s/<>[\]()%]*/.exec(s.slice(i, i + 128))!;
      i += m[0].length;
      yield { kind: 'name', value: m[0] };
      continue;
    }
    const number = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(s.slice(i, i + 32));
    if (number) { i += number[0].length; yield { kind: 'number', value: Number(number[0]) }; continue; }
    const op = /^[^\s/<>[\]()%]+/.exec(s.slice(i, i + 32))!;
    i += op[0].length;
    yield { kind: 'operator', value: op[0] };
  }
}

/** Windows-1252 differs from Latin-1 only in 0x80–0x9F; the PDF spec's WinAnsiEncoding (Annex D) agrees. */
const WIN_ANSI_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function winAnsiChar(byte: number): string {
  return byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_80_9F[byte - 0x80]! : String.fromCharCode(byte);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function linesOf(runs: PdfTextRun[]): string[] {
  const sorted = [...runs].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: PdfTextRun[][] = [];
  for (const run of sorted) {
    const line = lines.at(-1);
    // Runs whose baselines are within 2 pt share a line (labels and values are drawn at the same baseline, sizes differ).
    if (line && Math.abs(line[0]!.y - run.y) <= 2) line.push(run);
    else lines.push([run]);
  }
  return lines.map((line) => line.sort((a, b) => a.x - b.x).map((r) => r.text).join(' '));
}
