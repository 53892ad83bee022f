/**
 * Query-time work on one candidate part, from its precomputed record only: which of the question's
 * terms it covers, its best sentence, and the highlight ranges. No text analysis happens here.
 */
import type { PartRecord } from './records.ts';
import type { Range } from './types.ts';

/** The question's terms as the index knows them, with their IDF weights. */
export interface QueryTerms {
  /** Term id → weight, for terms the index knows. */
  weights: Map<number, number>;
  /** Sum of the weights of every informative term of the question, known to the index or not. */
  totalWeight: number;
}

export interface CandidateEvidence {
  /**
   * IDF-weighted share of the question's terms found anywhere in the part (text, section or
   * title), 0..1.
   */
  coverage: number;
  /** IDF-weighted share of the question's terms found in the best sentence alone, 0..1. */
  sentenceShare: number;
  /** IDF-weighted share found in the best window of two neighbouring sentences, 0..1. */
  windowShare: number;
  /** Index of the best sentence in the record. */
  bestSentence: number;
}

/**
 * Weighs the evidence in one part. `contextIds` are the term ids of the part's section heading and
 * document title: matching there counts for coverage (the heading is part of what a paragraph says)
 * but not for the sentence scores.
 */
export function weighEvidence(
  record: PartRecord,
  contextIds: readonly Uint32Array[],
  query: QueryTerms,
): CandidateEvidence {
  const matched = new Set<number>();
  const sentenceCount = record.sentenceStarts.length;
  let bestSentence = 0;
  let bestScore = -1;
  let previous = new Set<number>();
  let bestWindow = 0;
  for (let s = 0; s < sentenceCount; s++) {
    const first = record.sentenceFirstToken[s] as number;
    const last = s + 1 < sentenceCount ? (record.sentenceFirstToken[s + 1] as number) : record.termIds.length;
    const inSentence = new Set<number>();
    for (let t = first; t < last; t++) {
      const id = record.termIds[t] as number;
      if (query.weights.has(id)) inSentence.add(id);
    }
    const score = weightOf(inSentence, query);
    if (score > bestScore) {
      bestScore = score;
      bestSentence = s;
    }
    const window = new Set([...previous, ...inSentence]);
    bestWindow = Math.max(bestWindow, weightOf(window, query));
    for (const id of inSentence) matched.add(id);
    previous = inSentence;
  }
  for (const ids of contextIds) {
    for (const id of ids) if (query.weights.has(id)) matched.add(id);
  }
  const total = query.totalWeight > 0 ? query.totalWeight : 1;
  return {
    coverage: weightOf(matched, query) / total,
    sentenceShare: Math.max(bestScore, 0) / total,
    windowShare: bestWindow / total,
    bestSentence,
  };
}

function weightOf(ids: Set<number>, query: QueryTerms): number {
  let sum = 0;
  for (const id of ids) sum += query.weights.get(id) ?? 0;
  return sum;
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

export function sentenceRange(record: PartRecord, index: number): Range {
  return [record.sentenceStarts[index] ?? 0, record.sentenceEnds[index] ?? 0];
}
