/**
 * The semantic stage and the no-answer rule with it, on hand-made vectors (the core takes vectors as
 * data): what a user would notice is which paragraph is quoted, and whether the bot answers at all.
 */
import { describe, expect, it } from 'vitest';
import {
  partKey,
  quantiseVector,
  SearchEngine,
  SHIPPED_SCOPE,
  type EngineOptionsInput,
  type PartVectors,
  type SemanticInput,
} from '../../../src/core/index.ts';
import { testDocument } from '../../helpers/documents.ts';

const HARBOUR = testDocument(
  'harbour',
  [
    'The Harbour Report',
    'The old lighthouse was built in 1821 by the harbour board to guide fishing boats past the reef.',
    'Ferries to the island leave every morning at seven and return before dusk in summer.',
    'The fish market opens on Saturdays, when the trawlers bring their catch to the quay.',
  ].join('\n\n'),
);

/** Unit vectors along one axis: cosine 1 with the same axis, 0 with the others. */
const axis = (i: number, length = 4): Float32Array =>
  Float32Array.from({ length }, (_, j) => (j === i ? 1 : 0));
const part = (...vectors: Float32Array[]): PartVectors => {
  const quantised = vectors.map(quantiseVector);
  const values = new Int8Array(quantised.length * 4);
  quantised.forEach((q, row) => values.set(q.values, row * 4));
  return { values, scales: Float32Array.from(quantised, (q) => q.scale) };
};

/** The floor off unless a test sets it: orthogonal axes have cosine 0, below the default floor. */
function engineWith(options: EngineOptionsInput = {}): SearchEngine {
  const engine = new SearchEngine({ semanticFloor: 0, ...options });
  engine.add(HARBOUR);
  return engine;
}

/** Paragraph n's sentence lies along axis n (1..3); the question along `questionAxis`, or a blend. */
function input(question: Float32Array, without: number[] = []): SemanticInput {
  const parts = new Map<string, PartVectors>();
  for (const n of [1, 2, 3])
    if (!without.includes(n)) parts.set(partKey(SHIPPED_SCOPE, 'harbour', n, 1), part(axis(n)));
  return { question, parts };
}

describe('the semantic stage', () => {
  it('quotes the paragraph that means what was asked though it shares no word with the question', () => {
    const engine = engineWith();
    const question = 'What time does the crossing depart?';
    expect(engine.ask(question).answered).toBe(false);
    const result = engine.ask(question, { semantic: input(axis(2)) });
    expect(result.answered).toBe(true);
    expect(result.passages[0]?.paragraph).toBe(2);
    expect(result.passages[0]?.semantic).toBeCloseTo(1, 2);
  });

  it('adds w × cosine to the lexical score, so meaning re-orders passages that share words', () => {
    const engine = engineWith({ semanticWeight: 6 });
    // "harbour" and "boats" are in paragraph 1; the meaning (axis 3) is the market's.
    const lexical = engine.ask('harbour boats catch', { limit: 3 });
    const semantic = engine.ask('harbour boats catch', { limit: 3, semantic: input(axis(3)) });
    expect(lexical.passages[0]?.paragraph).toBe(1);
    expect(semantic.passages[0]?.paragraph).toBe(3);
    expect(semantic.passages[0]?.score).toBeCloseTo(
      (lexical.passages.find((p) => p.paragraph === 3)?.score ?? 0) + 6,
      1,
    );
  });

  it('never filters out a passage found by meaning, whatever its word coverage', () => {
    const engine = engineWith({ semanticRescue: 0.5 });
    const both = new Float32Array([0, 0, Math.SQRT1_2, Math.SQRT1_2]);
    const result = engine.ask('lighthouse built 1821 reef', { limit: 3, semantic: input(both) });
    // ¶2 and ¶3 share no word with the question and cover nothing: shown for their meaning, after ¶1 or not.
    expect(result.passages.map((p) => p.paragraph).sort()).toEqual([1, 2, 3]);
  });

  it('declines a question whose words match but whose meaning nothing near (the floor)', () => {
    const engine = engineWith({ semanticFloor: 0.3 });
    const elsewhere = axis(0);
    expect(engine.ask('lighthouse built 1821', { semantic: input(axis(1)) }).answered).toBe(true);
    expect(engine.ask('lighthouse built 1821', { semantic: input(elsewhere) })).toMatchObject({
      answered: false,
      reason: 'weak-match',
    });
  });

  it('in a scope larger than semanticScanLimit scores only what the words retrieved', () => {
    const engine = engineWith({ semanticScanLimit: 2 });
    expect(engine.ask('What time does the crossing depart?', { semantic: input(axis(2)) }).answered).toBe(
      false,
    );
  });

  it('ranks a part that has no vectors yet by its words alone', () => {
    const engine = engineWith();
    const result = engine.ask('lighthouse built 1821', { semantic: input(axis(1), [1]) });
    expect(result.passages[0]).toMatchObject({ paragraph: 1 });
    expect(result.passages[0]?.semantic).toBeUndefined();
  });
});
