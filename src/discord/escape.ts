/**
 * The one escaping function for every echo of user or document text outside a quote: titles, names, ids,
 * urls, dates, file names, questions and every ❌ sentence (which may carry any of those).
 *
 * It is quote.ts's per-character markdown escape (masked links, mentions, markup, headings, lists, autolinks)
 * plus one more rule: bidirectional controls and zero-width characters are dropped. An echo is never
 * evidence, so nothing is lost by dropping them, and left in they let an asker reorder a public heading
 * (`\u202E` turns "asked “x”" around) or hide text inside a word.
 *
 * Quotes are the exception, on purpose: a quote must stay verbatim, so quote.ts keeps a document's own bidi
 * controls. They cannot leak out of the quote, because the Unicode bidi algorithm ends every embedding,
 * override and isolate at a paragraph separator, and the renderer always puts a line break between a quote
 * and what follows or precedes it: its source line, the heading (the echoed question) and the next quote,
 * whether they share the message content or sit in an embed. A reordering stays inside the quote's lines.
 */
import { escapePieces } from './quote.ts';

/** Bidi embeddings/overrides/isolates/marks, zero-width space/joiners, word joiner and BOM. */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/**
 * One piece per UTF-16 code unit of `text` (so a range of `text` is a range of pieces): the escaped
 * character, or '' for an invisible control.
 */
export function echoPieces(text: string): string[] {
  const pieces = escapePieces(text);
  if (!INVISIBLE.test(text)) return pieces;
  for (let i = 0; i < text.length; i++) if (INVISIBLE.test(text[i] as string)) pieces[i] = '';
  return pieces;
}

/** `text` as inert Discord markdown: no markup, link, mention or invisible control of its own. */
export function escapeEcho(text: string): string {
  return echoPieces(text).join('');
}

/**
 * An http(s) URL safe as a masked link's target, or undefined. Characters that could end the target or
 * start a mention are percent-encoded (`@` too: a target keeps no `@everyone`, and `user@host` links are
 * not worth the risk).
 */
export function linkTarget(url: string): string | undefined {
  if (!/^https?:\/\/\S+$/i.test(url) || url.length > 512 || INVISIBLE.test(url)) return undefined;
  return url.replace(
    /[()<>[\]\s@`\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
