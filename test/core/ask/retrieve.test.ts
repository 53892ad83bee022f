/**
 * `searchTop` is MiniSearch's `search` cut to its first results, exactly: same entries, same scores,
 * same order, same matches, including after entries were discarded (which MiniSearch cleans up lazily,
 * changing later scores) and for repeated or unknown query terms.
 */
import fc from 'fast-check';
import MiniSearch, { type SearchResult } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { searchTop } from '../../../src/core/ask/retrieve.ts';

interface Fields {
  id: number;
  text: string;
  section: string;
  title: string;
  scope: string;
}

const WORDS = ['ferri', 'harbour', 'island', 'crew', 'rota', 'sunday', 'dock', 'winter', '2019', 'keeper'];
const words = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: max }).map((list) => list.join(' '));
const entry = fc.record({
  text: words(12),
  section: words(3),
  title: words(2),
  scope: fc.constantFrom('a', 'b'),
});
const operation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), entry }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('discard' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      terms: fc.array(fc.constantFrom(...WORDS, 'unknown'), { minLength: 1, maxLength: 5 }),
      limit: fc.integer({ min: 1, max: 8 }),
      scope: fc.constantFrom('a', 'b', undefined),
      // Terms searched at a lesser weight, as the glossary's and synonyms' are.
      boosted: fc.option(fc.subarray([...WORDS]), { nil: undefined }),
    }),
  },
);

function miniSearch(): MiniSearch<Fields> {
  const split = (text: string): string[] => (text === '' ? [] : text.split(' '));
  return new MiniSearch<Fields>({
    fields: ['text', 'section', 'title'],
    storeFields: ['scope'],
    tokenize: split,
    processTerm: (term) => term,
    searchOptions: {
      tokenize: split,
      processTerm: (term) => term,
      combineWith: 'OR',
      bm25: { k: 1.2, b: 0.7, d: 0.5 },
      boost: { text: 1, section: 0.5, title: 0.5 },
    },
    autoVacuum: false,
  });
}

const plain = (results: SearchResult[]): unknown[] => results.map((result) => ({ ...result }));

describe('searchTop', () => {
  it("returns exactly MiniSearch's first results, through adds, discards and lazy clean-up", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 60 }), (operations) => {
        // Two indexes fed the same operations: one searched by MiniSearch, one by searchTop.
        const reference = miniSearch();
        const ours = miniSearch();
        const live: number[] = [];
        let nextId = 0;
        for (const op of operations) {
          if (op.kind === 'add') {
            const fields = { id: nextId++, ...op.entry };
            reference.add(fields);
            ours.add(fields);
            live.push(fields.id);
          } else if (op.kind === 'discard') {
            if (live.length === 0) continue;
            const [id] = live.splice(op.at % live.length, 1) as [number];
            reference.discard(id);
            ours.discard(id);
          } else {
            const filter =
              op.scope === undefined ? undefined : (result: SearchResult) => result['scope'] === op.scope;
            const boosted = op.boosted === undefined ? undefined : new Set<string>(op.boosted);
            const options = {
              ...(filter ? { filter } : {}),
              ...(boosted ? { boostTerm: (term: string) => (boosted.has(term) ? 0.3 : 1) } : {}),
            };
            const query = op.terms.join(' ');
            const expected = reference.search(query, options).slice(0, op.limit);
            const actual = searchTop(ours, query, options, op.limit);
            expect(plain(actual)).toEqual(plain(expected));
            if (expected.length > 0) compared++;
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
