/**
 * One server's (scope's) share of the index as a snapshot, so a server's index can leave memory and come
 * back without running the analyzer again: its documents' paragraph parts with their records, the
 * section and title term ids, and the terms those ids stand for. Unlike the whole-engine snapshot
 * (engine-snapshot.ts) it does not carry MiniSearch's postings: the scope is loaded into an engine that
 * already holds other scopes, so its entries get that engine's ids and terms and are added to its
 * MiniSearch like freshly analysed ones (adding pre-analysed terms is the cheap part of a build; wink-nlp
 * is the dear one).
 */
import { keyOf, type IndexState } from '../index-state.ts';
import type { PreparedDocument, PreparedPart } from '../indexing.ts';
import type { PartRecord } from '../records.ts';
import type { Paragraph, Scope, SourceDocument } from '../types.ts';
import { SnapshotError } from './codec.ts';
import { contentKeyOf } from './format.ts';
import { snapshotSettings } from './engine-snapshot.ts';

/** Bumped whenever the layout below changes; other formats are rebuilt, never read. */
export const SCOPE_SNAPSHOT_FORMAT = 1;

/** The record fields that hold term ids (renumbered on load); every other field holds offsets. */
const TERM_ID_FIELDS = new Set(['termIds', 'distinct']);

interface ScopePart {
  /** number, part, parts, start, end */
  at: [number, number, number, number, number];
  section: string;
  record: Record<string, number[]>;
  sectionIds: number[];
  titleIds: number[];
}

export interface ScopeSnapshot {
  format: number;
  kind: 'scope';
  /** As the engine snapshot's: analyzer, part size and record layout. */
  settings: string;
  scope: Scope;
  /** {@link contentKeyOf} the scope's documents: any added, removed or changed text or title makes it stale. */
  contentKey: string;
  /** The terms the part's ids refer to (ids local to this snapshot). */
  terms: string[];
  documents: Array<{ id: string; parts: ScopePart[] }>;
}

/** The scope's documents as a {@link ScopeSnapshot}. Throws while one of its documents is still being added. */
export function saveScope(state: IndexState, scope: Scope): ScopeSnapshot {
  const prefix = keyOf(scope, '');
  if ([...state.pending].some((key) => key.startsWith(prefix)))
    throw new Error('SearchEngine.scopeSnapshot: wait for addAsync/replaceAsync to settle first.');
  const local = new Map<number, number>();
  const terms: string[] = [];
  const localIds = (ids: Uint32Array): number[] =>
    Array.from(ids, (id) => {
      let mapped = local.get(id);
      if (mapped === undefined) {
        mapped = terms.length;
        local.set(id, mapped);
        terms.push(state.vocabulary.term(id));
      }
      return mapped;
    });
  const documents: ScopeSnapshot['documents'] = [];
  const sources: SourceDocument[] = [];
  for (const { document, entries } of state.documents.values()) {
    if (document.meta.scope !== scope) continue;
    sources.push(document);
    documents.push({
      id: document.meta.id,
      parts: entries.map(({ paragraph, record, context }) => {
        const fields: Record<string, number[]> = {};
        for (const [name, value] of Object.entries(record)) {
          const array = value as Uint32Array;
          fields[name] = TERM_ID_FIELDS.has(name) ? localIds(array) : Array.from(array);
        }
        const { number, part, parts, start, end, section } = paragraph;
        return {
          at: [number, part, parts, start, end],
          section,
          record: fields,
          sectionIds: localIds(context[0] ?? new Uint32Array(0)),
          titleIds: localIds(context[1] ?? new Uint32Array(0)),
        };
      }),
    });
  }
  return {
    format: SCOPE_SNAPSHOT_FORMAT,
    kind: 'scope',
    settings: snapshotSettings(state),
    scope,
    contentKey: contentKeyOf(sources),
    terms,
    documents,
  };
}

/**
 * The prepared documents (as `preparing` would make them from the texts) of a parsed scope snapshot, with
 * term ids of `state`'s vocabulary. `documents` are the scope's stored documents now. Throws SnapshotError
 * 'version' (other format or settings), 'stale' (other documents) or 'corrupt'; nothing of the index
 * changes (only unused terms may join the vocabulary).
 */
