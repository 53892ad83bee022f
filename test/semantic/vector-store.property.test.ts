import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VectorStore, type StoredVector } from '../../src/semantic/vector-store.ts';

const DIMENSIONS = 4;

/** A vector whose values name its key, so a row served for the wrong key shows. */
function vectorOf(key: number): StoredVector {
  return {
    values: Int8Array.from({ length: DIMENSIONS }, (_, i) => ((key * 7 + i) % 255) - 127),
    scale: key + 0.5,
  };
}

type Step = { kind: 'add' | 'append'; keys: number[] };

// Keys repeat within and across steps (a sentence shared by two parts), and runs of new keys long enough
// to fill an appended slab (1,024 rows) and start the next.
const keyList = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 200 }),
  fc
    .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 1500 }))
    .map(([start, length]) => Array.from({ length }, (_, i) => start + i)),
);
const steps = fc.array(
  fc.record({ kind: fc.constantFrom<'add' | 'append'>('add', 'append'), keys: keyList }),
  { maxLength: 6 },
);
/** Keys a part asks for: any, or a run of the keys in the order they were stored (consecutive rows). */
const partOf = (plan: Step[]): fc.Arbitrary<number[]> => {
  const stored = [...new Set(plan.flatMap((step) => step.keys))];
  return fc.oneof(
    fc.array(fc.integer({ min: 0, max: 3500 }), { maxLength: 12 }),
    fc
      .tuple(fc.nat({ max: Math.max(0, stored.length - 1) }), fc.integer({ min: 1, max: 12 }))
      .map(([start, length]) => stored.slice(start, start + length)),
  );
};

function build(plan: Step[]): { store: VectorStore; first: Map<number, StoredVector> } {
  const store = new VectorStore(DIMENSIONS);
  const first = new Map<number, StoredVector>();
  for (const { kind, keys } of plan) {
    const vectors = keys.map((key): [string, StoredVector] => [String(key), vectorOf(key)]);
    if (kind === 'append') store.append(vectors);
    else {
      const values = new Int8Array(keys.length * DIMENSIONS);
      vectors.forEach(([, vector], row) => values.set(vector.values, row * DIMENSIONS));
      store.add({
        keys: vectors.map(([key]) => key),
        values,
        scales: Float32Array.from(vectors, ([, vector]) => vector.scale),
      });
    }
    for (const key of keys) if (!first.has(key)) first.set(key, vectorOf(key));
  }
  return { store, first };
}

describe('sentence vectors in memory', () => {
  it('serves every part the vectors of its own sentences, in order, whichever slabs they sit in', () => {
    fc.assert(
      fc.property(
        steps.chain((plan) => partOf(plan).map((part) => ({ plan, part }))),
        ({ plan, part }) => {
          const { store, first } = build(plan);
          expect(store.size).toBe(first.size);
          const vectors = store.part(part.map(String));
          if (!part.every((key) => first.has(key))) {
            expect(vectors).toBeUndefined();
            return;
          }
          expect(vectors).toBeDefined();
          expect(Array.from(vectors?.scales ?? [])).toEqual(
            part.map((key) => (first.get(key) as StoredVector).scale),
          );
          expect(Array.from(vectors?.values ?? [])).toEqual(
            part.flatMap((key) => Array.from((first.get(key) as StoredVector).values)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('serves the consecutive sentences of an appended part without copying them', () => {
    const store = new VectorStore(DIMENSIONS);
    // 1,030 rows: the appended slab fills and a second one starts.
    store.append(
      Array.from({ length: 1030 }, (_, key): [string, StoredVector] => [String(key), vectorOf(key)]),
    );
    const inside = store.part(['10', '11', '12']);
    const again = store.part(['10', '11', '12']);
    expect(inside?.values.buffer).toBe(again?.values.buffer);
    const across = store.part(['1022', '1023', '1024', '1025']);
    expect(Array.from(across?.scales ?? [])).toEqual([1022.5, 1023.5, 1024.5, 1025.5]);
  });
});
