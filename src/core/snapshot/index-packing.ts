/**
 * MiniSearch's index in a snapshot. MiniSearch's `toJSON()` writes every posting as a JSON property
 * (`{"12": {"0": {"4711": 2}}}`); at 100,000 paragraphs that is ~170 MB of JSON that takes seconds to
 * parse and turn back into Maps. Here the postings are packed instead: per field, for every term in the
 * index's own order, the entry ids and term frequencies as typed arrays in base64 (see `packArrays`).
 * Everything else is MiniSearch's `toJSON()` as it is (document ids, field lengths, average lengths,
 * stored fields, counts), loaded with `MiniSearch.loadJS`; every term is then put back into its term map
 * with postings that become Maps, in the saved order, the first time they are used. The loaded index is
 * the saved one, stale postings of discarded entries included (they affect scores until MiniSearch cleans
 * them up), and terms nobody asks about stay packed.
 *
 * This reads MiniSearch 7's internal term map; when it is missing, the postings go through
 * `toJSON()`/`loadJS` (slower, same result).
 */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { packArrays, SnapshotError, unpackArrays, unpackFlat, type PackedArrays } from './codec.ts';

export interface PackedIndex {
  /** MiniSearch's `toJSON()` with an empty `index`. */
  miniSearch: AsPlainObject;
  /** Every term of the index, in its iteration order. */
  terms: string[];
  /** Per field id present in the index: per term, the entry ids (MiniSearch short ids) and frequencies. */
  postings: Array<{ fieldId: number; ids: PackedArrays; frequencies: PackedArrays }>;
  /**
   * MiniSearch's per-entry tables, packed (three arrays: short ids, entry ids, and every entry's field
   * lengths in field id order), with its stored fields left out because `storedFieldsOf` gives them
   * back. Absent when the tables did not have that shape; then they are in `miniSearch` as `toJSON()`
   * writes them.
   */
  entries?: PackedArrays;
}

/** The stored fields MiniSearch keeps for an entry id, as the engine would give them to `add`. */
export type StoredFieldsOf = (id: number) => Record<string, unknown> | undefined;

type Postings = Map<number, Map<number, number>>;

interface Internals {
  _index: Iterable<[string, Postings]> & { set(term: string, data: Postings): unknown };
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _storedFields: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _dirtCount: number;
}

function internalsOf(index: MiniSearch): Internals | undefined {
  const internals = index as unknown as Partial<Internals>;
  const termMap = internals._index as Partial<Internals['_index']> | undefined;
  if (
    termMap === undefined ||
    typeof termMap.set !== 'function' ||
    typeof (termMap as Iterable<unknown>)[Symbol.iterator] !== 'function' ||
    !(internals._documentIds instanceof Map) ||
    !(internals._fieldLength instanceof Map) ||
    !(internals._storedFields instanceof Map) ||
    !(internals._idToShortId instanceof Map) ||
    typeof internals._documentCount !== 'number'
  ) {
    return undefined;
  }
  return internals as Internals;
}

