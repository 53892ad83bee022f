/**
 * The last stage of /ask: kept candidates become passages, each the exact slice of its document with the
 * question's words highlighted and its best sentence marked, from the precomputed record only (no text
 * analysis here).
 */
import { keyOf, type IndexState } from '../index-state.ts';
import type { PartRecord } from '../records.ts';
import type { Passage, Range, Scope } from '../types.ts';
import type { QueryTerms } from './question.ts';
import type { Candidate } from './rerank.ts';

export function toPassage(state: IndexState, candidate: Candidate, query: QueryTerms): Passage {
  const { entry, record, evidence, score } = candidate;
  const { paragraph } = entry;
  const document = state.documents.get(keyOf(paragraph.scope, paragraph.documentId))?.document;
  const text = document === undefined ? '' : document.text.slice(paragraph.start, paragraph.end);
  return {
    documentId: paragraph.documentId,
    scope: paragraph.scope,
    title: entry.title,
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
  const parts = indexed.paragraphs.filter((p) => p.number === paragraph);
  const first = parts[0];
  const last = parts.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return {
    documentId: id,
    scope,
    title: indexed.document.meta.title,
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
  };
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
