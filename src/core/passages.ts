/**
 * Query-time work on one candidate part, from its precomputed record only: which of the question's
 * terms it covers, its best sentence, and the highlight ranges. No text analysis happens here.
 */
import type { PartRecord } from './records.ts';
import type { Range } from './types.ts';

/**
 * The question's terms as the index knows them. Each informative word of the question is one *slot*
 * weighing its IDF; a slot is filled by the word itself (full credit) or by one of its synonyms (the
 * synonym's lesser credit), and evidence counts each slot once, at the best credit found.
 */
export interface QueryTerms {
  /** Term id → credit when it matches (the slot's weight, times the synonym weight for synonyms). */
  weights: Map<number, number>;
  /** Term id → the slot it fills. */
  slots: Map<number, number>;
  /** How many slots there are (question terms the index knows, with or without synonyms). */
  slotCount: number;
  /** Sum of the weights of every informative term of the question, known to the index or not. */
  totalWeight: number;
  /** The part of `totalWeight` from terms the index has never seen. */
  unknownWeight: number;
  /**
   * Neighbouring question words (consecutive known slots, in question order) as `[slotA, slotB]`, with
   * `pairWeights` the weight of each pair (the smaller IDF of the two): a part that has both words
   * close together likely says what the question asks, not just mentions its words.
   */
  pairs: Array<[number, number]>;
  pairWeights: number[];
}

/** Tokens apart (searchable tokens, stop words not counted) for two words to count as a pair. */
export const PAIR_DISTANCE = 3;

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
  /** Weighted share of the question's word pairs found within PAIR_DISTANCE tokens of each other, 0..1. */
  pairShare: number;
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
    pairShare: pairShareOf(record, query),
    coverage: weightOf(matched, query) / total,
    sentenceShare: Math.max(bestScore, 0) / total,
    windowShare: bestWindow / total,
    bestSentence,
  };
}

function pairShareOf(record: PartRecord, query: QueryTerms): number {
  if (query.pairs.length === 0) return 0;
  const lastSeen = new Int32Array(query.slotCount).fill(-1_000_000);
  const found = new Uint8Array(query.pairs.length);
  for (let t = 0; t < record.termIds.length; t++) {
    const slot = query.slots.get(record.termIds[t] as number);
    if (slot === undefined) continue;
    query.pairs.forEach(([a, b], pair) => {
      const other = a === slot ? b : b === slot ? a : -1;
      if (other >= 0 && t - (lastSeen[other] as number) <= PAIR_DISTANCE) found[pair] = 1;
    });
    lastSeen[slot] = t;
  }
  let sum = 0;
  let total = 0;
  query.pairWeights.forEach((weight, pair) => {
    total += weight;
    if (found[pair] === 1) sum += weight;
  });
  return total > 0 ? sum / total : 0;
}

/** The credit of a set of matched terms: each slot counts once, at its best credit. */
function weightOf(ids: Set<number>, query: QueryTerms): number {
  if (ids.size === 0) return 0;
  const best = new Float64Array(query.slotCount);
  for (const id of ids) {
    const slot = query.slots.get(id) ?? 0;
    const credit = query.weights.get(id) ?? 0;
    if (credit > (best[slot] as number)) best[slot] = credit;
  }
  let sum = 0;
  for (const credit of best) sum += credit;
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