export function packIndex(index: MiniSearch, storedFieldsOf: StoredFieldsOf): PackedIndex {
  const internals = internalsOf(index);
  let miniSearch: AsPlainObject;
  let entries: Iterable<[string, Postings]>;
  if (internals === undefined) {
    miniSearch = index.toJSON();
    entries = miniSearch.index.map(([term, data]): [string, Postings] => [
      term,
      new Map(
        Object.entries(data).map(([fieldId, postings]) => [
          Number(fieldId),
          new Map(Object.entries(postings).map(([id, frequency]) => [Number(id), frequency])),
        ]),
      ),
    ]);
  } else {
    // toJSON() without building the index part it would serialise.
    miniSearch = {
      documentCount: internals._documentCount,
      nextId: internals._nextId,
      documentIds: Object.fromEntries(internals._documentIds),
      fieldIds: internals._fieldIds,
      fieldLength: Object.fromEntries(internals._fieldLength),
      averageFieldLength: internals._avgFieldLength,
      storedFields: Object.fromEntries(internals._storedFields),
      dirtCount: internals._dirtCount,
      index: [],
      serializationVersion: 2,
    } as AsPlainObject;
    entries = internals._index;
  }
  const terms: string[] = [];
  const byField = new Map<number, { ids: Uint32Array[]; frequencies: Uint32Array[] }>();
  const fieldIds = Object.values(miniSearch.fieldIds);
  for (const fieldId of fieldIds) byField.set(fieldId, { ids: [], frequencies: [] });
  for (const [term, data] of entries) {
    terms.push(term);
    for (const fieldId of fieldIds) {
      const postings = data.get(fieldId);
      const field = byField.get(fieldId) as { ids: Uint32Array[]; frequencies: Uint32Array[] };
      field.ids.push(postings === undefined ? EMPTY : Uint32Array.from(postings.keys()));
      field.frequencies.push(postings === undefined ? EMPTY : Uint32Array.from(postings.values()));
    }
  }
  const tables = internals === undefined ? undefined : packEntries(internals, storedFieldsOf);
  return {
    miniSearch:
      tables === undefined
        ? { ...miniSearch, index: [] }
        : { ...miniSearch, index: [], documentIds: {}, fieldLength: {}, storedFields: {} },
    ...(tables === undefined ? {} : { entries: tables }),
    terms,
    postings: [...byField].map(([fieldId, field]) => ({
      fieldId,
      ids: packArrays(field.ids),
      frequencies: packArrays(field.frequencies),
    })),
  };
}

/**
 * MiniSearch's per-entry tables as three arrays (see `PackedIndex.entries`), or undefined when they do
 * not have the shape this expects: every entry with one whole-number length per field, and the stored
 * fields `storedFieldsOf` gives.
 */
function packEntries(internals: Internals, storedFieldsOf: StoredFieldsOf): PackedArrays | undefined {
  const fieldCount = Object.keys(internals._fieldIds).length;
  const count = internals._documentIds.size;
  if (internals._fieldLength.size !== count || internals._storedFields.size !== count) return undefined;
  const shortIds = new Uint32Array(count);
  const ids = new Uint32Array(count);
  const lengths = new Uint32Array(count * fieldCount);
  let i = 0;
  for (const [shortId, id] of internals._documentIds) {
    const fieldLengths = internals._fieldLength.get(shortId);
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || fieldLengths?.length !== fieldCount)
      return undefined;
    for (let f = 0; f < fieldCount; f++) {
      const length = fieldLengths[f];
      if (!Number.isInteger(length)) return undefined;
      lengths[i * fieldCount + f] = length as number;
    }
    if (!sameStoredFields(internals._storedFields.get(shortId), storedFieldsOf(id))) return undefined;
    shortIds[i] = shortId;
    ids[i] = id;
    i++;
  }
  return packArrays([shortIds, ids, lengths]);
}

function sameStoredFields(stored: unknown, expected: Record<string, unknown> | undefined): boolean {
  if (typeof stored !== 'object' || stored === null || expected === undefined) return false;
  const keys = Object.keys(stored);
  const expectedKeys = Object.keys(expected);
  return (
    keys.length === expectedKeys.length &&
    keys.every(
      (key, k) => key === expectedKeys[k] && (stored as Record<string, unknown>)[key] === expected[key],
    )
  );
}

/** Puts packed per-entry tables into a freshly loaded MiniSearch, as `loadJS` would have built them. */
function unpackEntries(internals: Internals, packed: PackedArrays, storedFieldsOf: StoredFieldsOf): void {
  const fieldCount = Object.keys(internals._fieldIds).length;
  const [shortIds, ids, lengths] = unpackArrays(packed, 3) as [Uint32Array, Uint32Array, Uint32Array];
  if (ids.length !== shortIds.length || lengths.length !== ids.length * fieldCount)
    throw new SnapshotError('corrupt', 'its index tables do not fit together');
  // In ascending short id order, as loadJS leaves them (it reads them from an object's integer keys);
  // MiniSearch gives short ids out in increasing order, so they are saved in that order already.
  for (let i = 0; i < shortIds.length; i++) {
    if (i > 0 && (shortIds[i] as number) <= (shortIds[i - 1] as number))
      throw new SnapshotError('corrupt', 'its index tables are out of order');
    const shortId = shortIds[i] as number;
    const id = ids[i] as number;
    const stored = storedFieldsOf(id);
    if (stored === undefined || internals._documentIds.has(shortId))
      throw new SnapshotError('corrupt', 'its index tables name an unknown or repeated entry');
    internals._documentIds.set(shortId, id);
    internals._idToShortId.set(id, shortId);
    const fieldLengths: number[] = [];
    for (let f = i * fieldCount; f < (i + 1) * fieldCount; f++) fieldLengths.push(lengths[f] as number);
    internals._fieldLength.set(shortId, fieldLengths);
    internals._storedFields.set(shortId, stored);
  }
}

