/**
 * The Library's contract: what every front end (the bot, the terminal, the CLI, the evaluation) may ask
 * of it, and the shapes it answers with. `src/library.ts` opens one; `src/document-library.ts` is it.
 */
import type {
  AskOptions,
  AskResult,
  DocumentMeta,
  Explanation,
  EngineOptionsInput,
  GlossaryEntry,
  Passage,
  Provenance,
  Scope,
} from './core/index.ts';
import type { ExtractionLimits } from './ingest/extract.ts';
import type { Logger } from './log.ts';
import type { InsightsStore } from './store/db/insights.ts';
import type { ServerSettings, SettingsDefaults } from './store/db/settings.ts';
import { type ServerIndexEvent } from './store/index-cache.ts';
import { type ParagraphChanges } from './paragraph-changes.ts';
import { type DocumentVersions } from './document-history.ts';
import { type AuditEntry, type RemovedDocument } from './store/db/history.ts';
import type { ServerQuotas } from './quota.ts';
import { type SemanticOptions, type SemanticStatus } from './semantic/semantic-service.ts';

/** How long a removed document can be brought back with `restore`. */
export const UNDO_REMOVE_DAYS = 30;

/** `around` shows at most this many paragraphs on each side. */
export const MAX_AROUND_RADIUS = 10;

/** A document as listed by `/source` and `list`. */
export interface DocumentSummary {
  meta: DocumentMeta;
  /** Number of body paragraphs (answerable units before long-paragraph splitting). */
  paragraphs: number;
  /** Length of the stored text in characters. */
  characters: number;
  /** The section headings, in order. */
  sections: string[];
}

/** Where a new document's text comes from. */
export type DocumentSource =
  | { kind: 'text'; text: string }
  | { kind: 'file'; fileName: string; contentType?: string; bytes: Uint8Array };

export interface AddDocumentInput {
  /** The server's scope (`guildScope(id)`); the shipped corpus is read-only. */
  scope: Scope;
  source: DocumentSource;
  title?: string;
  publisher?: string;
  date?: string;
  url?: string;
  /** When the text was fetched from `url` (`/document add url:`, refresh); kept in the metadata. */
  fetchedAt?: string;
  actor: Omit<Provenance, 'at'>;
}

export interface UpdateDocumentInput extends Omit<AddDocumentInput, 'source'> {
  id: string;
  /**
   * New content; when absent only the metadata given changes. New content without `fetchedAt` drops the
   * old fetch time: it described the text being replaced.
   */
  source?: DocumentSource;
}

/** What `/document history` shows: the versions, and when the document is removed, by whom and when. */
export interface DocumentHistory extends DocumentVersions {
  id: string;
  title: string;
  removed?: RemovedDocument;
}

export interface RestoreInput {
  scope: Scope;
  id: string;
  /** The version to bring back; default: the last one (what a removal took away). */
  revision?: number;
  actor: Omit<Provenance, 'at'>;
}

/** See `Library.previewUpdate`. */
export interface UpdatePreview {
  changes: ParagraphChanges;
  /** The extracted text that would be stored, and its fingerprint (white space insensitive). */
  text: string;
  fingerprint: string;
}

