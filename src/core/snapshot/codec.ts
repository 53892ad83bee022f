/**
 * The building blocks of index snapshots, kept apart from the engine: a content hash (so a snapshot can
 * prove which documents it was built from), base64 for binary data inside JSON, and the packing of many
 * small typed arrays into one buffer per field (compact on disk, and one allocation in memory on load).
 * Pure functions: the core does no I/O, so it cannot use Node's Buffer or crypto.
 */

/** Why a snapshot was not used. Every kind means "rebuild"; none is fatal. */
export type SnapshotProblem =
  /** Made by another snapshot format, analyzer or index options. */
  | 'version'
  /** Made from other documents (added, removed, reordered, or with other text or titles). */
  | 'stale'
  /** Not a snapshot, or one whose parts do not fit together (damaged, truncated). */
  | 'corrupt';

export class SnapshotError extends Error {
  readonly problem: SnapshotProblem;

  constructor(problem: SnapshotProblem, message: string) {
    super(message);
    this.name = 'SnapshotError';
    this.problem = problem;
  }
}

/**
 * A 64-bit hash (two 32-bit lanes, cyrb53-style mixing) of a sequence of strings, as 16 hex digits. Not
 * cryptographic: it detects changed content, it does not resist forgery (snapshots are our own files).
 * Each string's length is mixed in, so `["ab", "c"]` and `["a", "bc"]` differ.
 */
export class ContentHash {
  #h1 = 0xdeadbeef;
  #h2 = 0x41c6ce57;

  update(text: string): this {
    let h1 = this.#h1;
    let h2 = this.#h2;
    // Two UTF-16 units per step: half the multiplications, the same sensitivity to every unit.
    const pairs = text.length - (text.length % 2);
    for (let i = 0; i < pairs; i += 2) {
      const code = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    if (pairs < text.length) {
      const code = text.charCodeAt(pairs);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    h1 = Math.imul(h1 ^ text.length, 2246822507);
    h2 = Math.imul(h2 ^ text.length, 3266489909);
    this.#h1 = h1 ^ (h2 >>> 13);
    this.#h2 = h2 ^ (h1 >>> 16);
    return this;
  }

  digest(): string {
    let h1 = this.#h1;
    let h2 = this.#h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const ENCODE = Uint8Array.from(ALPHABET, (character) => character.charCodeAt(0));
const ascii = new TextDecoder('latin1');

export function toBase64(bytes: Uint8Array): string {
  // Written as ASCII bytes into one typed array, then turned into a string natively in one step.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const triple = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE[triple >>> 18] as number;
    out[o++] = ENCODE[(triple >>> 12) & 63] as number;
    out[o++] = ENCODE[(triple >>> 6) & 63] as number;
    out[o++] = ENCODE[triple & 63] as number;
  }
  if (whole < bytes.length) {
    const b0 = bytes[whole] as number;
    const b1 = whole + 1 < bytes.length ? (bytes[whole + 1] as number) : 0;
    const triple = (b0 << 16) | (b1 << 8);
    out[o++] = ENCODE[triple >>> 18] as number;
    out[o++] = ENCODE[(triple >>> 12) & 63] as number;
    out[o++] = whole + 1 < bytes.length ? (ENCODE[(triple >>> 6) & 63] as number) : 61;
    out[o] = 61;
  }
  return ascii.decode(out);
}

/**
 * Node's native base64 decoder when the runtime has one (about ten times faster than the loop below on the
 * 100k snapshot's ~120 MB of base64). Looked up, not imported: the core stays free of Node imports and
 * runs anywhere, with the portable decoder.
 */
const nativeDecoder = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } })
  .Buffer;

/** Throws SnapshotError 'corrupt' on anything that is not canonical padded base64. */
export function fromBase64(text: string): Uint8Array {
  if (nativeDecoder === undefined) return fromBase64Portable(text);
  if (text.length % 4 !== 0) throw new SnapshotError('corrupt', 'a base64 field has a broken length');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const decoded = nativeDecoder.from(text, 'base64');
  // The native decoder skips characters it does not know: a foreign one shows as a shorter result.
  if (decoded.length !== (text.length / 4) * 3 - padding)
    throw new SnapshotError('corrupt', 'a base64 field has a foreign character');
  // A copy into a fresh buffer: aligned for the typed-array views made from it, and not pooled.
  return new Uint8Array(decoded);
}

