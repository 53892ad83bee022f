/**
 * The semantic signal as the core receives it: data, computed elsewhere (src/semantic runs the sentence
 * encoder off the main thread). The core only takes dot products, so it stays pure and deterministic: the
 * same vectors give the same ranking.
 *
 * A part is represented by the vectors of its sentences (and of itself whole, src/semantic decides which
 * texts), and scores the best of them: a paragraph that answers in one sentence among five is not diluted
 * by the other four (measured in docs/quality.md).
 */
import type { Scope } from './types.ts';

/**
 * The sentence vectors of one part: sentence `i` is `values[i * dimensions .. (i + 1) * dimensions)` times
 * `scales[i]`, a unit vector up to rounding. Int8 in use (see `quantiseVector`); float32 with scales of 1
 * is accepted too, for measuring what quantising costs.
 */
export interface PartVectors {
  values: Int8Array | Float32Array;
  scales: Float32Array;
}

/** What `ask` needs for the semantic stage. */
export interface SemanticInput {
  /** The question's vector, unit length. */
  question: Float32Array;
  /**
   * Sentence vectors by `partKey`. A part that is absent has no vectors yet (a document just added):
   * it is ranked lexically only.
   */
  parts: ReadonlyMap<string, PartVectors>;
}

/** The key of one answerable part in `SemanticInput.parts`. */
export function partKey(scope: Scope, documentId: string, paragraph: number, part: number): string {
  return `${scope}\u0000${documentId}\u0000${paragraph}\u0000${part}`;
}

/** Cosine of the question with the part's best row (a sentence, or the part whole); -1 when it has none. */
export function maxSentenceCosine(question: Float32Array, vectors: PartVectors): number {
  const dimensions = question.length;
  const { values, scales } = vectors;
  let best = -1;
  for (let sentence = 0; sentence < scales.length; sentence++) {
    const offset = sentence * dimensions;
    let sum = 0;
    for (let i = 0; i < dimensions; i++) sum += (question[i] as number) * (values[offset + i] as number);
    const cosine = sum * (scales[sentence] as number);
    if (cosine > best) best = cosine;
  }
  return best;
}

/**
 * Quantises a unit vector to int8 with one scale (its largest |x| maps to 127): a quarter of float32's
 * size, at a cosine error of about 0.004 (docs/quality.md measures what it changes in the ranking).
 */
export function quantiseVector(vector: Float32Array): { values: Int8Array; scale: number } {
  let max = 0;
  for (const value of vector) max = Math.max(max, Math.abs(value));
  const scale = max === 0 ? 1 : max / 127;
  const values = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) values[i] = Math.round((vector[i] as number) / scale);
  return { values, scale };
}
