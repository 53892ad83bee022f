/**
 * An index's state to a snapshot and back: the documents' entries (paragraph numbers, records, context
 * and counted ids, per field in columns), the vocabulary and MiniSearch's packed index. The layout is
 * format.ts; the packing of arrays codec.ts; of MiniSearch index-packing.ts.
 */
import type { Analyzer } from '../analyzer.ts';
import {
  keyOf,
  miniSearchOptions,
  storedFieldsOf,
  type Entry,
  type IndexedFields,
  type IndexState,
} from '../index-state.ts';
import type { Paragraph, SourceDocument } from '../types.ts';
import { packArrays, SnapshotError, unpackArrays } from './codec.ts';
import {
  ColumnEntry,
  columnsByRole,
  entryArrays,
  entryFieldNames,
  packedColumn,
  plainColumn,
  type Column,
} from './columns.ts';
import {
  contentKeyOf,
  PARAGRAPH_NUMBERS,
  SNAPSHOT_FORMAT,
  type EngineSnapshot,
  type PlainField,
} from './format.ts';
import { packIndex, unpackIndex } from './index-packing.ts';

/**
 * The index as plain JSON-ready data, to be given back to {@link loadSnapshot} with the same documents:
 * MiniSearch's `toJSON()`, the vocabulary, and every paragraph part's offsets and record packed into
 * base64 typed arrays. Document texts are not included (they are stored anyway). Throws when an
 * `addAsync` is still in progress (its half-indexed entries would be saved).
 */
export function saveSnapshot(state: IndexState): EngineSnapshot {
  if (state.pending.size > 0)
    throw new Error('SearchEngine.toSnapshot: wait for addAsync/replaceAsync to settle first.');
  const documents: EngineSnapshot['documents'] = [];
  const ordered: Entry[] = [];
  for (const { document, entries } of state.documents.values()) {
    documents.push([document.meta.scope, document.meta.id, entries.length]);
    ordered.push(...entries);
  }
  const sections: string[] = [];
  const sectionIndex = new Map<string, number>();
  const paragraphs = new Uint32Array(ordered.length * PARAGRAPH_NUMBERS);
  ordered.forEach((entry, i) => {
    const { number, part, parts, section, start, end } = entry.paragraph;
    let index = sectionIndex.get(section);
    if (index === undefined) {
      index = sections.length;
      sectionIndex.set(section, index);
      sections.push(section);
    }
    paragraphs.set([entry.id, number, part, parts, index, start, end], i * PARAGRAPH_NUMBERS);
  });
  const perEntry = ordered.map(entryArrays);
  const fields: EngineSnapshot['fields'] = [];
  const plainFields: PlainField[] = [];
  entryFieldNames().forEach((name, f) => {
    const values = perEntry.map((arrays) => arrays[f]?.[1]);
    if (values.every((value) => value instanceof Uint32Array)) {
      fields.push({ name, packed: packArrays(values as Uint32Array[]) });
    } else {
      plainFields.push(plainFieldOf(name, values));
    }
  });
  return {
    format: SNAPSHOT_FORMAT,
    settings: snapshotSettings(state),
    contentKey: contentKeyOf([...state.documents.values()].map(({ document }) => document)),
    documents,
    terms: Array.from({ length: state.vocabulary.size }, (_, id) => state.vocabulary.term(id)),
    sections,
    paragraphs: packArrays([paragraphs]),
    fields,
    plainFields,
    nextEntryId: state.nextEntryId,
    index: packIndex(state.index, (id) => storedFieldsOf(state, id)),
  };
}

/** What a snapshot must have been made under to be loaded by an engine with these settings. */
export function snapshotSettings(state: { options: IndexState['options']; analyzer: Analyzer }): string {
  return JSON.stringify({
    analyzer: state.analyzer.signature,
    maxPartChars: state.options.maxPartChars,
    fields: entryFieldNames(),
  });
}

/**
 * Fills an empty state from a snapshot whose outline, settings and content key were checked; throws
 * SnapshotError 'corrupt' when its parts do not fit together or with `documents`.
 */
