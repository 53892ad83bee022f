/**
 * Text output of the terminal mode: quoted passages with their attribution, no-answer messages and
 * document listings. Pure functions from data to strings; the caller decides where they go.
 */
import { quoteWindow, trimRange } from '../core/index.ts';
import type { AskResult, NoAnswerReason, Passage, Range } from '../core/index.ts';
import { attributionOf, formatDate, noAnswerSentence } from '../format.ts';
import type { DocumentSummary } from '../library.ts';
import { styleRanges, type Style } from './style.ts';

/** `title — publisher, date · section · ¶n` and, when the document has one, its url after a comma. */
export function formatAttribution(passage: Passage): string {
  const { title, by, section, label, url } = attributionOf(passage);
  const head = by.length === 0 ? title : `${title} — ${by.join(', ')}`;
  const line = [head, section, label].filter((part) => part !== '').join(' · ');
  return url ? `${line}, ${url}` : line;
}

/**
 * The longest quote the terminal prints, in characters of the passage: a longer one is cut like Discord's,
 * at sentence boundaries around the best sentence (`quoteWindow`), with an ellipsis outside the quotation
 * marks where it was cut. About fifteen lines of an 80-column terminal.
 */
export const TERMINAL_QUOTE_MAX = 1200;

/**
 * One passage: the quote as stored (or its best sentences, when it is long), between quotation marks that
 * are not part of it, then its source. Only styling is ever added to the quote, and only on a TTY.
 */
export function formatPassage(passage: Passage, style: Style): string {
  const { text } = passage;
  const whole = trimRange(text, [0, text.length]);
  const window = quoteWindow(
    passage,
    (range) => (range[1] - range[0] <= TERMINAL_QUOTE_MAX ? range : undefined),
    (at): Range => [at, at],
  );
  const shift = ([start, end]: Range): Range => [start - window[0], end - window[0]];
  const quote = styleRanges(
    text.slice(window[0], window[1]),
    passage.highlights.map(shift),
    shift(passage.bestSentence),
    style,
  );
  const before = window[0] > whole[0] ? '… ' : '';
  const after = window[1] < whole[1] ? ' …' : '';
  return `${before}“${quote}”${after}\n  — ${style.dim(style.safe(formatAttribution(passage)))}`;
}

/** Says plainly that the sources do not answer, why, and where to look instead (`hint`). */
export function formatNoAnswer(reason: NoAnswerReason | undefined, hint: string): string {
  return `${noAnswerSentence(reason, 'this')} ${hint}`;
}

/** A whole answer: passages separated by blank lines, or the no-answer message. */
export function formatAskResult(result: AskResult, style: Style, noAnswerHint: string): string {
  if (!result.answered || result.passages.length === 0) return formatNoAnswer(result.reason, noAnswerHint);
  return result.passages.map((passage) => formatPassage(passage, style)).join('\n\n');
}

/** One line per document: id, then title — publisher, date · n paragraphs. */
export function formatDocumentList(summaries: readonly DocumentSummary[], style: Style): string {
  if (summaries.length === 0) return 'No documents.';
  const width = Math.max(...summaries.map((summary) => summary.meta.id.length));
  return summaries
    .map((summary) => {
      const { meta } = summary;
      const source = [meta.publisher, formatDate(meta)].filter((part) => part !== '').join(', ');
      const paragraphs = `${summary.paragraphs} paragraph${summary.paragraphs === 1 ? '' : 's'}`;
      const line = [source === '' ? meta.title : `${meta.title} — ${source}`, paragraphs].join(' · ');
      return `${style.strong(style.safe(meta.id.padEnd(width)))}  ${style.safe(line)}`;
    })
    .join('\n');
}

/** Everything known about one document, one fact per line. */
export function formatDocumentDetails(summary: DocumentSummary, style: Style): string {
  const { meta } = summary;
  const facts: Array<[string, string]> = [
    ['id', meta.id],
    ['publisher', meta.publisher],
    ['date', formatDate(meta)],
    ['url', meta.url],
    ['language', meta.language],
    ['paragraphs', `${summary.paragraphs} (${summary.characters.toLocaleString('en')} characters)`],
    ['sections', summary.sections.join(' · ')],
  ];
  if (meta.added) facts.push(['added', `${meta.added.at} by ${meta.added.userName} (${meta.added.userId})`]);
  if (meta.updated)
    facts.push(['updated', `${meta.updated.at} by ${meta.updated.userName} (${meta.updated.userId})`]);
  const lines = facts
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `  ${`${name}:`.padEnd(12)}${style.safe(value)}`);
  return [style.strong(style.safe(meta.title || meta.id)), ...lines].join('\n');
}
