/**
 * The per-entry arrays of a loaded snapshot, kept as the columns they were saved as: one array of values
 * per field for the whole corpus, and each entry's slice of it made on demand. A view per entry and
 * field (ten per paragraph part, about 100 bytes each) was, at 100,000 paragraphs, 80 MB of the heap and
 * a good part of the load time; a question looks at the arrays of twenty entries.
 */
import { SnapshotError, unpackFlat, type PackedArrays } from './snapshot-codec.ts';

/** Entry `at`'s value of one field. */
export type Column = (at: number) => unknown;

/** A packed Uint32Array field (see `packArrays`): entry `at`'s array is a fresh view, never a copy. */
export function packedColumn(packed: PackedArrays, count: number): Column {
  const { lengths, values } = unpackFlat(packed, count);
  const offsets = new Uint32Array(count + 1);
  for (let at = 0; at < count; at++) offsets[at + 1] = (offsets[at] as number) + (lengths[at] as number);
  return (at) => values.subarray(offsets[at] as number, offsets[at + 1] as number);
}

/** A field kept as one value per entry. */
export function plainColumn(values: readonly unknown[], count: number, name: string): Column {
  if (values.length !== count) throw new SnapshotError('corrupt', `its field "${name}" has the wrong length`);
  return (at) => values[at];
}
