/**
 * What an index holds, in one object the engine owns and every stage reads: the documents, their entries
 * (one per paragraph part), the vocabulary and MiniSearch. The engine changes it; indexing, the /ask
 * pipeline and snapshots are functions of it, each in its own module.
 */
import type MiniSearch from 'minisearch';
import type { Options } from 'minisearch';
import type { Analyzer } from './analyzer.ts';
import type { EngineOptions } from './options.ts';
import type { PartRecord } from './records.ts';
import type { Paragraph, Scope, SourceDocument } from './types.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface IndexedDocument {
  document: SourceDocument;
  paragraphs: Paragraph[];
  entries: Entry[];
}

export interface Entry {
  id: number;
  paragraph: Paragraph;
  record: PartRecord;
  /** Term ids of the part's section heading and of its document's title. */
  context: Uint32Array[];
  /** Distinct term ids over text, section and title: what the document frequencies count. */
  counted: Uint32Array;
}

/** What MiniSearch indexes per part: the analyzer's terms, joined by spaces. */
export interface IndexedFields {
  id: number;
  text: string;
  section: string;
  title: string;
  scope: Scope;
  documentId: string;
}

export interface IndexState {
  readonly options: Readonly<EngineOptions>;
  readonly analyzer: Analyzer;
  readonly vocabulary: Vocabulary;
  index: MiniSearch<IndexedFields>;
  /** (scope, id) of documents being added by `addAsync`: reserved, not yet visible. */
  readonly pending: Set<string>;
  /** By {@link keyOf}. */
  readonly documents: Map<string, IndexedDocument>;
  readonly entries: Map<number, Entry>;
  nextEntryId: number;
}

export const keyOf = (scope: Scope, id: string): string => `${scope}\u0000${id}`;

const splitTerms = (text: string): string[] => (text === '' ? [] : text.split(' '));
const keepTerm = (term: string): string => term;

export function miniSearchOptions(options: EngineOptions): Options<IndexedFields> {
  return {
    idField: 'id',
    fields: ['text', 'section', 'title'],
    storeFields: ['scope', 'documentId'],
    // The analyzer already produced the terms: MiniSearch only splits them back apart.
    tokenize: splitTerms,
    processTerm: keepTerm,
    searchOptions: {
      tokenize: splitTerms,
      processTerm: keepTerm,
      prefix: false,
      fuzzy: false,
      combineWith: 'OR',
      bm25: options.bm25,
      boost: options.boost,
    },
    // MiniSearch's defaults: vacuum in the background once 10% of entries (and at least 20) are discarded.
    autoVacuum: true,
  };
}

/**
 * What MiniSearch stores for an indexed entry (the `storeFields` of {@link miniSearchOptions}), so a
 * snapshot need not carry them: they follow from the entry's paragraph.
 */
export function storedFieldsOf(state: IndexState, id: number): Record<string, unknown> | undefined {
  const paragraph = state.entries.get(id)?.paragraph;
  return paragraph === undefined ? undefined : { scope: paragraph.scope, documentId: paragraph.documentId };
}
