/**
 * The search engine: documents → numbered paragraphs → one MiniSearch entry per paragraph part →
 * ranked, highlighted passages, or a documented reason for not answering. This class holds the index's
 * state and changes it; how a document becomes entries is indexing.ts, how a question is answered is
 * ask/pipeline.ts, how the state is saved and loaded is snapshot/.
 */
import MiniSearch from 'minisearch';
import { createAnalyzer } from './analyzer.ts';
import * as pipeline from './ask/pipeline.ts';
import { compileGlossary, type GlossaryRule } from './ask/glossary.ts';
import { checkGlossaryEntry, type GlossaryEntry } from './glossary.ts';
import { paragraphPassage } from './ask/passage.ts';
import { userError, VerbatimError } from './errors.ts';
import {
  keyOf,
  miniSearchOptions,
  type IndexedDocument,
  type IndexedFields,
  type IndexState,
} from './index-state.ts';
import { drain, drop, HIDDEN_SCOPE, preparing, reveal, staging } from './indexing.ts';
import { resolveOptions, type EngineOptions, type EngineOptionsInput } from './options.ts';
import { paragraphCountOf } from './paragraphs.ts';
import { Slices } from './slices.ts';
import { SnapshotError } from './snapshot/codec.ts';
import { checkOutline, contentKeyOf, type EngineSnapshot } from './snapshot/format.ts';
import { compactIndex } from './snapshot/index-packing.ts';
import { loadSnapshot, saveSnapshot, snapshotSettings } from './snapshot/engine-snapshot.ts';
import { prepareScope, saveScope, type ScopeSnapshot } from './snapshot/scope-snapshot.ts';
import type { AskOptions, AskResult, Paragraph, Passage, Scope, SourceDocument } from './types.ts';
import { Vocabulary } from './vocabulary.ts';

export class SearchEngine {
  readonly options: Readonly<EngineOptions>;
  private readonly state: IndexState;

  constructor(options: EngineOptionsInput = {}) {
    this.options = resolveOptions(options);
    this.state = {
      options: this.options,
      analyzer: createAnalyzer(this.options.analyzer),
      vocabulary: new Vocabulary(),
      index: new MiniSearch<IndexedFields>(miniSearchOptions(this.options)),
      pending: new Set(),
      documents: new Map(),
      entries: new Map(),
      nextEntryId: 0,
    };
  }

  /** Documents indexed, in every scope. */
  get documentCount(): number {
    return this.state.documents.size;
  }

  /** Body paragraphs indexed, in every scope (a split paragraph counts once). */
  get paragraphCount(): number {
    let count = 0;
    for (const { paragraphs } of this.state.documents.values()) count += paragraphCountOf(paragraphs);
    return count;
  }

  /** See {@link saveSnapshot}: the index as JSON-ready data for {@link SearchEngine.fromSnapshot}. */
  toSnapshot(): EngineSnapshot {
    return saveSnapshot(this.state);
  }

