/**
 * A passage as Discord markdown: escaped so that nothing in a document can format, mention or link, then
 * matched words in bold and the best sentence underlined, cut (when it must be) only at sentence
 * boundaries with the ellipsis outside the quotation marks.
 *
 * Why not discord.js's `escapeMarkdown` on the whole quote: the highlight ranges are offsets into the
 * passage, and a whole-string escaper moves them unpredictably. Here every character of the passage maps
 * to its own escaped piece, so a range of the passage is a range of pieces, and removing the added
 * markup and the backslashes gives back exactly `passage.text.slice(start, end)`. The piece rules are a
 * superset of what `escapeMarkdown` escapes, plus what it misses (masked links, `@everyone`/`@here`,
 * `<@id>`/`<@&id>`/`<#id>`/`<t:…>`, headings, `-#`, lists, `>` quotes, autolinked URLs).
 */
import { quoteWindow, trimRange, type Passage, type QuotablePassage, type Range } from '../core/index.ts';

/** What a character needs before it is escaped, by UTF-16 code unit (every such character is ASCII). */
const ALWAYS = 1;
const AT_LINE_START = 2;
const AFTER_LIST_NUMBER = 3;
const BEFORE_SLASHES = 4;
/** The characters that may need a backslash, by rule. */
const RULES: ReadonlyArray<readonly [string, number]> = [
  // Characters that start or end Discord markdown, mentions, masked links or quotes wherever they are.
  ['\\*_~`|[]<>@#', ALWAYS],
  // Characters that make a list item when they open a line.
  ['-+', AT_LINE_START],
  ['.)', AFTER_LIST_NUMBER],
  [':', BEFORE_SLASHES],
];
const ESCAPE_RULE = new Uint8Array(128);
for (const [chars, rule] of RULES) for (const c of chars) ESCAPE_RULE[c.charCodeAt(0)] = rule;
/** Every character that has a rule (whether it is escaped depends on its context). */
const ESCAPE_CANDIDATES = new RegExp(
  `[${RULES.map(([chars]) => chars.replace(/[\\\]^-]/g, '\\$&')).join('')}]`,
  'g',
);

export const ELLIPSIS = '…';
export const OPEN_QUOTE = '“';
export const CLOSE_QUOTE = '”';
const BOLD = '**';
const UNDERLINE = '__';

function isLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** `1.` or `12)` opening a line makes an ordered list: true for that `.`/`)`. */
function endsListNumber(text: string, index: number): boolean {
  let i = index - 1;
  let digits = 0;
  while (i >= 0 && /[0-9]/.test(text[i] ?? '')) {
    i--;
    digits++;
  }
  return digits > 0 && isLineStart(text, i + 1);
}

/** True when the character at `index` of `text` is escaped; the context before and after may decide. */
function needsEscape(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  const rule = code < 128 ? ESCAPE_RULE[code] : 0;
  if (rule === ALWAYS) return true;
  if (rule === AT_LINE_START) return isLineStart(text, index);
  if (rule === AFTER_LIST_NUMBER) return endsListNumber(text, index);
  // `https\://…` is neither autolinked nor previewed, and still reads as the same URL.
  if (rule === BEFORE_SLASHES) return text.startsWith('//', index + 1);
  return false;
}

/**
 * One escaped piece per UTF-16 code unit of `text` (so `pieces.length === text.length`). Context may
 * decide whether a character is escaped, but each piece only ever holds its own character.
 */
export function escapePieces(text: string): string[] {
  const pieces: string[] = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    pieces[i] = needsEscape(text, i) ? `\\${c}` : c;
  }
  return pieces;
}

/** The whole of `text`, escaped (for titles, names and questions shown next to quotes). */
export function escapeText(text: string): string {
  return escapePieces(text).join('');
}

function clip(range: Range, window: Range): Range | undefined {
  const start = Math.max(range[0], window[0]);
  const end = Math.min(range[1], window[1]);
  return start < end ? [start, end] : undefined;
}

/** True when `range` leaves out of `window` nothing but white space. */
function coversAllButSpace(text: string, range: Range, window: Range): boolean {
  return text.slice(window[0], range[0]).trim() === '' && text.slice(range[1], window[1]).trim() === '';
}

/** Sorted, merged ranges (adjacent bold runs would read as one `****` and confuse the parser). */
function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

export interface MarkedQuoteOptions {
  /** Offsets into `text` to show in bold. */
  highlights: readonly Range[];
  /** Offsets into `text` to underline; none when undefined or empty. */
  mark?: Range | undefined;
}

/**
 * `text.slice(window)` escaped, with bold and underline markup added only between pieces. Bold runs are
 * split at the underline's edges so the two nest properly.
 */
