/**
 * Paragraph segmentation: stored text → blocks with `[start, end)` offsets, each classified as body,
 * heading or boilerplate. Pure string work; the offsets are always an exact, trimmed slice of the text.
 */
import { boilerplateKind, type BoilerplateKind } from './boilerplate.ts';
import type { BlockKind, Paragraph } from './types.ts';

export interface Block {
  kind: BlockKind;
  /** `[start, end)` into the segmented text; the slice has no surrounding whitespace. */
  start: number;
  end: number;
}

export interface Segmentation {
  blocks: Block[];
}

/** Headings are short: a title line of more words is prose that lost its full stop. */
const HEADING_MAX_WORDS = 15;
const HEADING_MAX_CHARS = 150;

/** A line ending with sentence punctuation (optionally inside closing quotes or brackets) is prose. */
const ENDS_LIKE_SENTENCE = /[.!?;,:…]["'”’)\]»]*$/u;
/** Headings start like titles: a capital, a digit, a quote, or a camel-cased brand ("iPhone sales"). */
const STARTS_LIKE_TITLE = /^(?:[\p{Lu}\p{Lt}\p{N}"'“‘([]|\p{Ll}+\p{Lu})/u;

function isHeadingLine(line: string): boolean {
  if (line.length > HEADING_MAX_CHARS || ENDS_LIKE_SENTENCE.test(line)) return false;
  if (!STARTS_LIKE_TITLE.test(line) || !/\p{L}/u.test(line)) return false;
  return line.split(/\s+/).length <= HEADING_MAX_WORDS;
}

/** A line of a block, trimmed: `[start, end)` into the text. */
interface Line {
  start: number;
  end: number;
}

/** White space exactly as `String.prototype.trim` sees it, so blocks are trimmed the way readers expect. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

function trimRange(text: string, start: number, end: number): Line {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

/**
 * Raw blocks: runs of non-blank lines. A blank line is one with only white space, so `\r\n`, tabs and
 * non-breaking spaces between paragraphs all separate blocks.
 */
function rawBlocks(text: string): Line[][] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  const linePattern = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  for (let match = linePattern.exec(text); match !== null; match = linePattern.exec(text)) {
    if (match[0] === '') break;
    const line = trimRange(text, match.index, match.index + match[0].length);
    if (line.end > line.start) {
      current.push(line);
    } else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

interface ClassifiedBlock extends Block {
  /** Set for boilerplate, to tell promo prompts from the rest. */
  boilerplate?: BoilerplateKind;
}

/**
 * Classifies one raw block. Captures often glue chrome lines to each other or to a caption without a
 * blank line ("Skip to main content\nDonate Now\nA booth displays ... © 2017 Reuters"), so boilerplate
 * lines are peeled off the top and bottom of a block one by one; what is left is judged as a whole.
 */
function classifyBlock(text: string, lines: Line[]): ClassifiedBlock[] {
  const head: ClassifiedBlock[] = [];
  const tail: ClassifiedBlock[] = [];
  let first = 0;
  let last = lines.length - 1;
  for (; first <= last; first++) {
    const line = lines[first] as Line;
    const kind = boilerplateKind(text.slice(line.start, line.end));
    if (kind === undefined) break;
    head.push({ kind: 'boilerplate', boilerplate: kind, start: line.start, end: line.end });
  }
  for (; last >= first; last--) {
    const line = lines[last] as Line;
    const kind = boilerplateKind(text.slice(line.start, line.end));
    if (kind === undefined) break;
    tail.unshift({ kind: 'boilerplate', boilerplate: kind, start: line.start, end: line.end });
  }
  if (first > last) return head.concat(tail);
  const start = (lines[first] as Line).start;
  const end = (lines[last] as Line).end;
  const content = text.slice(start, end);
  // A whole short block can be one promo ("How is ... ? Stay briefed with our newsletter.").
  const blockKind = first === last ? undefined : boilerplateKind(content.replace(/\s+/g, ' '));
  let middle: ClassifiedBlock;
  if (blockKind !== undefined) middle = { kind: 'boilerplate', boilerplate: blockKind, start, end };
  else if (first === last && isHeadingLine(content)) middle = { kind: 'heading', start, end };
  else middle = { kind: 'body', start, end };
  return [...head, middle, ...tail];
}

/**
 * Splits stored text into blocks separated by blank lines and classifies each:
 * - `boilerplate`: site chrome (see boilerplate.ts), never answered from;
 * - `heading`: one short title-like line (≤ 15 words, ≤ 150 characters, starts like a title, no
 *   sentence punctuation at the end). The document's own title line is a heading too. A heading
 *   directly followed by a newsletter or donation prompt is that promo's title ("Coronavirus business
 *   update" above "Stay briefed with our coronavirus newsletter.") and so boilerplate as well;
 * - `body`: everything else.
 */
export function segment(text: string): Segmentation {
  const classified = rawBlocks(text).flatMap((lines) => classifyBlock(text, lines));
  for (let i = 0; i < classified.length - 1; i++) {
    const block = classified[i] as ClassifiedBlock;
    const next = classified[i + 1] as ClassifiedBlock;
    if (block.kind === 'heading' && next.boilerplate === 'promo') {
      block.kind = 'boilerplate';
      block.boilerplate = 'promo';
    }
  }
  return { blocks: classified.map(({ kind, start, end }) => ({ kind, start, end })) };
}

/**
 * Splits the body block `[start, end)` into parts of at most `maxChars` characters, each an exact,
 * trimmed slice. Parts end at sentence boundaries (`sentenceStarts`: absolute offsets where sentences
 * begin); a sentence longer than the limit is cut at the last white space that fits, and a run of
 * text with no white space at all at the limit itself (never inside a surrogate pair).
 */
export function partition(
  text: string,
  start: number,
  end: number,
  sentenceStarts: readonly number[],
  maxChars: number,
): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  const cuts = sentenceStarts.filter((at) => at > start && at < end);
  let from = start;
  while (from < end) {
    if (end - from <= maxChars) {
      parts.push([from, end]);
      break;
    }
    let cut = -1;
    for (const at of cuts) {
      if (at <= from) continue;
      if (trimRange(text, from, at).end - from > maxChars) break;
      cut = at;
    }
    if (cut < 0) cut = wordBoundaryCut(text, from, from + maxChars);
    const part = trimRange(text, from, cut);
    if (part.end > part.start) parts.push([part.start, part.end]);
    from = trimRange(text, cut, end).start;
  }
  return parts;
}

/** The last white space in `(from, limit]`, else `limit` moved off a surrogate pair's middle. */
function wordBoundaryCut(text: string, from: number, limit: number): number {
  for (let at = limit; at > from; at--) {
    if (isSpace(text.charCodeAt(at))) return at;
  }
  const code = text.charCodeAt(limit - 1);
  const splitsPair = code >= 0xd800 && code <= 0xdbff;
  return splitsPair && limit - 1 > from ? limit - 1 : limit;
}

/** How many paragraphs `parts` hold: a paragraph split into parts counts once. */
export function paragraphCountOf(parts: readonly Paragraph[]): number {
  let count = 0;
  for (const part of parts) if (part.part === 1) count++;
  return count;
}
