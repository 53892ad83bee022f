/**
 * Stage 3 of /ask: the retrieved parts re-ranked on evidence read from their precomputed records (no
 * text analysis at query time): how much of the question each covers, in its best sentence, in two
 * neighbouring sentences, and as neighbouring word pairs; the evidence and the formula that weighs it.
 */
import type { SearchResult } from 'minisearch';
import type { Entry, IndexState } from '../index-state.ts';
import type { PartRecord } from '../records.ts';
import type { QueryTerms } from './question.ts';

/** One retrieved part with its evidence and score: what the later stages order, keep or drop. */
export interface Candidate {
  entry: Entry;
  /**
   * The entry's record and context, read once: an entry loaded from a snapshot makes them anew on each
   * read, and evidence, highlights and matched terms all need them.
   */
  record: PartRecord;
  context: Uint32Array[];
  /** MiniSearch's BM25+ score. */
  bm25: number;
  evidence: CandidateEvidence;
  /** What candidates are ordered by, best first. */
  score: number;
  /** Cosine of the question with the part's best sentence or the part whole, when scored. */
  semantic?: number;
}

/**
 * A candidate's score: `bm25 / bestBm25 + coverageWeight * coverage + sentenceWeight * sentenceShare +
 * windowWeight * windowShare + pairWeight * pairShare`, sorted best first (ties keep MiniSearch's order).
 */
export function rerank(state: IndexState, results: readonly SearchResult[], query: QueryTerms): Candidate[] {
  const top = results.slice(0, state.options.rerankDepth);
  const bestBm25 = top[0]?.score ?? 1;
  const { coverageWeight, sentenceWeight, windowWeight, pairWeight } = state.options;
  const candidates: Candidate[] = [];
  for (const result of top) {
    const entry = state.entries.get(result.id as number);
    if (entry === undefined) continue;
    const { record, context } = entry;
    const evidence = weighEvidence(record, context, query);
    const score =
      result.score / bestBm25 +
      coverageWeight * evidence.coverage +
      sentenceWeight * evidence.sentenceShare +
      windowWeight * evidence.windowShare +
      pairWeight * evidence.pairShare;
    candidates.push({ entry, record, context, bm25: result.score, evidence, score });
  }
  // Stable: ties keep MiniSearch's order.
  return candidates.sort((a, b) => b.score - a.score);
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
