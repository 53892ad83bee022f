/**
 * Entries' per-field arrays kept as columns: one array of values per field for a batch of entries (as
 * they are built) or for the whole corpus (as a snapshot is loaded), and each entry's slice of it made
 * when it is read; a question reads the arrays of twenty entries. A view kept per entry and field (ten
 * per paragraph part, about 100 bytes each) was 16.3 MB of heap at 20,000 paragraphs, and a good part of
 * the snapshot load time.
 */
import type { Entry } from '../index-state.ts';
import { recordOf, type PartRecord } from '../records.ts';
import type { Paragraph } from '../types.ts';
import { Vocabulary } from '../vocabulary.ts';
import { SnapshotError, unpackFlatAsSaved, type PackedArrays } from './codec.ts';

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

/**
 * The same entries with their arrays (record fields, context, counted) copied into one column per field
 * for the batch: about ten allocations per batch instead of ten per paragraph part, and no view kept per
 * entry and field.
 */
export function inColumns(entries: readonly Entry[]): Entry[] {
  const perEntry = entries.map(entryArrays);
  const columns = entryFieldNames().map((name, f): Column => {
    const values = perEntry.map((arrays) => arrays[f]?.[1]);
    return values.every((value) => value instanceof Uint32Array)
      ? columnOf(values as Uint32Array[])
      : plainColumn(values, values.length, name);
  });
  const byRole = columnsByRole(columns);
  return entries.map((entry, at) => new ColumnEntry(entry.id, entry.paragraph, at, byRole));
}

/** The per-entry fields of a batch of entries or of a loaded snapshot, by role (see `entryArrays`). */
export interface EntryColumns {
  record: ReadonlyArray<readonly [string, Column]>;
  context: Column[];
  counted: Column;
}

/** The columns of {@link entryFieldNames}, in that order, by role. */
export function columnsByRole(columns: readonly Column[]): EntryColumns {
  const names = entryFieldNames();
  return {
    record: names.flatMap((name, i) =>
      name.startsWith(RECORD_PREFIX)
        ? [[name.slice(RECORD_PREFIX.length), columns[i] as Column] as const]
        : [],
    ),
    context: names.flatMap((name, i) => (name.startsWith(CONTEXT_PREFIX) ? [columns[i] as Column] : [])),
    counted: columns[names.indexOf('counted')] as Column,
  };
}

/**
 * An entry whose arrays are views of per-field columns, made each time they are read (see the top of
 * this file), rather than ten views kept per entry: entries loaded from a snapshot, and entries made by
 * `inColumns`.
 */
export class ColumnEntry implements Entry {
  readonly id: number;
  readonly paragraph: Paragraph;
  readonly #at: number;
  readonly #columns: EntryColumns;

  constructor(id: number, paragraph: Paragraph, at: number, columns: EntryColumns) {
    this.id = id;
    this.paragraph = paragraph;
    this.#at = at;
    this.#columns = columns;
  }

  get record(): PartRecord {
    const made: Record<string, unknown> = {};
    for (const [name, column] of this.#columns.record) made[name] = column(this.#at);
    return made as unknown as PartRecord;
  }

  get context(): Uint32Array[] {
    return this.#columns.context.map((column) => column(this.#at) as Uint32Array);
  }

  get counted(): Uint32Array {
    return this.#columns.counted(this.#at) as Uint32Array;
  }
}

const RECORD_PREFIX = 'record.';
const CONTEXT_PREFIX = 'context.';

/**
 * Every per-entry array, named: the record's fields (whatever records.ts puts in a record), the context
 * term ids and the counted ids. A snapshot saves them by these names, so a record field added later is
 * saved and checked without a change here.
 */
export function entryArrays(entry: Entry): Array<[string, unknown]> {
  return [
    ...Object.entries(entry.record).map(([name, value]): [string, unknown] => [RECORD_PREFIX + name, value]),
    ...entry.context.map((ids, i): [string, unknown] => [CONTEXT_PREFIX + i, ids]),
    ['counted', entry.counted],
  ];
}

let fieldNames: string[] | undefined;

/** The names of `entryArrays` for this build of the code (a snapshot with other names is rebuilt). */
export function entryFieldNames(): string[] {
  if (fieldNames === undefined) {
    const empty = { terms: [], starts: [], ends: [], sentences: [] };
    const record = recordOf(empty, 0, 0, 0, new Vocabulary());
    const sample: Entry = {
      id: 0,
      paragraph: { documentId: '', scope: '', number: 1, part: 1, parts: 1, section: '', start: 0, end: 0 },
      record,
      context: [new Uint32Array(0), new Uint32Array(0)],
      counted: new Uint32Array(0),
    };
    fieldNames = entryArrays(sample).map(([name]) => name);
  }
  return fieldNames;
}
