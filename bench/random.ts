/**
 * A seeded pseudo-random generator, so that generated corpora and question samples are the same on every
 * machine and every run (Math.random is not seedable).
 */

/** mulberry32: 32-bit state, good enough spread for shuffling text; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, below). */
export function randomIndex(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

/** One element drawn uniformly; the array must not be empty. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[randomIndex(random, items.length)];
  if (item === undefined) throw new Error('pick: nothing to pick from');
  return item;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
