/**
 * The shape of an index snapshot and the key that says which documents and rules it was made from.
 * `SearchEngine.toSnapshot()` fills it and `SearchEngine.fromSnapshot()` checks and loads it; this module
 * only knows the format, so the engine keeps its internals to itself.
 */
import type { PackedIndex } from './index-packing.ts';
import { ContentHash, SnapshotError, type PackedArrays } from './codec.ts';
import type { Scope, SourceDocument } from '../types.ts';

/** Bumped whenever the layout below changes; other formats are rebuilt, never read. */
export const SNAPSHOT_FORMAT = 2;

/** One typed-array field of every entry, packed (see `packArrays`). */
export interface PackedField {
  name: string;
  packed: PackedArrays;
}

/** A field of every entry that is not a Uint32Array: kept as JSON, one value per entry. */
export interface PlainField {
  name: string;
  /** For a typed array other than Uint32Array, its constructor's name; absent for plain JSON values. */
  typedArray?: string;
  values: unknown[];
}

export interface EngineSnapshot {
  format: number;
  /**
   * The analyzer's signature, the index options and the layout of the entries: a snapshot made under
   * other settings is rebuilt. Search-time options (BM25, boosts, re-ranking) are not part of it.
   */
  settings: string;
  /** Hash of every document's scope, id, title and text (see {@link contentKeyOf}). */
  contentKey: string;
  /** Documents in index order: scope, id, and how many entries (paragraph parts) each has. */
  documents: Array<[Scope, string, number]>;
  /** The vocabulary's terms, in id order. */
  terms: string[];
  /** Section headings used by the paragraphs (each paragraph refers to one by index). */
  sections: string[];
  /** Per entry, {@link PARAGRAPH_NUMBERS} numbers: entry id, paragraph number, part, parts, section index, start, end. */
  paragraphs: PackedArrays;
  /** The per-entry arrays: the record's fields, the context term ids and the counted ids. */
  fields: PackedField[];
  plainFields: PlainField[];
  nextEntryId: number;
  /** MiniSearch's index: its `toJSON()` with the postings packed (see index-packing.ts). */
  index: PackedIndex;
}

/** The numbers kept per entry in `EngineSnapshot.paragraphs`, in this order. */
export const PARAGRAPH_NUMBERS = 7;

/**
 * The content key of a set of documents: independent of their order, sensitive to each one's scope, id,
 * title and text (the metadata that shapes the index; a changed url or publisher needs no rebuild, since
 * the documents themselves are given again on load).
 */
export function contentKeyOf(documents: readonly SourceDocument[]): string {
  const each = documents.map(({ meta, text }) => {
    const hash = new ContentHash().update(meta.scope).update(meta.id).update(meta.title).update(text);
    return `${meta.scope}\u0000${meta.id}\u0000${hash.digest()}`;
  });
  each.sort();
  const key = new ContentHash().update(String(each.length));
  for (const line of each) key.update(line);
  return key.digest();
}

/**
 * The snapshot as JSON text in plain ASCII: every other character (a term or a heading in another script)
 * written as a `\uXXXX` escape. JSON.parse gives the same value back; but a file with one non-ASCII
 * character decodes into a two-byte string of the whole file, which at 100,000 paragraphs took about
 * four times as long to decode and a third longer to parse than the ASCII file does.
 */
export function snapshotJson(snapshot: object): string {
  return JSON.stringify(snapshot).replace(NON_ASCII, escapeUnit);
}

const NON_ASCII = /[\u0080-\uffff]/g;
const escapeUnit = (unit: string): string => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Checks the outline of a parsed snapshot before anything is decoded; throws SnapshotError. */
export function checkOutline(value: unknown): EngineSnapshot {
  if (typeof value !== 'object' || value === null) throw corrupt('it is not an object');
  const snapshot = value as Partial<EngineSnapshot>;
  if (snapshot.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      'version',
      `it has format ${String(snapshot.format)}, and this version reads format ${SNAPSHOT_FORMAT}`,
    );
  }
  const arrays: Array<keyof EngineSnapshot> = ['documents', 'terms', 'sections', 'fields', 'plainFields'];
  for (const name of arrays) if (!Array.isArray(snapshot[name])) throw corrupt(`its "${name}" is missing`);
  if (typeof snapshot.settings !== 'string' || typeof snapshot.contentKey !== 'string')
    throw corrupt('its key is missing');
  if (typeof snapshot.index !== 'object' || snapshot.index === null) throw corrupt('its index is missing');
  if (typeof snapshot.paragraphs !== 'object' || snapshot.paragraphs === null)
    throw corrupt('its paragraphs are missing');
  if (!Number.isInteger(snapshot.nextEntryId)) throw corrupt('its next entry id is missing');
  return snapshot as EngineSnapshot;
}

function corrupt(why: string): SnapshotError {
  return new SnapshotError('corrupt', why);
}
