/**
 * PDF to text with unpdf (a serverless build of Mozilla's PDF.js). PDFs have no paragraphs, only positioned
 * runs of text, so paragraphs are rebuilt from the layout: runs on one baseline form a line, and a new
 * paragraph starts where the vertical gap is clearly larger than the page's usual line spacing, where the
 * font size changes (headings), after a short line that ends a sentence, and at every page.
 */
import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf';
import type { StructuredTextItem } from 'unpdf';

export interface PdfText {
  /** Paragraphs separated by blank lines; pages always end a paragraph. */
  text: string;
  /** The PDF's own Title metadata, when it has one. */
  title: string | undefined;
  pages: number;
}

/** A gap larger than this many times the usual line spacing separates paragraphs. */
const PARAGRAPH_GAP_FACTOR = 1.4;
/** Font sizes that differ by more than this share belong to different blocks (a heading and its text). */
const FONT_SIZE_CHANGE = 0.1;
/** Line spacing above this many times the font size is taken to be paragraph spacing. */
const MAX_LEADING_FACTOR = 1.6;
/** A line shorter than this share of the page's longest line, ending a sentence, ends its paragraph. */
const SHORT_LINE_SHARE = 0.6;

interface Line {
  text: string;
  y: number;
  fontSize: number;
  width: number;
}

/** A PDF with more pages than the caller reads: refused before any page is read. */
export class TooManyPages extends Error {
  readonly pages: number;

  constructor(pages: number) {
    super(`${pages} pages`);
    this.name = 'TooManyPages';
    this.pages = pages;
  }
}

/**
 * Throws TooManyPages when the PDF has more than `maxPages` pages (a small file can list one page thousands
 * of times, and each is read in full), else whatever PDF.js throws for a damaged or encrypted file; the
 * caller turns either into a user error.
 */
export async function pdfToText(bytes: Uint8Array, maxPages = Number.POSITIVE_INFINITY): Promise<PdfText> {
  // PDF.js may take ownership of the buffer it is given, so it gets a copy; verbosity 0 keeps its
  // warnings ("Indexing all PDF objects") out of our stderr.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    if (pdf.numPages > maxPages) throw new TooManyPages(pdf.numPages);
    const { items } = await extractTextItems(pdf);
    const pageTexts = items.map((pageItems) => paragraphsOfPage(toLines(pageItems)));
    const text = pageTexts.filter((page) => page !== '').join('\n\n');
    const title = await pdfTitle(pdf);
    return { text, title, pages: items.length };
  } finally {
    await pdf.destroy();
  }
}

async function pdfTitle(pdf: Parameters<typeof getMeta>[0]): Promise<string | undefined> {
  try {
    const { info } = await getMeta(pdf);
    const title: unknown = info['Title'];
    return typeof title === 'string' && title.trim() !== '' ? title.replace(/\s+/g, ' ').trim() : undefined;
  } catch {
    return undefined; // A PDF without readable metadata still has its text.
  }
}

function toLines(items: readonly StructuredTextItem[]): Line[] {
  const lines: Line[] = [];
  let current: { parts: string[]; y: number; fontSize: number; x0: number; x1: number } | undefined;
  const finish = (): void => {
    if (current === undefined) return;
    const text = current.parts.join('').replace(/\s+/g, ' ').trim();
    if (text !== '')
      lines.push({ text, y: current.y, fontSize: current.fontSize, width: current.x1 - current.x0 });
    current = undefined;
  };
  for (const item of items) {
    if (item.str !== '') {
      const sameLine =
        current !== undefined && Math.abs(item.y - current.y) <= 0.5 * Math.max(item.fontSize, 1);
      if (!sameLine) finish();
      if (current === undefined) {
        current = {
          parts: [item.str],
          y: item.y,
          fontSize: item.fontSize,
          x0: item.x,
          x1: item.x + item.width,
        };
      } else {
        // Runs placed apart on one line need a space between them unless one already has it.
        const gap = item.x - current.x1;
        const last = current.parts[current.parts.length - 1] ?? '';
        if (gap > 0.15 * item.fontSize && !/\s$/.test(last) && !/^\s/.test(item.str)) current.parts.push(' ');
        current.parts.push(item.str);
        current.x1 = Math.max(current.x1, item.x + item.width);
        current.fontSize = Math.max(current.fontSize, item.fontSize);
      }
    }
    if (item.hasEOL) finish();
  }
  finish();
  return lines;
}

function paragraphsOfPage(lines: readonly Line[]): string {
  if (lines.length === 0) return '';
  const leading = usualLineSpacing(lines);
  const widest = Math.max(...lines.map((line) => line.width));
  const paragraphs: string[][] = [];
  let paragraph: string[] = [];
  lines.forEach((line, index) => {
    const previous = lines[index - 1];
    if (previous !== undefined && startsNewParagraph(previous, line, leading, widest)) {
      paragraphs.push(paragraph);
      paragraph = [];
    }
    paragraph.push(line.text);
  });
  paragraphs.push(paragraph);
  return paragraphs
    .map(joinLines)
    .filter((text) => text !== '')
    .join('\n\n');
}

function startsNewParagraph(previous: Line, line: Line, leading: number, widest: number): boolean {
  const sizeChange = Math.abs(line.fontSize - previous.fontSize) / Math.max(previous.fontSize, 1);
  if (sizeChange > FONT_SIZE_CHANGE) return true;
  const gap = previous.y - line.y;
  // Text that goes back up the page (a new column, a footnote placed out of order) starts a new block.
  if (gap <= 0) return true;
  if (gap > leading * PARAGRAPH_GAP_FACTOR) return true;
  return previous.width < widest * SHORT_LINE_SHARE && /[.!?:"”’)]$/.test(previous.text);
}

/**
 * The most common distance between consecutive lines of the same size, at most 1.6 × the body font size
 * (so a page of one-line paragraphs, where the commonest gap is the paragraph gap, still splits); 1.2 × the
 * font size when there is nothing to measure.
 */
function usualLineSpacing(lines: readonly Line[]): number {
  const counts = new Map<number, number>();
  for (let index = 1; index < lines.length; index += 1) {
    const previous = lines[index - 1];
    const line = lines[index];
    if (previous === undefined || line === undefined || previous.fontSize !== line.fontSize) continue;
    const gap = Math.round(previous.y - line.y);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  const bodySize = lines.reduce((size, line) => Math.min(size, line.fontSize), Number.POSITIVE_INFINITY);
  return best === undefined ? 1.2 * bodySize : Math.min(best, MAX_LEADING_FACTOR * bodySize);
}

/** Lines of one paragraph joined with spaces; a line ending in a hyphen joins the next without one. */
function joinLines(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) {
    if (text === '') text = line;
    else if (/[A-Za-z]-$/.test(text) && /^[a-z]/.test(line)) text += line;
    else text += ` ${line}`;
  }
  return text;
}