/** The MiniSearch index back; throws SnapshotError 'corrupt' when the parts do not fit. */
export function unpackIndex<T>(
  packed: PackedIndex,
  options: Options<T>,
  storedFieldsOf: StoredFieldsOf,
): MiniSearch<T> {
  if (
    !Array.isArray(packed.terms) ||
    !Array.isArray(packed.postings) ||
    typeof packed.miniSearch !== 'object'
  )
    throw new SnapshotError('corrupt', 'its index is incomplete');
  const expected = Object.values(packed.miniSearch.fieldIds ?? {}).sort();
  const present = packed.postings.map(({ fieldId }) => fieldId).sort();
  if (expected.length === 0 || expected.join() !== present.join())
    throw new SnapshotError('corrupt', 'its index lacks the postings of a field');
  const count = packed.terms.length;
  const fields: FieldColumns[] = packed.postings.map(({ fieldId, ids, frequencies }) => {
    const idLists = unpackFlat(ids, count);
    const frequencyLists = unpackFlat(frequencies, count);
    if (idLists.values.length !== frequencyLists.values.length)
      throw new SnapshotError('corrupt', 'its postings do not pair up');
    const offsets = new Uint32Array(count + 1);
    for (let t = 0; t < count; t++) offsets[t + 1] = (offsets[t] as number) + (idLists.lengths[t] as number);
    return { fieldId, offsets, ids: idLists.values, frequencies: frequencyLists.values };
  });
  const termData = (t: number): Postings => new LazyPostings(fields, t);
  const index = MiniSearch.loadJS<T>({ ...packed.miniSearch, index: [] }, options);
  const internals = internalsOf(index);
  if (packed.entries !== undefined) {
    if (internals === undefined || internals._documentIds.size > 0)
      throw new SnapshotError('corrupt', 'its index tables cannot be read back');
    unpackEntries(internals, packed.entries, storedFieldsOf);
  }
  if (internals !== undefined && internals._documentIds.size !== internals._documentCount)
    throw new SnapshotError('corrupt', 'its index tables do not hold its entries');
  if (internals !== undefined) {
    // Each term's Maps are built the first time MiniSearch (or searchTop) looks at it: most terms are
    // never asked about, and building five million postings up front was most of the load time.
    packed.terms.forEach((term, t) => internals._index.set(term, termData(t)));
    return index;
  }
  const plainIndex = packed.terms.map((term, t): [string, Record<string, Record<string, number>>] => [
    term,
    Object.fromEntries(
      [...termData(t)].map(([fieldId, postings]) => [String(fieldId), Object.fromEntries(postings)]),
    ),
  ]);
  return MiniSearch.loadJS<T>({ ...packed.miniSearch, index: plainIndex }, options);
}

/**
 * Packs the live index's postings the way a snapshot load leaves them: per field, every term's entry ids
 * and frequencies in one typed array, each term's Maps rebuilt (in the same order) the first time it is
 * used. MiniSearch keeps one Map per term and field, which after a build is most of the engine's memory;
 * the index answers exactly as before. Returns false (and changes nothing) when MiniSearch's internals
 * are not the ones this module knows.
 */
