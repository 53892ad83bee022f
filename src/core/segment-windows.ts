/**
 * `segment` over a long text in windows, so a caller can yield to the event loop between them (a 5 MB
 * document takes ~70 ms to segment in one go). The blocks are exactly `segment(text).blocks`:
 *
 * - windows are cut only right after a blank line, where `segment` ends a block anyway, and the line
 *   and boilerplate rules look at one block at a time;
 * - the one rule that looks across blocks (a heading followed by a promo is the promo's title) is kept
 *   by never ending a window on a heading: a window whose last block is a heading gives that heading
 *   to the next window.
 */
import { segment, type Block } from './paragraphs.ts';

/** Characters segmented per window (about 2 ms of work). */
export const SEGMENT_WINDOW_CHARS = 65_536;

/** A blank line's end: a newline, white space other than line breaks, then a newline. */
const BLANK_LINE = /\n[^\S\r\n]*\r?\n/g;

/** The blocks of `text`, one window's worth per step; the generator's return value is unused. */
export function* segmentInWindows(
  text: string,
  windowChars = SEGMENT_WINDOW_CHARS,
): Generator<Block[], void, void> {
  let from = 0;
  while (from < text.length) {
    let to = cutAfter(text, from + windowChars);
    let blocks: Block[];
    let next: number;
    for (;;) {
      blocks = shifted(segment(text.slice(from, to)).blocks, from);
      const last = blocks.at(-1);
      if (to >= text.length || last === undefined || last.kind !== 'heading') {
        next = to;
        break;
      }
      if (blocks.length > 1) {
        blocks = blocks.slice(0, -1);
        next = lineStart(text, last.start);
        break;
      }
      // A window of one heading: grow it past the next blank line.
      to = cutAfter(text, to + 1);
    }
    yield blocks;
    from = next;
  }
}

/** The first cut point at or after `at`: just after a blank line; the text's end when there is none. */
function cutAfter(text: string, at: number): number {
  if (at >= text.length) return text.length;
  // Start one character early so a blank line beginning exactly at `at - 1` is found.
  BLANK_LINE.lastIndex = Math.max(0, at - 1);
  const match = BLANK_LINE.exec(text);
  return match === null ? text.length : match.index + match[0].length;
}

/** The start of the line holding `at` (a held-back heading is re-read from its line's start). */
function lineStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

function shifted(blocks: Block[], by: number): Block[] {
  return by === 0
    ? blocks
    : blocks.map((block) => ({ ...block, start: block.start + by, end: block.end + by }));
}
