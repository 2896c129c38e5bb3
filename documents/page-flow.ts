/**
 * A cursor that flows content down A4 pages and starts a new page when the next block does not fit.
 * Blocks ask for their height first (`ensure`), so a table row or the totals block is never split across pages.
 */
import { PageSizes, type PDFDocument, type PDFPage } from 'pdf-lib';
import type { Typesetter } from './typesetter.js';

export const PAGE_WIDTH = PageSizes.A4[0];
export const PAGE_HEIGHT = PageSizes.A4[1];
/** ~17.6 mm side margins: inside what office printers can print, and the address block clears a C5 window envelope's edge. */
export const LEFT = 50;
export const RIGHT = PAGE_WIDTH - 50;
export const TOP = PAGE_HEIGHT - 50;
/** Lowest baseline for flowing content on a page without the payment slip. */
export const FLOOR = 50;

export class PageFlow {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  /** Baseline of the next line to draw. */
  y = TOP;

  /** `onNewPage` draws the continuation header of pages after the first and returns the y where content continues. */
  constructor(
    readonly doc: PDFDocument,
    readonly ts: Typesetter,
    private readonly onNewPage: (flow: PageFlow) => number,
  ) {
    this.addPage(false);
  }

  /** Makes sure `height` points fit above `floor` on the current page, else continues on a new one. Returns true when it broke the page. */
  ensure(height: number, floor = FLOOR): boolean {
    if (this.y - height >= floor) return false;
    this.addPage(true);
    return true;
  }

  private addPage(continuation: boolean): void {
    this.page = this.doc.addPage(PageSizes.A4);
    this.pages.push(this.page);
    this.y = continuation ? this.onNewPage(this) : TOP;
  }
}
