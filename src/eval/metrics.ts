/**
 * Retrieval metrics, pure functions over ranks. A rank is the 1-based position of the first relevant
 * passage in what an engine returned, or `null` when none was returned (or the engine declined to answer).
 */

/** 1-based rank of the first key in `ranked` that is in `gold`, or null when none is. */
export function firstHitRank(ranked: readonly string[], gold: ReadonlySet<string>): number | null {
  const index = ranked.findIndex((key) => gold.has(key));
  return index === -1 ? null : index + 1;
}

/** The keys in order of first appearance: parts of one paragraph count once, at their best position. */
export function uniqueInOrder(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** Share of questions whose first hit is within the top `k` (0 for no questions). */
export function recallAt(ranks: readonly (number | null)[], k: number): number {
  if (ranks.length === 0) return 0;
  return ranks.filter((rank) => rank !== null && rank <= k).length / ranks.length;
}

/** Mean reciprocal rank, counting hits below `k` as misses (0 for no questions). */
export function mrrAt(ranks: readonly (number | null)[], k: number): number {
  if (ranks.length === 0) return 0;
  let sum = 0;
  for (const rank of ranks) if (rank !== null && rank <= k) sum += 1 / rank;
  return sum / ranks.length;
}

/** Share of `true` values (0 for an empty list). */
export function share(flags: readonly boolean[]): number {
  if (flags.length === 0) return 0;
  return flags.filter(Boolean).length / flags.length;
}

/**
 * The nearest-rank percentile (`p` in 0..100): the smallest value with at least p% of the values at or
 * below it. Nearest-rank never interpolates, so p99 is a latency that some query really took.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The rank metrics every table reports. */
export interface RankSummary {
  questions: number;
  r1: number;
  r3: number;
  r5: number;
  mrr10: number;
}

export function summariseRanks(ranks: readonly (number | null)[]): RankSummary {
  return {
    questions: ranks.length,
    r1: recallAt(ranks, 1),
    r3: recallAt(ranks, 3),
    r5: recallAt(ranks, 5),
    mrr10: mrrAt(ranks, 10),
  };
}