  /**
   * An engine answering exactly like the one that made `snapshot` (with `toSnapshot`), without analysing
   * the documents again. `documents` are those the snapshot was made from, in any order (their texts are
   * quoted; their url, publisher... may have changed). `snapshot` is the parsed JSON, unchecked: throws
   * SnapshotError 'version' when it was made by another format, analyzer or index options, 'stale' when
   * the documents differ (added, removed, other text or title), 'corrupt' when its parts do not fit.
   */
  static fromSnapshot(
    snapshot: unknown,
    documents: readonly SourceDocument[],
    options: EngineOptionsInput = {},
  ): SearchEngine {
    const outline = checkOutline(snapshot);
    const engine = new SearchEngine(options);
    if (outline.settings !== snapshotSettings(engine.state)) {
      throw new SnapshotError('version', 'it was made with other analysis settings, index options or layout');
    }
    if (outline.contentKey !== contentKeyOf(documents)) {
      throw new SnapshotError('stale', 'the documents changed since it was made');
    }
    try {
      loadSnapshot(engine.state, outline, documents);
    } catch (error) {
      if (error instanceof SnapshotError) throw error;
      throw new SnapshotError(
        'corrupt',
        `it cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return engine;
  }

  /** See {@link saveScope}: one scope's documents as JSON-ready data for {@link addScopeSnapshot}. */
  scopeSnapshot(scope: Scope): ScopeSnapshot {
    return saveScope(this.state, scope);
  }

  /**
   * Indexes a scope's `documents` (none of them indexed yet) from the parsed snapshot `scopeSnapshot` made
   * of them, without analysing their texts: they answer exactly as if added one by one. Throws
   * SnapshotError 'version', 'stale' (other documents) or 'corrupt', and then indexes nothing.
   */
  addScopeSnapshot(snapshot: unknown, scope: Scope, documents: readonly SourceDocument[]): void {
    drain(this.addingScope(snapshot, scope, documents));
  }

  /**
   * `addScopeSnapshot` in slices: the snapshot is checked whole first (and nothing indexed when it does not
   * fit), then each document joins the index with a macrotask yield between slices, so questions to other
   * scopes keep being answered. A 10 MB server took about 2 s in one piece, long enough for a question
   * arriving meanwhile to miss Discord's 3 s (`npm run bench -- --only stored`). Callers keep the scope's
   * other changes out until it resolves (the library's queue of changes).
   */
  async addScopeSnapshotAsync(
    snapshot: unknown,
    scope: Scope,
    documents: readonly SourceDocument[],
  ): Promise<void> {
    await new Slices().drain(this.addingScope(snapshot, scope, documents));
  }

  /** The steps of both forms: the whole snapshot checked, then one document after the other. */
  private *addingScope(
    snapshot: unknown,
    scope: Scope,
    documents: readonly SourceDocument[],
  ): Generator<void, void, void> {
    const prepared = prepareScope(this.state, snapshot, scope, documents);
    for (const { document } of prepared) this.checkAddable(document);
    for (const one of prepared) {
      const staged = yield* staging(this.state, one, scope);
      this.state.index.addAll(staged.fields);
      reveal(this.state, one, staged.entries);
      yield;
    }
  }

  /**
   * Packs the index's postings into typed arrays, as a snapshot load leaves them (a term's Maps come back
   * the first time a question or a change touches it): answers are unchanged, and at 100,000 paragraphs
   * the heap after a build goes from 544 to 275 MB (docs/performance.md, "Memory layout"). Worth calling once after
   * adding many documents; it takes time proportional to the whole index, so not after every add.
   */
  compact(): void {
    compactIndex(this.state.index);
  }

  /**
   * Splits the document into paragraphs (blocks separated by blank lines; boilerplate dropped;
   * headings become the `section` of the paragraphs below them; long paragraphs split at sentence
   * boundaries) and indexes them. Throws VerbatimError DUPLICATE_DOCUMENT if (scope, id) exists (or is
   * being added by `addAsync`) and EMPTY_DOCUMENT if nothing quotable is left.
   */
  add(document: SourceDocument): readonly Paragraph[] {
    this.checkAddable(document);
    const prepared = drain(preparing(this.state, document));
    const staged = drain(staging(this.state, prepared, document.meta.scope));
    this.state.index.addAll(staged.fields);
    reveal(this.state, prepared, staged.entries);
    return prepared.paragraphs;
  }

  /** Replaces the text and metadata of the document with the same (scope, id); searchable at once. */
  replace(document: SourceDocument): readonly Paragraph[] {
    const previous = this.checkReplaceable(document);
    // Analyse first: a document that cannot be indexed leaves the old version in place.
    const prepared = drain(preparing(this.state, document));
    const staged = drain(staging(this.state, prepared, document.meta.scope));
    drop(this.state, previous);
    this.state.index.addAll(staged.fields);
    reveal(this.state, prepared, staged.entries);
    return prepared.paragraphs;
  }

  /**
   * `add` without blocking the event loop for long: the document is analysed and indexed in slices of
   * about `SLICE_MS` (slices.ts) with a macrotask yield between them, so questions keep being answered. The
   * document is invisible until it is complete, then appears at once: no question ever sees part of it.
   * While it is in progress its (scope, id) is reserved: `add`/`addAsync`/`replace*` of the same
   * document are refused (DUPLICATE_DOCUMENT), `remove` does not see it (UNKNOWN_DOCUMENT).
   */
  async addAsync(document: SourceDocument): Promise<readonly Paragraph[]> {
    this.checkAddable(document);
    return this.indexInSlices(document, undefined);
  }

  /** `replace` in slices, like `addAsync`: the old version answers until the new one is complete. */
  async replaceAsync(document: SourceDocument): Promise<readonly Paragraph[]> {
    const previous = this.checkReplaceable(document);
    return this.indexInSlices(document, previous);
  }

  /** Removes a document; it stops matching at once. Throws UNKNOWN_DOCUMENT when there is none. */
  remove(scope: Scope, id: string): void {
    const indexed = this.state.documents.get(keyOf(scope, id));
    if (indexed === undefined) throw unknownDocument(id);
    drop(this.state, indexed);
  }

  has(scope: Scope, id: string): boolean {
    return this.state.documents.has(keyOf(scope, id));
  }

  /** The documents of one scope, in the order they were indexed (a replaced one moves to the end). */
  documentsIn(scope: Scope): SourceDocument[] {
    const documents: SourceDocument[] = [];
    for (const { document } of this.state.documents.values())
      if (document.meta.scope === scope) documents.push(document);
    return documents;
  }

  /** Every indexed document, of every scope. */
  *allDocuments(): IterableIterator<SourceDocument> {
    for (const { document } of this.state.documents.values()) yield document;
  }

  document(scope: Scope, id: string): SourceDocument | undefined {
    return this.state.documents.get(keyOf(scope, id))?.document;
  }

  /** The document's paragraph parts in order; empty when there is no such document. */
  paragraphs(scope: Scope, id: string): readonly Paragraph[] {
    return this.state.documents.get(keyOf(scope, id))?.paragraphs ?? [];
  }

  /**
   * A paragraph (all its parts joined as one slice) as a Passage without highlights; its
   * `bestSentence` is the empty range `[0, 0]` since there is no question. `score` is 0.
   */
  passage(scope: Scope, id: string, paragraph: number): Passage | undefined {
    return paragraphPassage(this.state, scope, id, paragraph);
  }

  /** Glossary entries as rules for `AskOptions.glossary`, read by this index's analyzer. */
  compileGlossary(entries: readonly GlossaryEntry[]): GlossaryRule[] {
    return compileGlossary(this.state.analyzer, entries);
  }

  /** The entry normalised and checked against this index's analyzer (see `checkGlossaryEntry`). */
  checkGlossaryEntry(entry: GlossaryEntry): GlossaryEntry {
    return checkGlossaryEntry(this.state.analyzer, entry);
  }

  /** See {@link pipeline.ask}. */
  ask(question: string, options: AskOptions = {}): AskResult {
    return pipeline.ask(this.state, question, options);
  }

  /** See {@link pipeline.explain}. */
  explain(question: string, options: AskOptions = {}): pipeline.Explanation {
    return pipeline.explain(this.state, question, options);
  }

  private checkAddable(document: SourceDocument): void {
    const { scope, id } = document.meta;
    const key = keyOf(scope, id);
    if (this.state.documents.has(key) || this.state.pending.has(key)) {
      throw new VerbatimError(
        'DUPLICATE_DOCUMENT',
        `A document with the id "${id}" already exists; update it, or add this one under another id.`,
      );
    }
  }

  private checkReplaceable(document: SourceDocument): IndexedDocument {
    const { scope, id } = document.meta;
    const previous = this.state.documents.get(keyOf(scope, id));
    if (previous === undefined) throw unknownDocument(id);
    if (this.state.pending.has(keyOf(scope, id))) throw busyDocument(id);
    return previous;
  }

  private async indexInSlices(
    document: SourceDocument,
    previous: IndexedDocument | undefined,
  ): Promise<readonly Paragraph[]> {
    const { scope, id } = document.meta;
    const key = keyOf(scope, id);
    this.state.pending.add(key);
    try {
      const slices = new Slices();
      const prepared = await slices.drain(preparing(this.state, document));
      // Indexed under a scope no question searches, then switched over in one synchronous step.
      const staged = await slices.drain(staging(this.state, prepared, HIDDEN_SCOPE));
      for (const fields of staged.fields) {
        await slices.pause();
        this.state.index.add(fields);
      }
      if (previous !== undefined && this.state.documents.get(key) !== previous) {
        // Removed (or replaced) while this version was being prepared: it must not come back.
        for (const entry of staged.entries) this.state.index.discard(entry.id);
        throw unknownDocument(id);
      }
      for (const entry of staged.entries) {
        const stored = this.state.index.getStoredFields(entry.id);
        if (stored !== undefined) stored['scope'] = scope;
      }
      if (previous !== undefined) drop(this.state, previous);
      reveal(this.state, prepared, staged.entries);
      return prepared.paragraphs;
    } finally {
      this.state.pending.delete(key);
    }
  }
}

function busyDocument(id: string): VerbatimError {
  return new VerbatimError(
    'DUPLICATE_DOCUMENT',
    `The document "${id}" is being indexed right now; try again when that is done.`,
  );
}

function unknownDocument(id: string): VerbatimError {
  return userError('UNKNOWN_DOCUMENT', { id });
}