export function prepareScope(
  state: IndexState,
  value: unknown,
  scope: Scope,
  documents: readonly SourceDocument[],
): PreparedDocument[] {
  if (typeof value !== 'object' || value === null) throw corrupt('it is not an object');
  const snapshot = value as Partial<ScopeSnapshot>;
  if (snapshot.kind !== 'scope' || snapshot.format !== SCOPE_SNAPSHOT_FORMAT)
    throw new SnapshotError('version', `it is not a server snapshot of format ${SCOPE_SNAPSHOT_FORMAT}`);
  if (snapshot.settings !== snapshotSettings(state))
    throw new SnapshotError('version', 'it was made with other analysis settings, index options or layout');
  if (snapshot.scope !== scope) throw corrupt('it belongs to another server');
  if (snapshot.contentKey !== contentKeyOf(documents))
    throw new SnapshotError('stale', 'the documents changed since it was made');
  if (!Array.isArray(snapshot.terms) || !Array.isArray(snapshot.documents))
    throw corrupt('its terms or documents are missing');
  const terms = snapshot.terms;
  const global: number[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') throw corrupt('a term is not text');
    global.push(state.vocabulary.intern(term));
  }
  const toGlobal = (ids: unknown): Uint32Array => {
    if (!Array.isArray(ids)) throw corrupt('a list of term ids is missing');
    return Uint32Array.from(ids, (id: unknown) => {
      const mapped = typeof id === 'number' ? global[id] : undefined;
      if (mapped === undefined) throw corrupt('a term id is out of range');
      return mapped;
    });
  };
  const byKey = new Map(documents.map((document) => [keyOf(scope, document.meta.id), document]));
  if (snapshot.documents.length !== byKey.size) throw corrupt('it lists other documents');
  return snapshot.documents.map(({ id, parts }) => {
    const document = byKey.get(keyOf(scope, id));
    if (document === undefined || !Array.isArray(parts) || parts.length === 0)
      throw corrupt(`its document "${String(id)}" does not fit`);
    const titleIds = toGlobal(parts[0]?.titleIds);
    const paragraphs: Paragraph[] = [];
    const prepared: PreparedPart[] = parts.map((part) => {
      const [number, index, count, start, end] = Array.isArray(part.at) ? part.at : [];
      if (
        ![number, index, count, start, end].every(Number.isInteger) ||
        typeof part.section !== 'string' ||
        (start as number) > (end as number) ||
        (end as number) > document.text.length
      )
        throw corrupt('a paragraph lies outside its document');
      const paragraph: Paragraph = {
        documentId: id,
        scope,
        number: number as number,
        part: index as number,
        parts: count as number,
        section: part.section,
        start: start as number,
        end: end as number,
      };
      paragraphs.push(paragraph);
      return {
        paragraph,
        record: recordFrom(part.record, toGlobal),
        sectionIds: toGlobal(part.sectionIds),
        titleIds,
      };
    });
    return { document, paragraphs, parts: prepared };
  });
}

function recordFrom(value: unknown, toGlobal: (ids: unknown) => Uint32Array): PartRecord {
  if (typeof value !== 'object' || value === null) throw corrupt('a record is missing');
  const record: Record<string, Uint32Array> = {};
  for (const [name, array] of Object.entries(value)) {
    if (!Array.isArray(array)) throw corrupt(`a record's "${name}" is not a list`);
    record[name] = TERM_ID_FIELDS.has(name) ? toGlobal(array) : Uint32Array.from(array as number[]);
  }
  // The settings (checked above) fix the field names; lengths must still agree.
  const { starts, ends, termIds } = record;
  if (starts === undefined || ends === undefined || termIds === undefined)
    throw corrupt('a record lacks its tokens');
  if (starts.length !== ends.length || starts.length !== termIds.length)
    throw corrupt("a record's tokens do not line up");
  return record as unknown as PartRecord;
}

function corrupt(why: string): SnapshotError {
  return new SnapshotError('corrupt', why);
}