export interface LibraryOptions {
  /** Folder of the shipped corpus. Default: the repository's `corpus/`. */
  corpusDir?: string;
  /**
   * The terminal's `--corpus DIR`: index this folder of `.txt`/`.md` files (one document each, read-only)
   * instead of the shipped corpus. See `loadFolderCorpus`.
   */
  corpusFolder?: string;
  /**
   * Where servers' documents are stored (the SQLite database, unless `databaseUrl`) and the index
   * snapshot. `undefined`: none are stored (terminal `--corpus` mode), and `add`/`update`/`remove` are
   * refused with BAD_OPTION.
   */
  dataDir?: string;
  /** DATABASE_URL: servers' documents in this PostgreSQL database instead of SQLite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** How often SQLite is asked whether another process changed documents. Default 250 ms. */
  changePollMs?: number;
  /**
   * `true` (the bot): resolve as soon as the shipped corpus is indexed; each server's index is loaded on its
   * first use (from its snapshot, or built) and evicted when idle over `indexMemoryBytes`
   * (src/store/index-cache.ts); a question waits briefly for it, then is refused with STILL_LOADING. Default
   * `false` (the terminal, tools): every served server is indexed before this resolves, and stays.
   */
  serversInBackground?: boolean;
  /**
   * INDEX_MEMORY_MB in bytes: servers' indexes in memory beyond this estimate are evicted, least recently
   * used first. Default 256 MB.
   */
  indexMemoryBytes?: number;
  /** Told each time a server's index is loaded (from its snapshot or built) or evicted. */
  onServerIndex?: (event: ServerIndexEvent) => void;
  /**
   * The servers whose documents this process loads and follows (a shard: those of its shards). Default:
   * every server.
   */
  servesGuild?: (guildId: string) => boolean;
  /** Told of every failed database operation (`read`, `write`, `feed`, `ping`): the metrics count them. */
  onDatabaseError?: (operation: string) => void;
  logger: Logger;
  /** Passed to the core's SearchEngine. */
  engineOptions?: EngineOptionsInput;
  /** The clock for provenance timestamps. Default: the system clock. */
  now?: () => Date;
  /** What reading one uploaded file may cost (time, memory, pages, nesting, text). Default: the defaults. */
  extraction?: ExtractionLimits;
  /** What one server may store and how often it may add (see quota.ts). Default: `DEFAULT_SERVER_QUOTAS`. */
  quotas?: ServerQuotas;
  /**
   * The semantic stage (`SEMANTIC`, `SEMANTIC_DEADLINE_MS`). Absent: lexical ranking only and no word
   * logged about it (tests and tools that do not ask for it).
   */
  semantic?: SemanticOptions;
  /** What a server's settings are until it chooses (from config). Default DEFAULT_SETTINGS. */
  settingsDefaults?: Partial<SettingsDefaults>;
}

/** One `/settings` change; what is absent stays as it is. */
export interface SettingsChange {
  answers?: ServerSettings['answers'];
  insights?: boolean;
  retentionDays?: number;
  /** Let `/ask` answer publicly in this channel (`allow`), or take it off the list. */
  publicChannel?: { id: string; allow: boolean };
  /** Answer new posts (or mentions) in this channel on its own (`on`), or stop. */
  autoAnswerChannel?: { id: string; on: boolean };
}

/** How the index of the shipped corpus (or corpus folder) came to be at start-up. */
export interface IndexStartup {
  /** `snapshot`: loaded from `<dataDir>/index/`; `built`: analysed from the texts. */
  source: 'snapshot' | 'built';
  /** Why a snapshot was not used (missing, stale, corrupt, another version), when `source` is `built`. */
  reason?: string;
  /** Time to load or build it, in milliseconds. */
  ms: number;
}

/** Counts for health and metrics: the shipped corpus, and every server's own documents together. */
export interface LibraryStats {
  shipped: { documents: number; paragraphs: number };
  /** `scopes`: servers with at least one document. */
  servers: { scopes: number; documents: number; paragraphs: number };
}

