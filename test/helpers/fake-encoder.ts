/**
 * A deterministic stand-in for the sentence encoder, for the semantic index's logic: each text becomes
 * the normalised bag of its lower-cased words hashed into `dimensions` buckets, so texts sharing words
 * have a positive cosine. It counts what it was asked to encode, and can be made slow or broken.
 */
import type { EncodeOptions, Encoder, EncoderState } from '../../src/semantic/encoder.ts';
import { EncoderUnavailable } from '../../src/semantic/encoder.ts';

export const FAKE_DIMENSIONS = 64;

export function fakeVector(text: string, dimensions = FAKE_DIMENSIONS): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    const bucket = (hash >>> 0) % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return vector.map((value) => value / norm);
}

export class FakeEncoder implements Encoder {
  state: EncoderState = 'ready';
  failure: string | undefined;
  readonly ready = Promise.resolve(true);
  /** Every text encoded, in order. */
  readonly encoded: string[] = [];
  /** Requests made, with their texts. */
  readonly requests: string[][] = [];
  /** Milliseconds each request takes. */
  delayMs = 0;
  readonly dimensions: number;

  constructor(dimensions = FAKE_DIMENSIONS) {
    this.dimensions = dimensions;
  }

  async encode(texts: readonly string[], _options?: EncodeOptions): Promise<Float32Array[]> {
    if (this.state === 'failed') throw new EncoderUnavailable(this.failure);
    this.requests.push([...texts]);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.encoded.push(...texts);
    return texts.map((text) => fakeVector(text, this.dimensions));
  }

  async close(): Promise<void> {
    this.state = 'failed';
  }
}
