/**
 * Text output of the terminal mode: quoted passages with their attribution, no-answer messages and
 * document listings. Pure functions from data to strings; the caller decides where they go.
 */
import type { AskResult, DocumentMeta, NoAnswerReason, Passage } from '../core/index.ts';
import type { DocumentSummary } from '../library.ts';
import { styleRanges, type Style } from './style.ts';

/** `2019-05-08`, or `2019 (estimated)` when the date is inferred; '' when unknown. */
export function formatDate(meta: Pick<DocumentMeta, 'date' | 'dateEstimated'>): string {
  if (meta.date === '') return '';
  return meta.dateEstimated ? `${meta.date} (estimated)` : meta.date;
}

/** `¶3`, or `¶3, part 2 of 4` for a long paragraph that was split. */
export function formatParagraphNumber(passage: Pick<Passage, 'paragraph' | 'part' | 'parts'>): string {
  return passage.parts > 1
    ? `¶${passage.paragraph}, part ${passage.part} of ${passage.parts}`
    : `¶${passage.paragraph}`;
}

/** `title — publisher, date · section · ¶n` and, when the document has one, its url after a comma. */
export function formatAttribution(passage: Passage, meta: DocumentMeta | undefined): string {
  const title = meta?.title || passage.title || passage.documentId;
  const publisher = [meta?.publisher ?? '', meta ? formatDate(meta) : '']
    .filter((part) => part !== '')
    .join(', ');
  const head = publisher === '' ? title : `${title} — ${publisher}`;
  // The title line of a capture is often the heading above the first paragraphs: name it once.
  const section = passage.section === title ? '' : passage.section;
  const line = [head, section, formatParagraphNumber(passage)].filter((part) => part !== '').join(' · ');
  return meta?.url ? `${line}, ${meta.url}` : line;
}

/**
 * One passage: the quote as stored, between quotation marks that are not part of it, then its source.
 * Only styling is ever added to the quote, and only on a TTY.
 */
export function formatPassage(passage: Passage, meta: DocumentMeta | undefined, style: Style): string {
  const quote = styleRanges(passage.text, passage.highlights, passage.bestSentence, style);
  return `“${quote}”\n  — ${style.dim(style.safe(formatAttribution(passage, meta)))}`;
}

const noAnswerWhy: Record<NoAnswerReason, string> = {
  'no-searchable-words': 'the question has no words to search on (only common words, punctuation or symbols)',
  'no-match': 'nothing in it matches the question',
  'weak-match': 'nothing in it matches enough of the question',
};

/** Says plainly that the corpus does not answer, why, and where to look instead (`hint`). */
export function formatNoAnswer(reason: NoAnswerReason | undefined, hint: string): string {
  return `The corpus does not answer this: ${noAnswerWhy[reason ?? 'no-match']}. ${hint}`;
}

/** A whole answer: passages separated by blank lines, or the no-answer message. */
export function formatAskResult(
  result: AskResult,
  metaOf: (passage: Passage) => DocumentMeta | undefined,
  style: Style,
  noAnswerHint: string,
): string {
  if (!result.answered || result.passages.length === 0) return formatNoAnswer(result.reason, noAnswerHint);
  return result.passages.map((passage) => formatPassage(passage, metaOf(passage), style)).join('\n\n');
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