export interface Library {
  /** How the index started (snapshot or build), for logs and `/status`-like diagnostics. */
  readonly startup: IndexStartup;
  /** Resolves once every server's stored documents are indexed (see `serversInBackground`). */
  readonly ready: Promise<void>;
  /** Whether the document database answers a query now (the `database` health check); undefined: none. */
  checkDatabase(): Promise<{ ok: boolean; detail: string } | undefined>;
  /**
   * The key that signs button custom_ids, the same for every process on every machine of one database: the
   * one stored, or `candidate` stored now when none is (the first process wins). Without a database (no
   * `dataDir`), `candidate` itself.
   */
  buttonKey(candidate: Buffer): Promise<Buffer>;
  /** The voters' salt (insights), shared like the button key: `candidate` is stored unless one is already. */
  voterSalt(candidate: Buffer): Promise<Buffer>;
  /** Documents and paragraphs loaded, counted on each call (one pass over the documents). */
  stats(): LibraryStats;
  /**
   * The best passages for `question`. With the semantic stage on, the question's vector is awaited for
   * at most the configured deadline; without it in time the answer is lexical.
   */
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  /** How much of the shipped corpus plus `scope`'s documents is semantically indexed. */
  semanticStatus(scope?: Scope): SemanticStatus;
  /**
   * Resolves once the sentence encoder is loaded (or has failed, or is off) and the stored vectors are
   * read. The bot and the prompt never wait for it; one-off terminal commands do.
   */
  semanticReady(): Promise<void>;
  /** The question's terms and every candidate, whatever the no-answer rule decided (insights, eval). */
  explain(question: string, options?: AskOptions): Explanation;
  /** Questions and votes (src/store/db/insights.ts); undefined with no data directory. */
  readonly insights: InsightsStore | undefined;
  /**
   * Erases insights past their server's retention (`/settings insights retention-days`, else the configured
   * default), and everything of servers the bot left 30 days ago (src/departed-servers.ts).
   */
  purgeInsights(): Promise<{ questions: number; servers: number }>;
  /** The shipped corpus plus `scope`'s own documents, shipped first. */
  list(scope?: Scope): DocumentSummary[];
  /** One document visible from `scope`; throws VerbatimError UNKNOWN_DOCUMENT when none. */
  describe(id: string, scope?: Scope): DocumentSummary;
  /** Paragraphs `paragraph - radius .. paragraph + radius` of a document, as passages without highlights. */
  around(id: string, paragraph: number, radius: number, scope?: Scope): Passage[];
  add(input: AddDocumentInput): Promise<DocumentSummary>;
  update(input: UpdateDocumentInput): Promise<DocumentSummary>;
  /**
   * What replacing `id`'s text with `source` would change, paragraph by paragraph, and the text it would
   * store (hand that text to `update` as `{ kind: 'text' }` to store exactly what was compared). Changes
   * nothing.
   */
  previewUpdate(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview>;
  remove(scope: Scope, id: string, actor: Omit<Provenance, 'at'>): Promise<void>;
  /** The shipped corpus's glossary (`corpus/glossary.json`), applied in every scope. */
  shippedGlossary(): readonly GlossaryEntry[];
  /** A server's own glossary entries, sorted by term. */
  glossary(scope: Scope): Promise<GlossaryEntry[]>;
  /**
   * Adds an entry to a server's glossary, applied from the next question on; returns it normalised.
   * Throws VerbatimError GLOSSARY_TERM_TOO_LONG, GLOSSARY_TERM_EMPTY, GLOSSARY_SAME_TERMS,
   * GLOSSARY_DUPLICATE or GLOSSARY_FULL.
   */
  addGlossaryEntry(scope: Scope, entry: GlossaryEntry, actor: Omit<Provenance, 'at'>): Promise<GlossaryEntry>;
  /**
   * Removes a server's entries for `term` (with `means`, only that pair); returns them. Throws
   * VerbatimError UNKNOWN_GLOSSARY_TERM when there is none.
   */
  removeGlossaryEntry(scope: Scope, term: string, means?: string): Promise<GlossaryEntry[]>;
  /**
   * Brings a server's index into memory (it is loaded on first use, see src/store/index-cache.ts) and
   * waits at most `waitMs` for it: true once it is in, false when it is still loading. The synchronous
   * reads (`list`, `describe`, `around`) refuse a server not in memory with STILL_LOADING.
   */
  prepare(scope: Scope, waitMs?: number): Promise<boolean>;
  /**
   * The server's settings (its choices over the configured defaults). Read from the database once, then
   * from memory: only the process serving a server changes its settings (see DESIGN.md, "Server settings").
   */
  settings(guildId: string): Promise<ServerSettings>;
  /** Applies and stores one change; the settings as they are now. Throws BAD_OPTION beyond the limits. */
  changeSettings(
    guildId: string,
    change: SettingsChange,
    actor: Omit<Provenance, 'at'>,
  ): Promise<ServerSettings>;
  /**
   * The versions of one of the scope's documents, stored now or removed (newest first, with paragraph
   * changes); throws UNKNOWN_DOCUMENT when it never had one.
   */
  history(scope: Scope, id: string): Promise<DocumentHistory>;
  /**
   * Brings back a version as the newest one (audited `restore`): of a stored document, or of one removed
   * within UNDO_REMOVE_DAYS. The text is indexed at once.
   */
  restore(input: RestoreInput): Promise<DocumentSummary>;
  /** The scope's documents removed within UNDO_REMOVE_DAYS and not back, most recent first. */
  removed(scope: Scope): Promise<RemovedDocument[]>;
  /** The scope's audit, newest first: `limit` entries after `offset`, and the total. */
  auditLog(scope: Scope, offset: number, limit: number): Promise<{ entries: AuditEntry[]; total: number }>;
  /** Waits for writes in progress; later writes are refused. */
  close(): Promise<void>;
}
