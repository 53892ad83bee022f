/**
 * Sentence vectors on disk: one append-only file per model (`<DATA_DIR>/vectors/<model>.vec`), each record
 * the sentence's sha256 (32 bytes), its int8 scale (float32, little-endian) and its int8 values. Vectors are
 * only ever added, so a write is an append: a process killed mid-write leaves at most one torn record at
 * the end, which the next open cuts off before appending. Nothing written whole is ever rewritten.
 *
 * The shipped corpus ships its vectors in the same format (`corpus/vectors/`), read-only.
 */
import { mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredVector, VectorSlab } from './vector-store.ts';

const HASH_BYTES = 32;
const SCALE_BYTES = 4;

export function recordBytes(dimensions: number): number {
  return HASH_BYTES + SCALE_BYTES + dimensions;
}

/** Every whole record of `path` as one slab; a missing file reads as empty. */
export async function readVectorFile(
  path: string,
  dimensions: number,
): Promise<{ slab: VectorSlab; tornBytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { slab: { keys: [], values: new Int8Array(0), scales: new Float32Array(0) }, tornBytes: 0 };
    throw error;
  }
  const size = recordBytes(dimensions);
  const records = Math.floor(bytes.length / size);
  const keys: string[] = [];
  const values = new Int8Array(records * dimensions);
  const scales = new Float32Array(records);
  for (let record = 0; record < records; record++) {
    const at = record * size;
    keys.push(bytes.toString('hex', at, at + HASH_BYTES));
    scales[record] = bytes.readFloatLE(at + HASH_BYTES);
    values.set(
      new Int8Array(bytes.buffer, bytes.byteOffset + at + HASH_BYTES + SCALE_BYTES, dimensions),
      record * dimensions,
    );
  }
  return { slab: { keys, values, scales }, tornBytes: bytes.length - records * size };
}

/** Appends records to one vector file, one write at a time, after cutting off a torn tail once. */
export class VectorFileWriter {
  readonly path: string;
  readonly #dimensions: number;
  #tail: Promise<void> = Promise.resolve();
  #prepared = false;

  constructor(path: string, dimensions: number) {
    this.path = path;
    this.#dimensions = dimensions;
  }

  /** Appends `vectors` (key → vector); resolves when they are on disk (fsync'd). */
  append(vectors: ReadonlyArray<readonly [string, StoredVector]>): Promise<void> {
    const run = this.#tail.then(() => this.#write(vectors));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #write(vectors: ReadonlyArray<readonly [string, StoredVector]>): Promise<void> {
    if (vectors.length === 0) return;
    const size = recordBytes(this.#dimensions);
    if (!this.#prepared) {
      await mkdir(dirname(this.path), { recursive: true });
      await cutTornTail(this.path, size);
      this.#prepared = true;
    }
    const buffer = Buffer.alloc(vectors.length * size);
    vectors.forEach(([key, vector], record) => {
      const at = record * size;
      buffer.write(key, at, HASH_BYTES, 'hex');
      buffer.writeFloatLE(vector.scale, at + HASH_BYTES);
      buffer.set(
        new Uint8Array(vector.values.buffer, vector.values.byteOffset, this.#dimensions),
        at + HASH_BYTES + SCALE_BYTES,
      );
    });
    const handle = await open(this.path, 'a');
    try {
      await handle.write(buffer);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function cutTornTail(path: string, size: number): Promise<void> {
  let length: number;
  try {
    length = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (length % size !== 0) await truncate(path, length - (length % size));
}
