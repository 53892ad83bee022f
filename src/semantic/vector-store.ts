/**
 * Sentence vectors in memory, by sentence key: rows of a few large slabs (one per vector file read, one per
 * 1,024 encoded vectors) and a key → row map, so tens of thousands of vectors cost no object each. A part's
 * vectors are a view into a slab when its sentences are consecutive rows of it, which is how they are
 * encoded and appended, so they are not held twice; a copy otherwise (a sentence shared with another part).
 */
import type { PartVectors } from '../core/index.ts';

/** One sentence's vector, quantised (int8 values times `scale`). */
export interface StoredVector {
  values: Int8Array;
  scale: number;
}

/** Rows of vectors added together: `values` holds `scales.length` rows of `dimensions` values. */
export interface VectorSlab {
  keys: readonly string[];
  values: Int8Array;
  scales: Float32Array;
}

interface Slab {
  /** The first global row number of this slab. */
  start: number;
  values: Int8Array;
  scales: Float32Array;
  /** Rows in use; below `scales.length` only in the slab `append` is filling. */
  used: number;
}

/** Rows of the slab encoded vectors are appended to: few slabs, and a part rarely spans two. */
const APPEND_ROWS = 1024;

export class VectorStore {
  readonly dimensions: number;
  readonly #rows = new Map<string, number>();
  readonly #slabs: Slab[] = [];
  /** The slab `append` fills, until it is full or `add` puts another slab after it. */
  #open: Slab | undefined;
  #nextRow = 0;

  constructor(dimensions: number) {
    this.dimensions = dimensions;
  }

  get size(): number {
    return this.#rows.size;
  }

  has(key: string): boolean {
    return this.#rows.has(key);
  }

  /** Adds a slab of rows; a key already held keeps its first vector (the same text gives the same one). */
  add(slab: VectorSlab): void {
    const rows = slab.scales.length;
    if (slab.keys.length !== rows || slab.values.length !== rows * this.dimensions)
      throw new Error('a vector slab whose keys, values and scales disagree');
    if (rows === 0) return;
    this.#close();
    const start = this.#nextRow;
    this.#slabs.push({ start, values: slab.values, scales: slab.scales, used: rows });
    slab.keys.forEach((key, row) => {
      if (!this.#rows.has(key)) this.#rows.set(key, start + row);
    });
    this.#nextRow += rows;
  }

  /** Adds vectors one row after the other (freshly encoded ones); a key already held is skipped. */
  append(vectors: ReadonlyArray<readonly [string, StoredVector]>): void {
    const { dimensions } = this;
    for (const [key, vector] of vectors) {
      if (this.#rows.has(key)) continue;
      if (vector.values.length !== dimensions) throw new Error('a vector of the wrong length');
      let slab = this.#open;
      if (slab === undefined || slab.used === slab.scales.length) {
        slab = {
          start: this.#nextRow,
          values: new Int8Array(APPEND_ROWS * dimensions),
          scales: new Float32Array(APPEND_ROWS),
          used: 0,
        };
        this.#slabs.push(slab);
        this.#open = slab;
      }
      slab.values.set(vector.values, slab.used * dimensions);
      slab.scales[slab.used] = vector.scale;
      this.#rows.set(key, slab.start + slab.used);
      slab.used += 1;
      this.#nextRow += 1;
    }
  }

  /**
   * Ends the slab being filled, so rows stay numbered in slab order. Its unused rows are not given back:
   * parts may hold views into it, and trimming would keep both copies alive.
   */
  #close(): void {
    this.#open = undefined;
  }

  /** One vector (a view, not a copy), or undefined when the key is not held. */
  get(key: string): StoredVector | undefined {
    const row = this.#rows.get(key);
    if (row === undefined) return undefined;
    const { slab, local } = this.#locate(row);
    const { dimensions } = this;
    return {
      values: slab.values.subarray(local * dimensions, (local + 1) * dimensions),
      scale: slab.scales[local] as number,
    };
  }

  /** The vectors of a part's sentences, in order; undefined when one of them is not held. */
  part(keys: readonly string[]): PartVectors | undefined {
    const rows: number[] = [];
    for (const key of keys) {
      const row = this.#rows.get(key);
      if (row === undefined) return undefined;
      rows.push(row);
    }
    const { dimensions } = this;
    if (rows.length === 0) return { values: new Int8Array(0), scales: new Float32Array(0) };
    const first = this.#locate(rows[0] as number);
    const consecutive = rows.every((row, i) => row === (rows[0] as number) + i);
    if (consecutive && first.local + rows.length <= first.slab.used) {
      const from = first.local;
      return {
        values: first.slab.values.subarray(from * dimensions, (from + rows.length) * dimensions),
        scales: first.slab.scales.subarray(from, from + rows.length),
      };
    }
    const values = new Int8Array(keys.length * dimensions);
    const scales = new Float32Array(keys.length);
    keys.forEach((key, i) => {
      const vector = this.get(key) as StoredVector;
      values.set(vector.values, i * dimensions);
      scales[i] = vector.scale;
    });
    return { values, scales };
  }

  #locate(row: number): { slab: Slab; local: number } {
    // Slabs are in row order: the last one starting at or before `row`.
    let low = 0;
    let high = this.#slabs.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#slabs[middle] as Slab).start <= row) low = middle;
      else high = middle - 1;
    }
    const slab = this.#slabs[low] as Slab;
    return { slab, local: row - slab.start };
  }
}