/** The decoder in plain JavaScript, for runtimes without Node's Buffer. */
export function fromBase64Portable(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new SnapshotError('corrupt', 'a base64 field has a broken length');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const c0 = DECODE[text.charCodeAt(i)] ?? -1;
    const c1 = DECODE[text.charCodeAt(i + 1)] ?? -1;
    const last = i + 4 === text.length;
    const c2 = last && padding === 2 ? 0 : (DECODE[text.charCodeAt(i + 2)] ?? -1);
    const c3 = last && padding >= 1 ? 0 : (DECODE[text.charCodeAt(i + 3)] ?? -1);
    if ((c0 | c1 | c2 | c3) < 0) throw new SnapshotError('corrupt', 'a base64 field has a foreign character');
    const triple = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    bytes[out++] = triple >>> 16;
    if (out < bytes.length) bytes[out++] = (triple >>> 8) & 255;
    if (out < bytes.length) bytes[out++] = triple & 255;
  }
  return bytes;
}

/**
 * Many Uint32Arrays (one per index entry) as one field: their lengths and their concatenated values, each
 * stored 16 bits wide when every value fits (offsets inside a paragraph part and most term ids do).
 */
export interface PackedArrays {
  width: 16 | 32;
  /** base64 of the lengths, little-endian, `width` bits each. */
  lengths: string;
  /** base64 of the values, little-endian, `width` bits each. */
  values: string;
}

export function packArrays(arrays: readonly Uint32Array[]): PackedArrays {
  let total = 0;
  let max = 0;
  for (const array of arrays) {
    total += array.length;
    max = Math.max(max, array.length);
    for (const value of array) if (value > max) max = value;
  }
  const width = max < 65_536 ? 16 : 32;
  const lengths = width === 16 ? new Uint16Array(arrays.length) : new Uint32Array(arrays.length);
  const values = width === 16 ? new Uint16Array(total) : new Uint32Array(total);
  let at = 0;
  arrays.forEach((array, i) => {
    lengths[i] = array.length;
    values.set(array, at);
    at += array.length;
  });
  return {
    width,
    lengths: toBase64(littleEndianBytes(lengths)),
    values: toBase64(littleEndianBytes(values)),
  };
}

/**
 * The arrays back, as views into one shared Uint32Array (one allocation for the whole field rather than
 * one per entry). Throws SnapshotError 'corrupt' when the parts do not add up.
 */
export function unpackArrays(packed: PackedArrays, count: number): Uint32Array[] {
  const { lengths, values } = unpackFlat(packed, count);
  const arrays: Uint32Array[] = [];
  let at = 0;
  for (const length of lengths) {
    arrays.push(values.subarray(at, at + length));
    at += length;
  }
  return arrays;
}

/**
 * The lengths and the concatenated values of packed arrays, without a view per array (for callers that
 * walk them in order). Throws SnapshotError 'corrupt' when the parts do not add up.
 */
export function unpackFlat(
  packed: PackedArrays,
  count: number,
): { lengths: Uint32Array; values: Uint32Array } {
  const { lengths, values } = unpackFlatAsSaved(packed, count);
  return { lengths, values: values instanceof Uint32Array ? values : new Uint32Array(values) };
}

/**
 * `unpackFlat`, with the values as wide as they were saved (16 bits when they all fit): half the memory
 * for callers that can read either. Throws SnapshotError 'corrupt' when the parts do not add up.
 */
export function unpackFlatAsSaved(
  packed: PackedArrays,
  count: number,
): { lengths: Uint32Array; values: Uint16Array | Uint32Array } {
  if (typeof packed !== 'object' || packed === null || (packed.width !== 16 && packed.width !== 32))
    throw new SnapshotError('corrupt', 'a packed field has an unknown width');
  const lengths = widened(fromBase64(packed.lengths), packed.width);
  const values = asSaved(fromBase64(packed.values), packed.width);
  if (lengths.length !== count)
    throw new SnapshotError('corrupt', `a packed field has ${lengths.length} arrays, not ${count}`);
  let total = 0;
  for (const length of lengths) total += length;
  if (total !== values.length) throw new SnapshotError('corrupt', 'a packed field does not add up');
  return { lengths, values };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(array: Uint16Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const view = new DataView(swapped.buffer);
  array.forEach((value, i) => {
    if (array.BYTES_PER_ELEMENT === 2) view.setUint16(i * 2, value, true);
    else view.setUint32(i * 4, value, true);
  });
  return swapped;
}

function asSaved(bytes: Uint8Array, width: 16 | 32): Uint16Array | Uint32Array {
  if (width === 16 && LITTLE_ENDIAN && bytes.byteOffset % 2 === 0 && bytes.length % 2 === 0)
    return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  return widened(bytes, width);
}

function widened(bytes: Uint8Array, width: 16 | 32): Uint32Array {
  const size = width / 8;
  if (bytes.length % size !== 0) throw new SnapshotError('corrupt', 'a packed field has a broken length');
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    // The common case: the bytes already are the array (fromBase64 returns a fresh, aligned buffer).
    if (width === 32) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    // The constructor copies a typed array natively; Uint32Array.from walks it as an iterable, ~10× slower.
    return new Uint32Array(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / size);
  if (width === 16) for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, true);
  else for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}
