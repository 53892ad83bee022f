/**
 * The last stage of /ask: kept candidates become passages, each the exact slice of its document with the
 * question's words highlighted and its best sentence marked, from the precomputed record only (no text
 * analysis here).
 */
import { keyOf, type IndexState } from '../index-state.ts';
import type { PartRecord } from '../records.ts';
import type { Passage, Range, Scope, SourceDocument } from '../types.ts';
import type { QueryTerms } from './question.ts';
import type { Candidate } from './rerank.ts';

/** A candidate's document and its part's exact text. */
export function partTextOf(
  state: IndexState,
  candidate: Candidate,
): { document: SourceDocument; text: string } {
  const { paragraph } = candidate.entry;
  // Every candidate's document is indexed: the pipeline runs synchronously on the state it read.
  const document = state.documents.get(keyOf(paragraph.scope, paragraph.documentId))
    ?.document as SourceDocument;
  return { document, text: document.text.slice(paragraph.start, paragraph.end) };
}

export function toPassage(state: IndexState, candidate: Candidate, query: QueryTerms): Passage {
  const { entry, record, evidence, score } = candidate;
  const { paragraph } = entry;
  const { document, text } = partTextOf(state, candidate);
  return {
    documentId: paragraph.documentId,
    scope: paragraph.scope,
    source: document.meta,
    paragraph: paragraph.number,
    part: paragraph.part,
    parts: paragraph.parts,
    section: paragraph.section,
    text,
    start: paragraph.start,
    end: paragraph.end,
    score,
    highlights: highlightsOf(text, record, query),
    bestSentence: sentenceRange(record, evidence.bestSentence),
    sentences: sentencesOf(record, 0),
    ...(candidate.semantic === undefined ? {} : { semantic: candidate.semantic }),
  };
}

/**
 * A paragraph (all its parts joined as one slice) as a Passage without highlights; its `bestSentence` is
 * the empty range `[0, 0]` since there is no question. `score` is 0.
 */
export function paragraphPassage(
  state: IndexState,
  scope: Scope,
  id: string,
  paragraph: number,
): Passage | undefined {
  const indexed = state.documents.get(keyOf(scope, id));
  if (indexed === undefined) return undefined;
  const parts = indexed.entries.filter((entry) => entry.paragraph.number === paragraph);
  const first = parts[0]?.paragraph;
  const last = parts.at(-1)?.paragraph;
  if (first === undefined || last === undefined) return undefined;
  return {
    documentId: id,
    scope,
    source: indexed.document.meta,
    paragraph,
    part: 1,
    parts: 1,
    section: first.section,
    text: indexed.document.text.slice(first.start, last.end),
    start: first.start,
    end: last.end,
    score: 0,
    highlights: [],
    bestSentence: [0, 0],
    sentences: parts.flatMap((entry) => sentencesOf(entry.record, entry.paragraph.start - first.start)),
  };
}

/** The record's sentences, shifted by `offset` (a part's place in a joined paragraph). */
function sentencesOf(record: PartRecord, offset: number): Range[] {
  return Array.from(record.sentenceStarts, (start, i): Range => [
    start + offset,
    (record.sentenceEnds[i] as number) + offset,
  ]);
}

/**
 * The ranges of the part's tokens whose term is one of the question's, relative to the part's text:
 * sorted, non-overlapping, and merged when only white space separates them ("Tencent Meeting").
 */
