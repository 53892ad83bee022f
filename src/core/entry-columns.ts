/**
 * Entries' per-field arrays kept as columns: one array of values per field for a batch of entries (as
 * they are built) or for the whole corpus (as a snapshot is loaded), and each entry's slice of it made
 * when it is read; a question reads the arrays of twenty entries. A view kept per entry and field (ten
 * per paragraph part, about 100 bytes each) was 16.3 MB of heap at 20,000 paragraphs, and a good part of
 * the snapshot load time.
 */
import { SnapshotError, unpackFlatAsSaved, type PackedArrays } from './snapshot-codec.ts';

/** Entry `at`'s value of one field. */
export type Column = (at: number) => unknown;

/** A packed Uint32Array field (see `packArrays`), kept as wide as it was saved. */
export function packedColumn(packed: PackedArrays, count: number): Column {
  const { lengths, values } = unpackFlatAsSaved(packed, count);
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let total = 0;
  for (let at = 0; at < count; at++) {
    starts[at] = total;
    total += lengths[at] as number;
    ends[at] = total;
  }
  return slicesOf(values, starts, ends);
}

/**
 * Many arrays copied into one column (one buffer for all of them, 16 bits wide when every value fits);
 * an array given for several entries in a row (a section's or a title's term ids) is copied once.
 */
export function columnOf(arrays: readonly Uint32Array[]): Column {
  const starts = new Uint32Array(arrays.length);
  const ends = new Uint32Array(arrays.length);
  let total = 0;
  let max = 0;
  arrays.forEach((array, at) => {
    if (at > 0 && array === arrays[at - 1]) {
      starts[at] = starts[at - 1] as number;
    } else {
      starts[at] = total;
      total += array.length;
      for (const value of array) if (value > max) max = value;
    }
    ends[at] = (starts[at] as number) + array.length;
  });
  const values = max < 65_536 ? new Uint16Array(total) : new Uint32Array(total);
  arrays.forEach((array, at) => {
    if (at === 0 || array !== arrays[at - 1]) values.set(array, starts[at] as number);
  });
  return slicesOf(values, starts, ends);
}

/**
 * Entry `at`'s slice of a column, always a Uint32Array: a view of a 32-bit column, a widened copy of a
 * 16-bit one (a few hundred values, for the few entries a question reads). Made apart from `columnOf`:
 * a closure created there would share its scope with the callbacks that read `arrays`, and keep every
 * original array alive.
 */
function slicesOf(values: Uint16Array | Uint32Array, starts: Uint32Array, ends: Uint32Array): Column {
  if (values instanceof Uint32Array) return (at) => values.subarray(starts[at] as number, ends[at] as number);
  return (at) => new Uint32Array(values.subarray(starts[at] as number, ends[at] as number));
}

/** A field kept as one value per entry. */
export function plainColumn(values: readonly unknown[], count: number, name: string): Column {
  if (values.length !== count) throw new SnapshotError('corrupt', `its field "${name}" has the wrong length`);
  return (at) => values[at];
}