export function compactIndex(index: MiniSearch): boolean {
  const internals = internalsOf(index);
  if (internals === undefined) return false;
  const terms: Array<[string, Postings]> = [...internals._index];
  const fields: FieldColumns[] = Object.values(internals._fieldIds).map((fieldId) => {
    const offsets = new Uint32Array(terms.length + 1);
    // Terms still packed from an earlier compaction or a snapshot are copied as they are, not unpacked.
    const packed = terms.map(([, data]) => (data instanceof LazyPostings ? data.packed(fieldId) : undefined));
    terms.forEach(([, data], t) => {
      const size = packed[t]?.ids.length ?? data.get(fieldId)?.size ?? 0;
      offsets[t + 1] = (offsets[t] as number) + size;
    });
    const total = offsets[terms.length] as number;
    const ids = new Uint32Array(total);
    const frequencies = new Uint32Array(total);
    terms.forEach(([, data], t) => {
      const at = offsets[t] as number;
      const slice = packed[t];
      if (slice !== undefined) {
        ids.set(slice.ids, at);
        frequencies.set(slice.frequencies, at);
        return;
      }
      const postings = data.get(fieldId);
      if (postings === undefined) return;
      let next = at;
      for (const [id, frequency] of postings) {
        ids[next] = id;
        frequencies[next] = frequency;
        next++;
      }
    });
    return { fieldId, offsets, ids, frequencies };
  });
  terms.forEach(([term], t) => internals._index.set(term, new LazyPostings(fields, t)));
  return true;
}

const EMPTY = new Uint32Array(0);

/** One field's postings for every term: term t's are `[offsets[t], offsets[t + 1])` of `ids`/`frequencies`. */
interface FieldColumns {
  fieldId: number;
  offsets: Uint32Array;
  ids: Uint32Array;
  frequencies: Uint32Array;
}

/**
 * A term's postings (field id → entry id → frequency) that become real Maps, in the saved order, the first
 * time anything reads or changes them; from then on it is an ordinary Map.
 */
class LazyPostings extends Map<number, Map<number, number>> {
  #fields: FieldColumns[] | undefined;
  readonly #term: number;

  constructor(fields: FieldColumns[], term: number) {
    super();
    this.#fields = fields;
    this.#term = term;
  }

  /** This term's postings in one field while they are still packed (views, not copies); else undefined. */
  packed(fieldId: number): { ids: Uint32Array; frequencies: Uint32Array } | undefined {
    const field = this.#fields?.find((columns) => columns.fieldId === fieldId);
    if (field === undefined) return undefined;
    const from = field.offsets[this.#term] as number;
    const to = field.offsets[this.#term + 1] as number;
    return { ids: field.ids.subarray(from, to), frequencies: field.frequencies.subarray(from, to) };
  }

  #load(): void {
    const fields = this.#fields;
    if (fields === undefined) return;
    this.#fields = undefined;
    for (const { fieldId, offsets, ids, frequencies } of fields) {
      const from = offsets[this.#term] as number;
      const to = offsets[this.#term + 1] as number;
      if (from === to) continue;
      const postings = new Map<number, number>();
      for (let i = from; i < to; i++) postings.set(ids[i] as number, frequencies[i] as number);
      super.set(fieldId, postings);
    }
  }

  override get size(): number {
    this.#load();
    return super.size;
  }

  override get(key: number): Map<number, number> | undefined {
    this.#load();
    return super.get(key);
  }

  override has(key: number): boolean {
    this.#load();
    return super.has(key);
  }

  override set(key: number, value: Map<number, number>): this {
    this.#load();
    return super.set(key, value);
  }

  override delete(key: number): boolean {
    this.#load();
    return super.delete(key);
  }

  override clear(): void {
    this.#fields = undefined;
    super.clear();
  }

  override forEach(
    callback: (value: Map<number, number>, key: number, map: Map<number, Map<number, number>>) => void,
    thisArg?: unknown,
  ): void {
    this.#load();
    super.forEach(callback, thisArg);
  }

  override keys(): MapIterator<number> {
    this.#load();
    return super.keys();
  }

  override values(): MapIterator<Map<number, number>> {
    this.#load();
    return super.values();
  }

  override entries(): MapIterator<[number, Map<number, number>]> {
    this.#load();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    this.#load();
    return super[Symbol.iterator]();
  }
}
