import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firstHitRank,
  mrrAt,
  percentile,
  recallAt,
  share,
  summariseRanks,
  uniqueInOrder,
} from '../../src/eval/metrics.ts';

describe('firstHitRank', () => {
  it.each([
    { ranked: ['a', 'b', 'c'], gold: ['a'], rank: 1 },
    { ranked: ['a', 'b', 'c'], gold: ['c'], rank: 3 },
    { ranked: ['a', 'b', 'c'], gold: ['c', 'b'], rank: 2 },
    { ranked: ['a', 'b', 'c'], gold: ['z'], rank: null },
    { ranked: [], gold: ['a'], rank: null },
  ])('$ranked with gold $gold → $rank', ({ ranked, gold, rank }) => {
    expect(firstHitRank(ranked, new Set(gold))).toBe(rank);
  });

  it('counts two parts of one paragraph once, so a later paragraph is not pushed down', () => {
    expect(firstHitRank(uniqueInOrder(['p1', 'p1', 'p2']), new Set(['p2']))).toBe(2);
  });
});

describe('recallAt and mrrAt', () => {
  const ranks = [1, 2, 3, 5, 11, null];
  it.each([
    { k: 1, recall: 1 / 6 },
    { k: 3, recall: 3 / 6 },
    { k: 5, recall: 4 / 6 },
    { k: 10, recall: 4 / 6 },
    { k: 20, recall: 5 / 6 },
  ])('R@$k of [1, 2, 3, 5, 11, miss] is $recall', ({ k, recall }) => {
    expect(recallAt(ranks, k)).toBeCloseTo(recall, 12);
  });

  it.each([
    { ranks: [1, 1], mrr: 1 },
    { ranks: [2, null], mrr: 0.25 },
    { ranks: [1, 2, 4], mrr: (1 + 0.5 + 0.25) / 3 },
    { ranks: [10], mrr: 0.1 },
    { ranks: [11], mrr: 0 },
  ])('MRR@10 of $ranks is $mrr', ({ ranks: given, mrr }) => {
    expect(mrrAt(given, 10)).toBeCloseTo(mrr, 12);
  });

  it('is 0 for no questions rather than NaN', () => {
    expect(recallAt([], 3)).toBe(0);
    expect(mrrAt([], 10)).toBe(0);
    expect(share([])).toBe(0);
  });

  it('R@k never falls as k grows, and MRR@10 lies between R@1 and R@10', () => {
    const rank = fc.option(fc.integer({ min: 1, max: 30 }), { nil: null });
    fc.assert(
      fc.property(fc.array(rank, { minLength: 1 }), fc.integer({ min: 1, max: 29 }), (given, k) => {
        expect(recallAt(given, k + 1)).toBeGreaterThanOrEqual(recallAt(given, k));
        const mrr = mrrAt(given, 10);
        expect(mrr).toBeGreaterThanOrEqual(recallAt(given, 1) - 1e-12);
        expect(mrr).toBeLessThanOrEqual(recallAt(given, 10) + 1e-12);
      }),
    );
  });

  it('summariseRanks reports the table columns', () => {
    expect(summariseRanks([1, 4, null, 2])).toEqual({
      questions: 4,
      r1: 0.25,
      r3: 0.5,
      r5: 0.75,
      mrr10: (1 + 0.25 + 0.5) / 4,
    });
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  it.each([
    { values: hundred, p: 50, expected: 50 },
    { values: hundred, p: 99, expected: 99 },
    { values: hundred, p: 100, expected: 100 },
    { values: hundred, p: 0, expected: 1 },
    { values: [3, 1, 2], p: 50, expected: 2 },
    { values: [5], p: 99, expected: 5 },
    { values: [1, 2, 3, 4], p: 50, expected: 2 },
    { values: [1, 2, 3, 4], p: 99, expected: 4 },
  ])('p$p of $values.length values is $expected', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is NaN for no values and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow('p must be within 0..100');
  });

  it('always returns one of the values, and higher p never gives a lower value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }),
        fc.integer({ min: 0, max: 99 }),
        (values, p) => {
          expect(values).toContain(percentile(values, p));
          expect(percentile(values, p + 1)).toBeGreaterThanOrEqual(percentile(values, p));
        },
      ),
    );
  });
});
