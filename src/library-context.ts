/**
 * What the library's parts share (document-writes.ts, library-feed.ts): the index, the store and the
 * per-server queue of changes, passed explicitly rather than through one class that holds every job.
 */
import type { DocumentSummary } from './library-api.ts';
import { Slices } from './core/index.ts';
import type { Scope, SourceDocument, SearchEngine } from './core/index.ts';
import type { ExtractionLimits } from './ingest/extract.ts';
import type { Logger } from './log.ts';
import { type DatabaseDocumentStore } from './store/db/index.ts';
import type { ServerIndexes } from './store/index-cache.ts';
import { type RemovedDocument } from './store/db/history.ts';
import type { AddRate } from './quota.ts';
import type { ServerQuotas } from './quota.ts';
import type { SemanticService } from './semantic/semantic-service.ts';

/** A document as the library reads it from the engine, the one registry of what is indexed. */
export interface Entry {
  document: SourceDocument;
  summary: DocumentSummary;
}

export interface LibraryContext {
  engine: SearchEngine;
  /** Which servers' indexes are in memory (loaded on first use, evicted when idle over the budget). */
  servers: ServerIndexes;
  semantic: SemanticService | undefined;
  logger: Logger;
  /** The clock of provenance and the audit. */
  now: () => Date;
  extraction: ExtractionLimits | undefined;
  quotas: ServerQuotas;
  addRate: AddRate;
  /** Each document's text fingerprint for the duplicate check, computed the first time a check needs it. */
  fingerprints: WeakMap<SourceDocument, Promise<string>>;
  /** The store, once the scope is known to be a server's and changes are allowed at all. */
  writableStore(scope: Scope, id?: string): DatabaseDocumentStore;
  /** Runs `task` after every earlier change of the same scope has finished, successfully or not. */
  serialise<T>(scope: Scope, task: () => Promise<T>): Promise<T>;
  /** A write to a server: its index in memory and kept there until the write is done; refused when closing. */
  trackWrite<T>(scope: Scope, work: () => Promise<T>): Promise<T>;
  /** Work `close()` must wait for. */
  trackBackground(work: Promise<unknown>): void;
  /** Hands an indexed document's passages to the semantic stage. */
  trackSemantic(document: SourceDocument): void;
  summaryOf(document: SourceDocument): DocumentSummary;
  entry(scope: Scope, id: string): Entry | undefined;
  /** A document of the scope itself, for update and remove; the shipped corpus is read-only. */
  ownEntry(scope: Scope, id: string): Entry;
  isVisible(id: string, scope: Scope): boolean;
  /** Documents of `scope` removed in the last UNDO_REMOVE_DAYS. */
  removed(scope: Scope): Promise<RemovedDocument[]>;
}

/**
 * Fingerprinting and segmenting large texts happen between questions rather than instead of them: one
 * slicing clock for all of the Library's document checks.
 */
const checkSlices = new Slices();
export const yieldToEventLoop = (): Promise<void> => checkSlices.pause();