export function highlightsOf(text: string, record: PartRecord, query: QueryTerms): Range[] {
  const ranges: Range[] = [];
  for (let t = 0; t < record.termIds.length; t++) {
    if (!query.weights.has(record.termIds[t] as number)) continue;
    const start = record.starts[t] as number;
    const end = record.ends[t] as number;
    const last = ranges.at(-1);
    if (last !== undefined && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else if (last !== undefined && text.slice(last[1], start).trim() === '') {
      last[1] = end;
    } else {
      ranges.push([start, end]);
    }
  }
  return ranges;
}

function sentenceRange(record: PartRecord, index: number): Range {
  return [record.sentenceStarts[index] ?? 0, record.sentenceEnds[index] ?? 0];
}

/** What {@link quoteWindow} needs of a passage. */
export type QuotablePassage = Pick<Passage, 'text' | 'highlights' | 'bestSentence' | 'sentences'>;

/** `range` of `text` without the white space at its two ends. */
export function trimRange(text: string, [start, end]: Range): Range {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return [start, end];
}

/**
 * The passage's text cut into contiguous spans, one per sentence (each sentence with the white space
 * after it), the best sentence's two ends also cuts so that it is always whole.
 */
export function sentenceSpans(
  passage: Pick<QuotablePassage, 'text' | 'bestSentence' | 'sentences'>,
): Range[] {
  const { text } = passage;
  const cuts = new Set<number>([0, text.length]);
  for (const [start] of passage.sentences) if (start > 0 && start < text.length) cuts.add(start);
  for (const cut of passage.bestSentence) if (cut > 0 && cut < text.length) cuts.add(cut);
  const sorted = [...cuts].sort((a, b) => a - b);
  const spans: Range[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) spans.push([sorted[i] as number, sorted[i + 1] as number]);
  return spans;
}

/**
 * The part of a passage to show when a front end has room for only so much: the whole passage (trimmed)
 * when it fits; otherwise the longest run of whole sentences around the best sentence that fits, grown one
 * sentence at a time, after then before. Only when the best sentence alone is too long is it cut inside,
 * at the last space that fits (a sentence of thousands of characters has no better place).
 *
 * `fits(window)` is the front end's quote of `text.slice(...window)`, or undefined when that does not fit
 * (markup counts, so only it can say); `nothingFits(at)` is its quote when not even one word does.
 */
export function quoteWindow<T>(
  passage: QuotablePassage,
  fits: (window: Range) => T | undefined,
  nothingFits: (at: number) => T,
): T {
  const { text } = passage;
  const whole = trimRange(text, [0, text.length]);
  const full = fits(whole);
  if (full !== undefined) return full;

  const [bestStart, bestEnd] = passage.bestSentence;
  const spans = sentenceSpans(passage);
  const anchor = bestEnd > bestStart ? bestStart : (passage.highlights[0]?.[0] ?? whole[0]);
  let first = Math.max(
    0,
    spans.findIndex(([s, e]) => anchor >= s && anchor < e),
  );
  let last = first;
  while (last + 1 < spans.length && bestEnd > (spans[last]?.[1] ?? 0)) last++;
  const windowOf = (a: number, b: number): Range => trimRange(text, [spans[a]?.[0] ?? 0, spans[b]?.[1] ?? 0]);

  let best = fits(windowOf(first, last));
  if (best === undefined) return cutInsideSentence(text, windowOf(first, last), fits, nothingFits);
  // Grow one sentence at a time, after then before, while the quote still fits.
  for (let grew = true; grew;) {
    grew = false;
    if (last + 1 < spans.length) {
      const next = fits(windowOf(first, last + 1));
      if (next !== undefined) {
        last++;
        best = next;
        grew = true;
      }
    }
    if (first > 0) {
      const previous = fits(windowOf(first - 1, last));
      if (previous !== undefined) {
        first--;
        best = previous;
        grew = true;
      }
    }
  }
  return best;
}

function cutInsideSentence<T>(
  text: string,
  sentence: Range,
  fits: (window: Range) => T | undefined,
  nothingFits: (at: number) => T,
): T {
  // What fits depends on the markup inside, so search the end rather than estimate it.
  let low = sentence[0];
  let high = sentence[1];
  let found: T | undefined;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    let end = middle;
    // Never split a surrogate pair.
    if (/[\uDC00-\uDFFF]/.test(text[end] ?? '')) end--;
    const lastSpace = text.lastIndexOf(' ', end);
    const cutAt = lastSpace > sentence[0] ? lastSpace : end;
    const window = trimRange(text, [sentence[0], cutAt]);
    const quote = window[1] > window[0] ? fits(window) : undefined;
    if (quote !== undefined) {
      found = quote;
      low = middle;
      if (middle === high) break;
    } else {
      high = middle - 1;
    }
  }
  return found ?? nothingFits(sentence[0]);
}