export function markQuote(text: string, window: Range, options: MarkedQuoteOptions): string {
  const local = text.slice(window[0], window[1]);
  const shift = (r: Range): Range => [r[0] - window[0], r[1] - window[0]];
  const clipped = options.mark ? clip(options.mark, window) : undefined;
  // The underline picks the best sentence out of the others; over the whole quote it says nothing and
  // only makes one sentence harder to read.
  const mark = clipped && !coversAllButSpace(text, clipped, window) ? clipped : undefined;
  const markLocal = mark ? shift(mark) : undefined;
  const bold: Range[] = [];
  for (const h of mergeRanges(options.highlights)) {
    const clipped = clip(h, window);
    if (!clipped) continue;
    const local = shift(clipped);
    if (!markLocal) {
      bold.push(local);
      continue;
    }
    // Cut at the underline's edges: `__a **b**__**c**`, never `__a **b__ c**`.
    const cuts = [
      local[0],
      ...[markLocal[0], markLocal[1]].filter((p) => p > local[0] && p < local[1]),
      local[1],
    ];
    for (let i = 0; i + 1 < cuts.length; i++) bold.push([cuts[i] as number, cuts[i + 1] as number]);
  }
  // The markup between pieces, by position: inner (bold) closes before outer (underline), outer opens
  // before inner.
  const markup = new Map<number, { closes: string; opens: string }>();
  const at = (position: number): { closes: string; opens: string } => {
    let entry = markup.get(position);
    if (!entry) markup.set(position, (entry = { closes: '', opens: '' }));
    return entry;
  };
  for (const [start, end] of bold) {
    at(start).opens += BOLD;
    at(end).closes += BOLD;
  }
  if (markLocal) {
    at(markLocal[0]).opens = UNDERLINE + at(markLocal[0]).opens;
    at(markLocal[1]).closes += UNDERLINE;
  }
  const positions = [...markup.keys()].sort((a, b) => a - b);
  // Runs of characters that need neither markup nor a backslash are copied whole: the same string as
  // joining escapePieces(local) with the markup between pieces, without a string per character. The scan
  // jumps from one character with an escape rule to the next (few in prose) instead of testing each one.
  let out = '';
  let runStart = 0;
  let next = 0;
  let escapeAt = nextEscape(local, 0);
  for (;;) {
    const markAt = next < positions.length ? (positions[next] as number) : Infinity;
    const at = Math.min(markAt, escapeAt);
    if (at === Infinity) break;
    out += local.slice(runStart, at);
    runStart = at;
    if (markAt === at) {
      const entry = markup.get(at) as { closes: string; opens: string };
      out += entry.closes + entry.opens;
      next++;
    }
    if (escapeAt === at) {
      out += '\\';
      escapeAt = nextEscape(local, at + 1);
    }
  }
  return out + local.slice(runStart);
}

/** The index of the first character of `text` at or after `from` that is escaped, or Infinity. */
function nextEscape(text: string, from: number): number {
  ESCAPE_CANDIDATES.lastIndex = from;
  for (let match = ESCAPE_CANDIDATES.exec(text); match; match = ESCAPE_CANDIDATES.exec(text)) {
    if (needsEscape(text, match.index)) return match.index;
  }
  return Infinity;
}

export interface RenderedQuote {
  /** `… “quote” …`: the ellipses, when present, sit outside the quotation marks. */
  markdown: string;
  /** The part of the passage's text that is quoted, `[start, end)` offsets into `passage.text`. */
  window: Range;
  /** True when the window is not the whole passage. */
  cut: boolean;
}

export interface QuoteOptions {
  /** Most characters the rendered quote may take, markup and ellipses included. */
  budget: number;
  /** Bold the highlights and underline the best sentence. Default true. */
  marked?: boolean;
}

/** What renderQuote needs of a passage; `part`/`parts` say whether it is a piece of a longer paragraph. */
export type RenderablePassage = QuotablePassage & Partial<Pick<Passage, 'part' | 'parts'>>;

function assemble(passage: RenderablePassage, window: Range, whole: Range, marked: boolean): RenderedQuote {
  const body = markQuote(
    passage.text,
    window,
    marked ? { highlights: passage.highlights, mark: passage.bestSentence } : { highlights: [] },
  );
  // A part of a split paragraph is also a cut: the ellipsis says the paragraph goes on.
  const part = passage.part ?? 1;
  const parts = passage.parts ?? 1;
  const before = window[0] > whole[0] || part > 1 ? `${ELLIPSIS} ` : '';
  const after = window[1] < whole[1] || part < parts ? ` ${ELLIPSIS}` : '';
  return {
    markdown: `${before}${OPEN_QUOTE}${body}${CLOSE_QUOTE}${after}`,
    window,
    cut: before !== '' || after !== '',
  };
}

/**
 * Renders a passage within `budget` characters, cut (when it must be) where the core's `quoteWindow` says:
 * at sentence boundaries around the best sentence, inside it only as the last resort.
 */
export function renderQuote(passage: RenderablePassage, options: QuoteOptions): RenderedQuote {
  const marked = options.marked ?? true;
  const whole = trimRange(passage.text, [0, passage.text.length]);
  return quoteWindow(
    passage,
    (window) => {
      const quote = assemble(passage, window, whole, marked);
      return quote.markdown.length <= options.budget ? quote : undefined;
    },
    // A budget too small for a single word (never met with Discord's limits): an empty quote, marked as cut.
    (at) => assemble(passage, [at, at], whole, false),
  );
}
