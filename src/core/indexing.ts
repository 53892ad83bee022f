/**
 * A document into index entries: its paragraphs and their records computed first (`preparing`), then
 * entries and what MiniSearch indexes for them (`staging`), then made visible at once (`reveal`). Each is
 * a step-wise generator so `addAsync` can yield between blocks; `drain` runs one at once.
 */
import type { Analysis } from './analyzer.ts';
import { VerbatimError } from './errors.ts';
import {
  keyOf,
  type Entry,
  type IndexedDocument,
  type IndexedFields,
  type IndexState,
} from './index-state.ts';
import { partition } from './paragraphs.ts';
import { recordOf, type PartRecord } from './records.ts';
import { segmentInWindows } from './segment-windows.ts';
import { inColumns } from './snapshot/columns.ts';
import type { Paragraph, Scope, SourceDocument } from './types.ts';

export interface PreparedPart {
  paragraph: Paragraph;
  record: PartRecord;
  sectionIds: Uint32Array;
  titleIds: Uint32Array;
}

export interface PreparedDocument {
  document: SourceDocument;
  paragraphs: Paragraph[];
  parts: PreparedPart[];
}

/**
 * Parts whose arrays share one buffer: large enough to save the per-array allocations, small enough that
 * copying one batch fits in a slice of `addAsync`.
 */
const COMPACT_BATCH = 256;
/** The MiniSearch scope of entries still being added: no question's filter accepts it. */
export const HIDDEN_SCOPE: Scope = '\u0000adding';

/** Runs a step-wise computation to its end at once. */
export function drain<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}

/**
 * Everything about a document that can be computed before touching the index, one body block per
 * step (so `addAsync` can yield between blocks; `drain` runs it at once).
 */
export function* preparing(
  state: IndexState,
  document: SourceDocument,
): Generator<void, PreparedDocument, void> {
  const { scope, id, title } = document.meta;
  const text = document.text;
  const titleIds = termIdsOf(state, title);
  const paragraphs: Paragraph[] = [];
  const parts: PreparedPart[] = [];
  let section = '';
  let sectionIds: Uint32Array = new Uint32Array(0);
  let number = 0;
  for (const blocks of segmentInWindows(text)) {
    yield;
    for (const block of blocks) {
      if (block.kind === 'heading') {
        section = text.slice(block.start, block.end);
        sectionIds = termIdsOf(state, section);
        continue;
      }
      if (block.kind !== 'body') continue;
      number++;
      const analysis: Analysis = state.analyzer.analyze(text.slice(block.start, block.end));
      const sentenceStarts = analysis.sentences.filter((_, i) => i % 2 === 0).map((at) => at + block.start);
      const ranges = partition(text, block.start, block.end, sentenceStarts, state.options.maxPartChars);
      ranges.forEach(([start, end], index) => {
        const paragraph: Paragraph = {
          documentId: id,
          scope,
          number,
          part: index + 1,
          parts: ranges.length,
          section,
          start,
          end,
        };
        paragraphs.push(paragraph);
        parts.push({
          paragraph,
          record: recordOf(analysis, block.start, start, end, state.vocabulary),
          sectionIds,
          titleIds,
        });
      });
      yield;
    }
  }
  if (paragraphs.length === 0) {
    throw new VerbatimError(
      'EMPTY_DOCUMENT',
      `The document "${id}" has no paragraph of text to quote (only headings, page furniture or nothing at all); check that the right file or text was given.`,
    );
  }
  return { document, paragraphs, parts };
}

/**
 * The entries of a prepared document and what MiniSearch indexes for them, with entry ids given out;
 * nothing is visible yet. The entries' arrays are copied into columns per batch of
 * {@link COMPACT_BATCH} parts (see `inColumns`).
 */
export function* staging(
  state: IndexState,
  prepared: PreparedDocument,
  indexScope: Scope,
): Generator<void, { entries: Entry[]; fields: IndexedFields[] }, void> {
  const { parts } = prepared;
  const entries: Entry[] = [];
  const fields: IndexedFields[] = [];
  for (const { paragraph, record, sectionIds, titleIds } of parts) {
    const id = state.nextEntryId++;
    const counted = Uint32Array.from(new Set([...record.distinct, ...sectionIds, ...titleIds]));
    entries.push({
      id,
      paragraph,
      record,
      context: [sectionIds, titleIds],
      counted,
    });
    fields.push({
      id,
      text: joined(state, record.termIds),
      section: joined(state, sectionIds),
      title: joined(state, titleIds),
      scope: indexScope,
      documentId: paragraph.documentId,
    });
    if (entries.length % COMPACT_BATCH === 0) {
      entries.splice(-COMPACT_BATCH, COMPACT_BATCH, ...inColumns(entries.slice(-COMPACT_BATCH)));
      yield;
    } else if (entries.length % 64 === 0) {
      yield;
    }
  }
  const rest = entries.length % COMPACT_BATCH;
  if (rest > 0) entries.splice(-rest, rest, ...inColumns(entries.slice(-rest)));
  return { entries, fields };
}

/** Makes staged entries (already in MiniSearch) answerable, all at once. */
export function reveal(state: IndexState, prepared: PreparedDocument, entries: Entry[]): void {
  const { document, paragraphs } = prepared;
  for (const entry of entries) {
    state.entries.set(entry.id, entry);
    state.vocabulary.count(entry.counted, 1);
  }
  state.documents.set(keyOf(document.meta.scope, document.meta.id), { document, paragraphs, entries });
}

export function drop(state: IndexState, indexed: IndexedDocument): void {
  for (const entry of indexed.entries) {
    state.index.discard(entry.id);
    state.entries.delete(entry.id);
    state.vocabulary.count(entry.counted, -1);
  }
  const { scope, id } = indexed.document.meta;
  state.documents.delete(keyOf(scope, id));
}

function termIdsOf(state: IndexState, text: string): Uint32Array {
  return Uint32Array.from(state.analyzer.terms(text).map((term) => state.vocabulary.intern(term)));
}

function joined(state: IndexState, ids: Uint32Array): string {
  return Array.from(ids, (id) => state.vocabulary.term(id)).join(' ');
}
