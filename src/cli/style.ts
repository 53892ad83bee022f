/**
 * Terminal styling. On a TTY the matched words are bold and coloured and the best sentence underlined;
 * anywhere else (a pipe, a file, a test) nothing is added at all, so the quote is byte for byte the
 * document's text.
 */
import type { Range } from '../core/index.ts';

export interface Style {
  /** True when styling codes are written. */
  readonly enabled: boolean;
  match(text: string): string;
  bestSentence(text: string): string;
  /** Both at once: a matched word inside the best sentence. */
  matchInBestSentence(text: string): string;
  strong(text: string): string;
  dim(text: string): string;
  /** Makes untrusted text safe to write to this output. */
  safe(text: string): string;
}

const ESC = '\u001b[';
const ansi = (open: number, close: number) => (text: string) =>
  text === '' ? text : `${ESC}${open}m${text}${ESC}${close}m`;
const bold = ansi(1, 22);
const yellow = ansi(33, 39);
const underline = ansi(4, 24);
const dimmed = ansi(2, 22);

/**
 * A document added by a moderator could carry terminal escape sequences; on a TTY they would be obeyed,
 * so control characters other than newline and tab are shown as their Unicode pictures instead.
 */
function showControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}

export const plainStyle: Style = {
  enabled: false,
  match: (text) => text,
  bestSentence: (text) => text,
  matchInBestSentence: (text) => text,
  strong: (text) => text,
  dim: (text) => text,
  safe: (text) => text,
};

export const ansiStyle: Style = {
  enabled: true,
  match: (text) => bold(yellow(text)),
  bestSentence: (text) => underline(text),
  matchInBestSentence: (text) => underline(bold(yellow(text))),
  strong: bold,
  dim: dimmed,
  safe: showControlCharacters,
};

/** What a writable stream says about itself; `hasColors` honours NO_COLOR and FORCE_COLOR. */
export interface OutputStream {
  isTTY?: boolean;
  hasColors?: () => boolean;
}

export function styleFor(output: OutputStream): Style {
  if (output.isTTY !== true) return plainStyle;
  return output.hasColors === undefined || output.hasColors() ? ansiStyle : plainStyle;
}

/**
 * Styles `text` with the matched-word ranges and the best-sentence range. With the plain style the
 * result is `text` itself; with ANSI, removing the codes gives back `style.safe(text)`.
 */
export function styleRanges(
  text: string,
  highlights: readonly Range[],
  bestSentence: Range | undefined,
  style: Style,
): string {
  if (!style.enabled) return text;
  const inRange = (range: Range, at: number) => at >= range[0] && at < range[1];
  const cuts = new Set<number>([0, text.length]);
  for (const [start, end] of highlights) {
    cuts.add(clamp(start, text.length));
    cuts.add(clamp(end, text.length));
  }
  if (bestSentence) {
    cuts.add(clamp(bestSentence[0], text.length));
    cuts.add(clamp(bestSentence[1], text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const piece = style.safe(text.slice(start, end));
    const matched = highlights.some((range) => inRange(range, start));
    const best = bestSentence !== undefined && inRange(bestSentence, start);
    if (matched && best) out += style.matchInBestSentence(piece);
    else if (matched) out += style.match(piece);
    else if (best) out += style.bestSentence(piece);
    else out += piece;
  }
  return out;
}

function clamp(value: number, length: number): number {
  return Math.max(0, Math.min(length, value));
}

/** Removes the SGR codes this module writes; for tests and width computations. */
export function stripStyle(text: string): string {
  // eslint-disable-next-line no-control-regex -- the escape character starts every code
  return text.replace(/\u001b\[\d+m/g, '');
}