export function loadSnapshot(
  state: IndexState,
  snapshot: EngineSnapshot,
  documents: readonly SourceDocument[],
): void {
  const byKey = new Map(
    documents.map((document) => [keyOf(document.meta.scope, document.meta.id), document]),
  );
  snapshot.terms.forEach((term, id) => {
    if (typeof term !== 'string' || state.vocabulary.intern(term) !== id)
      throw new SnapshotError('corrupt', 'its vocabulary repeats a term');
  });
  const total = snapshot.documents.reduce((sum, [, , count]) => sum + count, 0);
  const numbers = unpackArrays(snapshot.paragraphs, 1)[0] as Uint32Array;
  if (numbers.length !== total * PARAGRAPH_NUMBERS)
    throw new SnapshotError('corrupt', 'its paragraphs do not match its documents');
  const names = entryFieldNames();
  const columns = names.map((name): Column => {
    const packed = snapshot.fields.find((field) => field.name === name);
    if (packed !== undefined) return packedColumn(packed.packed, total);
    const plain = snapshot.plainFields.find((field) => field.name === name);
    if (plain === undefined) throw new SnapshotError('corrupt', `its field "${name}" is missing`);
    return plainColumn(plainValuesOf(plain, total), total, name);
  });
  const entryColumns = columnsByRole(columns);
  let at = 0;
  for (const [scope, id, count] of snapshot.documents) {
    const document = byKey.get(keyOf(scope, id));
    if (document === undefined) throw new SnapshotError('corrupt', `it lists a document "${id}" not given`);
    const paragraphs: Paragraph[] = [];
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++, at++) {
      const base = at * PARAGRAPH_NUMBERS;
      const section = snapshot.sections[numbers[base + 4] as number];
      const paragraph: Paragraph = {
        documentId: id,
        scope,
        number: numbers[base + 1] as number,
        part: numbers[base + 2] as number,
        parts: numbers[base + 3] as number,
        section: typeof section === 'string' ? section : '',
        start: numbers[base + 5] as number,
        end: numbers[base + 6] as number,
      };
      if (
        typeof section !== 'string' ||
        paragraph.start > paragraph.end ||
        paragraph.end > document.text.length
      )
        throw new SnapshotError('corrupt', 'a paragraph lies outside its document');
      const entry = new ColumnEntry(numbers[base] as number, paragraph, at, entryColumns);
      paragraphs.push(paragraph);
      entries.push(entry);
      state.entries.set(entry.id, entry);
      state.vocabulary.count(entry.counted, 1);
    }
    state.documents.set(keyOf(scope, id), { document, paragraphs, entries });
  }
  state.index = unpackIndex<IndexedFields>(snapshot.index, miniSearchOptions(state.options), (id) =>
    storedFieldsOf(state, id),
  );
  if (state.index.documentCount !== total)
    throw new SnapshotError('corrupt', 'its index does not hold its paragraphs');
  state.nextEntryId = snapshot.nextEntryId;
}

/** Typed arrays other than Uint32Array that a record may hold, by constructor name. */
const TYPED_ARRAYS = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint16Array,
  Int16Array,
  Uint8Array,
  Int8Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function plainFieldOf(name: string, values: unknown[]): PlainField {
  const first = values[0];
  const typed = Object.entries(TYPED_ARRAYS).find(([, constructor]) => first instanceof constructor)?.[0];
  if (typed === undefined) return { name, values };
  return { name, typedArray: typed, values: values.map((value) => Array.from(value as ArrayLike<number>)) };
}

function plainValuesOf(field: PlainField, count: number): unknown[] {
  if (!Array.isArray(field.values) || field.values.length !== count)
    throw new SnapshotError('corrupt', `its field "${field.name}" has the wrong length`);
  if (field.typedArray === undefined) return field.values;
  const constructor = TYPED_ARRAYS[field.typedArray as TypedArrayName];
  if (constructor === undefined)
    throw new SnapshotError('corrupt', `its field "${field.name}" has an unknown type`);
  return field.values.map((value) => constructor.from(value as ArrayLike<number>));
}
