/**
 * The library service: the document store joined to the search engine. The bot and the terminal mode
 * both call it, so they cannot drift apart.
 *
 * The shipped corpus (or a `--corpus` folder) is loaded read-only; each server's own documents are loaded
 * from the database (src/store/db/) and changed through `add`, `update` and `remove`, which commit them
 * first and then index the new content at once (no rebuild); changes other processes commit reach the
 * index through the database's change feed. Changes are serialised per scope,
 * so two moderators of one server cannot interleave; `close()` lets changes in progress finish.
 */
import { dirname } from 'node:path';
import {
  paragraphCountOf,
  guildScope,
  SHIPPED_SCOPE,
  SearchEngine,
  SnapshotError,
  VerbatimError,
  segmentInWindows,
  userError,
  Slices,
} from './core/index.ts';
import type {
  AskOptions,
  AskResult,
  DocumentMeta,
  Explanation,
  EngineOptionsInput,
  GlossaryEntry,
  Paragraph,
  Passage,
  Provenance,
  Scope,
  SourceDocument,
} from './core/index.ts';
import type { ExtractionLimits } from './ingest/extract.ts';
import type { Logger } from './log.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from './store/corpus.ts';
import { GlossaryStore } from './store/db/glossary.ts';
import { loadShippedGlossary } from './store/shipped-glossary.ts';
import { GlossaryService } from './glossary-service.ts';
import { eraseDepartedServers } from './departed-servers.ts';
import {
  checkDate,
  checkPublisher,
  checkTitle,
  checkUrl,
  chooseTitle,
  readContent,
  textFingerprintInSlices,
  type Content,
} from './store/document-input.ts';
import { loadFolderCorpus } from './store/folder-corpus.ts';
import { guildIdOfScope } from './store/guild-store.ts';
import { openDocumentDatabase, SYSTEM_ACTOR, watchChanges } from './store/db/index.ts';
import { InsightsStore } from './store/db/insights.ts';
import { sharedSecret, type ChangeFeed, type DatabaseDocumentStore } from './store/db/index.ts';
import { uniqueId } from './store/ids.ts';
import {
  applyDefaults,
  DEFAULT_SETTINGS,
  NO_CHOICES,
  readRetentionChoices,
  readServerSettings,
  SETTINGS_LIMITS,
  writeServerSettings,
} from './store/db/settings.ts';
import type { ServerSettings, SettingsDefaults, StoredSettings } from './store/db/settings.ts';
import { readSnapshotFile, snapshotPath, writeSnapshotFile } from './store/snapshot-file.ts';
import { removeTemporaryFiles } from './store/temporary-files.ts';
import { ServerIndexes, type ServerIndexEvent } from './store/index-cache.ts';
import { snapshotJson } from './core/index.ts';
import { paragraphChanges, type ParagraphChanges } from './paragraph-changes.ts';
import { documentVersions, type DocumentVersions } from './document-history.ts';
import {
  auditPage,
  removedSince,
  revisionDocument,
  type AuditEntry,
  type RemovedDocument,
} from './store/db/history.ts';
import { AddRate, checkQuota, DEFAULT_SERVER_QUOTAS } from './quota.ts';
import type { ServerQuotas } from './quota.ts';
import {
  corpusVectorFile,
  dataVectorFile,
  SemanticService,
  type SemanticOptions,
  type SemanticStatus,
} from './semantic/semantic-service.ts';

export { loadFolderCorpus } from './store/folder-corpus.ts';
export { fetchUrl } from './ingest/fetch-url.ts';
export { DEFAULT_SETTINGS, SETTINGS_LIMITS } from './store/db/settings.ts';
export type { AnswerVisibility, ServerSettings, SettingsDefaults } from './store/db/settings.ts';
export type { FetchedDocument } from './ingest/fetch-url.ts';
export type { ServerIndexEvent } from './store/index-cache.ts';
export type { DocumentVersions, VersionSummary } from './document-history.ts';
export { addEach, expandZips } from './add-many.ts';
export type { FileOutcome, IncomingFile } from './add-many.ts';
export { ZIP_LIMITS } from './ingest/zip.ts';
export { VERSIONS_SHOWN } from './document-history.ts';
export type { AuditEntry, RemovedDocument } from './store/db/history.ts';

/** How long a removed document can be brought back with `restore`. */
export const UNDO_REMOVE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
export type { ExtractionLimits } from './ingest/extract.ts';
export { DEFAULT_SERVER_QUOTAS } from './quota.ts';
export type { ServerQuotas } from './quota.ts';
export { describeSemanticStatus, type SemanticStatus } from './semantic/semantic-service.ts';
/** Upkeep of the document database for the terminal (`migrate`, `backup`, `restore`): no index needed. */
export { backupDocumentDatabase, migrateDatabase, restoreDocumentDatabase } from './store/db/index.ts';

/**
 * How long a question waits for its server's index to load before "still loading": a snapshot loads in
 * milliseconds and a small server builds in well under this, so a member's first question is answered;
 * a large server being built is told to ask again rather than kept on "thinking…" (the load goes on).
 */
const ASK_LOAD_WAIT_MS = 2_000;
const DEFAULT_INDEX_MEMORY_BYTES = 256 * 1024 * 1024;

/** `around` shows at most this many paragraphs on each side. */
export const MAX_AROUND_RADIUS = 10;

/** The name the button-signing key is stored under in the database's secrets. */
const BUTTON_KEY = 'button-key';
/** The name the voters' salt (one vote per member per answer, no user id) is stored under. */
const VOTER_SALT = 'voter-salt';

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

/**
 * Opens the library: loads the shipped corpus (or `corpusFolder`) and every server's stored documents, and
 * indexes them; the corpus's index comes from the snapshot in `dataDir` when one matches (see `startup`).
 * A stored document that cannot be read or indexed is logged and skipped; a broken shipped corpus is an
 * error (it is part of the program).
 */
export async function openLibrary(options: LibraryOptions): Promise<Library> {
  const { logger } = options;
  const base =
    options.corpusFolder !== undefined
      ? await loadFolderCorpus(options.corpusFolder)
      : await loadShippedCorpus(options.corpusDir ?? DEFAULT_CORPUS_DIR);
  const { engine, startup, saving } = await startEngine(base, options);
  const store =
    options.dataDir === undefined
      ? undefined
      : await openDocumentDatabase({
          dataDir: options.dataDir,
          databaseUrl: options.databaseUrl,
          logger,
          // One clock for provenance and the audit, so history and removals' 30 days read the same time.
          ...(options.now === undefined ? {} : { now: options.now }),
        });
  if (store !== undefined && options.onDatabaseError !== undefined) store.onError = options.onDatabaseError;
  const semantic =
    options.semantic === undefined
      ? undefined
      : new SemanticService({
          ...options.semantic,
          logger,
          // A --corpus folder has no shipped vectors; its sentences are encoded in the background.
          readOnlyFiles:
            options.corpusFolder === undefined
              ? [corpusVectorFile(options.corpusDir ?? DEFAULT_CORPUS_DIR)]
              : [],
          ...(options.dataDir === undefined || options.corpusFolder !== undefined
            ? {}
            : { vectorFile: dataVectorFile(options.dataDir) }),
        });
  // A --corpus folder is the user's own documents: the shipped list is about the shipped ones.
  const shippedGlossary =
    options.corpusFolder === undefined
      ? await loadShippedGlossary(options.corpusDir ?? DEFAULT_CORPUS_DIR)
      : [];
  const glossaries = new GlossaryService(
    engine,
    store === undefined ? undefined : new GlossaryStore(store.database, options.now),
    shippedGlossary,
    logger,
  );
  const library = new DocumentLibrary(
    engine,
    store,
    logger,
    options.now ?? (() => new Date()),
    startup,
    semantic,
    glossaries,
    options,
    { ...DEFAULT_SETTINGS, ...options.settingsDefaults },
    options.extraction,
    options.quotas,
  );
  if (saving !== undefined) library.trackBackground(saving);
  for (const document of base) library.trackSemantic(document);
  // Read before the documents: a change committed in between is seen twice (harmless), never missed.
  const lastChange = store ? await store.lastChange() : 0;
  const servesGuild = options.servesGuild;
  const serves =
    servesGuild === undefined
      ? undefined
      : (scope: Scope): boolean => {
          const guildId = guildIdOfScope(scope);
          return guildId !== undefined && servesGuild(guildId);
        };
  // The terminal and one-off tools index every server at open; the bot loads each on its first use.
  if (options.serversInBackground !== true)
    for (const document of store ? await store.loadAll(serves) : []) {
      try {
        library.index(document);
      } catch (error) {
        logger.warn(
          { scope: document.meta.scope, id: document.meta.id, err: error },
          'Skipped a stored document that could not be indexed',
        );
      }
    }
  if (store !== undefined) {
    try {
      library.follow(
        await watchChanges(
          store,
          (changes) =>
            library.applyChanges(serves === undefined ? changes : changes.filter((c) => serves(c.scope))),
          {
            from: lastChange,
            logger,
            ...(options.changePollMs === undefined ? {} : { pollMs: options.changePollMs }),
          },
        ),
      );
    } catch (error) {
      await library.close();
      throw error;
    }
  }
  logger.info(
    {
      documents: engine.documentCount,
      paragraphs: engine.paragraphCount,
      dataDir: options.dataDir,
      index: startup.source,
      indexMs: Math.round(startup.ms),
    },
    'Library ready',
  );
  return library;
}

/**
 * The engine over the shipped corpus (or corpus folder): loaded from the data directory's snapshot when
 * it was made from exactly these documents with these index settings, otherwise built from the texts and
 * a new snapshot written in the background (`saving`). A snapshot that cannot be used is logged as a
 * warning and never stops the start. Servers' own documents are never in the snapshot: they are indexed
 * on top (see docs/performance.md, "The index snapshot").
 */
async function startEngine(
  base: readonly SourceDocument[],
  options: LibraryOptions,
): Promise<{ engine: SearchEngine; startup: IndexStartup; saving?: Promise<unknown> }> {
  const { logger, dataDir } = options;
  const started = performance.now();
  let reason = 'no data directory to keep a snapshot in';
  if (dataDir !== undefined) {
    const path = snapshotPath(dataDir);
    for (const dir of [dataDir, dirname(path)]) await removeTemporaryFiles(dir, logger);
    const read = await readSnapshotFile(path);
    if (read.kind === 'found') {
      try {
        const engine = SearchEngine.fromSnapshot(read.snapshot, base, options.engineOptions);
        const startup: IndexStartup = { source: 'snapshot', ms: performance.now() - started };
        logger.info(
          { file: path, bytes: read.bytes, ms: Math.round(startup.ms) },
          'Index loaded from its snapshot',
        );
        return { engine, startup };
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        reason = `the snapshot is ${error.problem === 'version' ? 'from another version' : error.problem}: ${error.message}`;
      }
    } else {
      reason =
        read.kind === 'missing' ? 'there is no snapshot yet' : `the snapshot is unusable: ${read.reason}`;
    }
    if (read.kind !== 'missing') {
      logger.warn({ file: path, reason }, `Index snapshot not used (${reason}); rebuilding the index`);
    } else {
      logger.info({ file: path }, 'No index snapshot yet; building the index');
    }
  }
  const engine = new SearchEngine(options.engineOptions);
  for (const document of base) engine.add(document);
  engine.compact();
  const startup: IndexStartup = { source: 'built', reason, ms: performance.now() - started };
  if (dataDir === undefined) return { engine, startup };
  // Serialised now, before servers' documents join the index; written while they are indexed.
  const json = snapshotJson(engine.toSnapshot());
  const path = snapshotPath(dataDir);
  const saving = writeSnapshotFile(path, json).then(
    (bytes) => logger.info({ file: path, bytes }, 'Index snapshot written'),
    (error: unknown) =>
      logger.warn({ file: path, err: error }, 'Could not write the index snapshot; the next start rebuilds'),
  );
  return { engine, startup, saving };
}

/** A document as the library reads it from the engine, the one registry of what is indexed. */
interface Entry {
  document: SourceDocument;
  summary: DocumentSummary;
}

/**
 * Fingerprinting and segmenting large texts happen between questions rather than instead of them: one
 * slicing clock for all of the Library's document checks.
 */
const checkSlices = new Slices();
const yieldToEventLoop = (): Promise<void> => checkSlices.pause();

class DocumentLibrary implements Library {
  readonly #engine: SearchEngine;
  readonly #store: DatabaseDocumentStore | undefined;
  readonly insights: InsightsStore | undefined;
  #feed: ChangeFeed | undefined;
  /** Which servers' indexes are in memory: loaded on first use, evicted when idle over the budget. */
  readonly #servers: ServerIndexes;
  ready: Promise<void> = Promise.resolve();
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #dataDir: string | undefined;
  /** Each indexed document's summary, made the first time it is asked for. */
  readonly #summaries = new WeakMap<SourceDocument, DocumentSummary>();
  /**
   * Each document's text fingerprint for the duplicate check, computed the first time a check needs it
   * (in slices): computing it for every document at start-up would cost seconds at 100,000 paragraphs.
   */
  readonly #fingerprints = new WeakMap<SourceDocument, Promise<string>>();
  /** Per scope, the tail of its queue of changes. */
  readonly #queues = new Map<Scope, Promise<void>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #semantic: SemanticService | undefined;
  readonly #glossaries: GlossaryService;
  #closed = false;
  readonly startup: IndexStartup;
  readonly #settingsDefaults: SettingsDefaults;
  /** Servers' stored choices read so far (one small object per server this process serves). */
  readonly #settings = new Map<string, Promise<StoredSettings>>();
  readonly #extraction: ExtractionLimits | undefined;
  readonly #quotas: ServerQuotas;
  readonly #addRate: AddRate;

  constructor(
    engine: SearchEngine,
    store: DatabaseDocumentStore | undefined,
    logger: Logger,
    now: () => Date,
    startup: IndexStartup,
    semantic: SemanticService | undefined,
    glossaries: GlossaryService,
    options: Pick<LibraryOptions, 'dataDir' | 'indexMemoryBytes' | 'onServerIndex' | 'serversInBackground'>,
    settingsDefaults: SettingsDefaults = DEFAULT_SETTINGS,
    extraction?: ExtractionLimits,
    quotas: ServerQuotas = DEFAULT_SERVER_QUOTAS,
  ) {
    this.#servers = new ServerIndexes({
      engine,
      onDemand: options.serversInBackground === true,
      budgetBytes: options.indexMemoryBytes ?? DEFAULT_INDEX_MEMORY_BYTES,
      dataDir: options.dataDir,
      logger,
      documents: async (scope) => (await store?.loadScope(scope)) ?? [],
      serialise: (scope, task) => this.#serialise(scope, task),
      indexed: (document) => this.trackSemantic(document),
      forgotten: (scope, id) => this.#semantic?.forget(scope, id),
      background: (work) => this.trackBackground(work),
      onEvent: options.onServerIndex,
    });
    this.#semantic = semantic;
    this.#glossaries = glossaries;
    this.#extraction = extraction;
    this.#quotas = quotas;
    // Real time, not `now`: that clock stamps provenance, and tests step it once per call.
    this.#addRate = new AddRate(quotas.addsPerHour);
    this.#engine = engine;
    this.#store = store;
    this.insights = store === undefined ? undefined : new InsightsStore(store.database, now);
    this.#logger = logger;
    this.#now = now;
    this.#dataDir = options.dataDir;
    this.startup = startup;
    this.#settingsDefaults = settingsDefaults;
  }

  async settings(guildId: string): Promise<ServerSettings> {
    return applyDefaults(await this.#storedSettings(guildId), this.#settingsDefaults);
  }

  changeSettings(
    guildId: string,
    change: SettingsChange,
    actor: Omit<Provenance, 'at'>,
  ): Promise<ServerSettings> {
    return this.#track(() =>
      // In the server's queue, so two moderators' changes at once are applied one after the other.
      this.#serialise(guildScope(guildId), async () => {
        const store = this.#writableStore(guildScope(guildId));
        const next = withChange(await this.#storedSettings(guildId), change);
        await writeServerSettings(store.database, guildId, next, actor, this.#now());
        this.#settings.set(guildId, Promise.resolve(next));
        return applyDefaults(next, this.#settingsDefaults);
      }),
    );
  }

  async purgeInsights(): Promise<{ questions: number; servers: number }> {
    const store = this.#store;
    if (store === undefined || this.insights === undefined) return { questions: 0, servers: 0 };
    const chosen = await readRetentionChoices(store.database);
    const own = new Map(chosen.map(({ guildId, days }) => [guildScope(guildId), days]));
    const questions = await this.insights.purge(this.#settingsDefaults.retentionDays, own);
    const servers = await eraseDepartedServers({
      database: store.database,
      insights: this.insights,
      dataDir: this.#dataDir,
      now: this.#now,
      serialise: (scope, task) => this.#track(() => this.#serialise(scope, task)),
      forgetIndex: (scope) => this.#servers.forgetNow(scope),
      forgetCaches: (scope) => {
        this.#glossaries.forget(scope);
        const guildId = guildIdOfScope(scope);
        if (guildId !== undefined) this.#settings.delete(guildId);
      },
      logger: this.#logger,
    });
    return { questions, servers };
  }

  #storedSettings(guildId: string): Promise<StoredSettings> {
    const store = this.#store;
    if (store === undefined) return Promise.resolve(NO_CHOICES);
    let stored = this.#settings.get(guildId);
    if (stored === undefined) {
      stored = readServerSettings(store.database, guildId);
      this.#settings.set(guildId, stored);
      // A failed read is not kept: the next question reads again.
      stored.catch(() => this.#settings.delete(guildId));
    }
    return stored;
  }

  /** Indexes a document that is already stored (start-up of the terminal and tools). */
  index(document: SourceDocument): void {
    this.#engine.add(document);
    this.trackSemantic(document);
  }

  /** Hands an indexed document's passages to the semantic stage (their vectors come in the background). */
  trackSemantic(document: SourceDocument): void {
    this.#semantic?.track(document, this.#engine.paragraphs(document.meta.scope, document.meta.id));
  }

  /** Work `close()` must wait for: changes in progress, and the start-up snapshot write. */
  trackBackground(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
  }

  async checkDatabase(): Promise<{ ok: boolean; detail: string } | undefined> {
    const store = this.#store;
    if (store === undefined) return undefined;
    const { kind, location } = store.database;
    try {
      await store.ping();
      return { ok: true, detail: `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} answers` };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { ok: false, detail: `the database ${location} does not answer: ${reason}` };
    }
  }

  async voterSalt(candidate: Buffer): Promise<Buffer> {
    return this.#store === undefined ? candidate : sharedSecret(this.#store.database, VOTER_SALT, candidate);
  }

  async buttonKey(candidate: Buffer): Promise<Buffer> {
    return this.#store === undefined ? candidate : sharedSecret(this.#store.database, BUTTON_KEY, candidate);
  }

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    // The lexical answer first: it refuses a bad question (empty, too long) before anything is encoded,
    // and is the answer whenever the semantic input is not there in time. It costs a fraction of a
    // millisecond next to encoding the question.
    const glossary = await this.#glossaries.rulesFor(options.scope);
    const withGlossary = glossary.length === 0 ? options : { ...options, glossary };
    const answer = async (): Promise<AskResult> => {
      const lexical = this.#engine.ask(question, withGlossary);
      const semantic = await this.#semantic?.input(lexical.question);
      return semantic === undefined ? lexical : this.#engine.ask(question, { ...withGlossary, semantic });
    };
    if (options.scope === undefined) return answer();
    return this.#servers.hold(options.scope, answer, { waitMs: ASK_LOAD_WAIT_MS });
  }

  async prepare(scope: Scope, waitMs = ASK_LOAD_WAIT_MS): Promise<boolean> {
    try {
      await this.#servers.hold(scope, async () => undefined, waitMs === Infinity ? {} : { waitMs });
      return true;
    } catch (error) {
      if (error instanceof VerbatimError && error.code === 'STILL_LOADING') return false;
      throw error;
    }
  }

  shippedGlossary(): readonly GlossaryEntry[] {
    return this.#glossaries.shipped;
  }

  glossary(scope: Scope): Promise<GlossaryEntry[]> {
    return this.#glossaries.list(scope);
  }

  addGlossaryEntry(
    scope: Scope,
    entry: GlossaryEntry,
    actor: Omit<Provenance, 'at'>,
  ): Promise<GlossaryEntry> {
    return this.#track(() => this.#glossaries.add(scope, entry, actor));
  }

  removeGlossaryEntry(scope: Scope, term: string, means?: string): Promise<GlossaryEntry[]> {
    return this.#track(() => this.#glossaries.remove(scope, term, means));
  }

  async semanticReady(): Promise<void> {
    await this.#semantic?.ready();
  }

  semanticStatus(scope?: Scope): SemanticStatus {
    const scopes = scope === undefined || scope === SHIPPED_SCOPE ? [SHIPPED_SCOPE] : [SHIPPED_SCOPE, scope];
    return this.#semantic?.status(scopes) ?? { state: 'off', parts: 0, ready: 0 };
  }

  explain(question: string, options?: AskOptions): Explanation {
    return this.#engine.explain(question, options);
  }

  stats(): LibraryStats {
    const stats: LibraryStats = {
      shipped: { documents: 0, paragraphs: 0 },
      servers: { scopes: 0, documents: 0, paragraphs: 0 },
    };
    const scopes = new Set<Scope>();
    for (const document of this.#engine.allDocuments()) {
      const { scope } = document.meta;
      const counts = scope === SHIPPED_SCOPE ? stats.shipped : stats.servers;
      if (scope !== SHIPPED_SCOPE) scopes.add(scope);
      counts.documents += 1;
      counts.paragraphs += this.#summaryOf(document).paragraphs;
    }
    stats.servers.scopes = scopes.size;
    return stats;
  }

  list(scope?: Scope): DocumentSummary[] {
    const shipped = this.#engine.documentsIn(SHIPPED_SCOPE).map((document) => this.#summaryOf(document));
    if (scope === undefined || scope === SHIPPED_SCOPE) return shipped;
    this.#assertLoaded(scope);
    const own = this.#engine
      .documentsIn(scope)
      .map((document) => this.#summaryOf(document))
      .sort(
        (a, b) =>
          (a.meta.added?.at ?? '').localeCompare(b.meta.added?.at ?? '') ||
          a.meta.title.localeCompare(b.meta.title),
      );
    return [...shipped, ...own];
  }

  describe(id: string, scope?: Scope): DocumentSummary {
    return this.#find(id, scope).summary;
  }

  around(id: string, paragraph: number, radius: number, scope?: Scope): Passage[] {
    const { document, summary } = this.#find(id, scope);
    const count = summary.paragraphs;
    if (!Number.isInteger(paragraph) || paragraph < 1 || paragraph > count) {
      throw new VerbatimError(
        'BAD_OPTION',
        `"${document.meta.title}" has paragraphs 1 to ${count}; there is no paragraph ${paragraph}.`,
      );
    }
    if (!Number.isInteger(radius) || radius < 0 || radius > MAX_AROUND_RADIUS) {
      throw new VerbatimError(
        'BAD_OPTION',
        `Show 0 to ${MAX_AROUND_RADIUS} paragraphs around a passage, not ${radius}.`,
      );
    }
    const passages: Passage[] = [];
    for (
      let number = Math.max(1, paragraph - radius);
      number <= Math.min(count, paragraph + radius);
      number += 1
    ) {
      const passage = this.#engine.passage(document.meta.scope, id, number);
      if (passage !== undefined) passages.push(passage);
    }
    return passages;
  }

  add(input: AddDocumentInput): Promise<DocumentSummary> {
    return this.#trackWrite(input.scope, async () => {
      const store = this.#writableStore(input.scope);
      this.#addRate.check(input.scope); // before the file is read: a refused add costs nothing
      const content = await readContent(input.source, this.#extraction);
      return this.#serialise(input.scope, async () => {
        this.#addRate.check(input.scope);
        const paragraphs = await this.#assertQuotable(content);
        this.#checkQuota(input.scope, content, paragraphs, undefined);
        const fingerprint = textFingerprintInSlices(content.text, yieldToEventLoop);
        await this.#assertNotDuplicate(input.scope, await fingerprint, undefined);
        const title = chooseTitle(input.title, content);
        const at = this.#now().toISOString();
        const meta: DocumentMeta = {
          id: uniqueId(title, (candidate) => this.#isVisible(candidate, input.scope)),
          title,
          publisher: checkPublisher(input.publisher ?? ''),
          date: checkDate(input.date ?? ''),
          dateEstimated: false,
          url: checkUrl(input.url ?? ''),
          language: 'und',
          scope: input.scope,
          added: { ...input.actor, at },
          ...(input.fetchedAt === undefined ? {} : { fetchedAt: input.fetchedAt }),
        };
        const document: SourceDocument = { meta, text: content.text };
        await store.save(document);
        try {
          // In slices: a large document must not stop the bot answering while it is indexed.
          await this.#engine.addAsync(document);
        } catch (error) {
          await this.#undo(() => store.delete(input.scope, meta.id, SYSTEM_ACTOR), meta);
          throw error;
        }
        this.trackSemantic(document);
        this.#fingerprints.set(document, fingerprint);
        this.#addRate.record(input.scope);
        this.#logger.info({ scope: meta.scope, id: meta.id, actor: input.actor }, 'Document added');
        return this.#summaryOf(document);
      });
    });
  }

  update(input: UpdateDocumentInput): Promise<DocumentSummary> {
    return this.#trackWrite(input.scope, async () => {
      const store = this.#writableStore(input.scope, input.id);
      const content =
        input.source === undefined ? undefined : await readContent(input.source, this.#extraction);
      return this.#serialise(input.scope, async () => {
        const existing = this.#ownEntry(input.scope, input.id);
        if (content !== undefined) {
          const paragraphs = await this.#assertQuotable(content);
          this.#checkQuota(input.scope, content, paragraphs, input.id);
          const fingerprint = await textFingerprintInSlices(content.text, yieldToEventLoop);
          await this.#assertNotDuplicate(input.scope, fingerprint, input.id);
        }
        const { fetchedAt: oldFetchedAt, ...old } = existing.document.meta;
        const fetchedAt = content === undefined ? oldFetchedAt : input.fetchedAt;
        const meta: DocumentMeta = {
          ...old,
          ...(fetchedAt === undefined ? {} : { fetchedAt }),
          title: input.title?.trim() ? checkTitle(input.title) : old.title,
          publisher: input.publisher === undefined ? old.publisher : checkPublisher(input.publisher),
          date: input.date === undefined ? old.date : checkDate(input.date),
          dateEstimated: input.date === undefined ? old.dateEstimated : false,
          url: input.url === undefined ? old.url : checkUrl(input.url),
          updated: { ...input.actor, at: this.#now().toISOString() },
        };
        const document: SourceDocument = { meta, text: content?.text ?? existing.document.text };
        await store.save(document);
        try {
          await this.#engine.replaceAsync(document);
        } catch (error) {
          await this.#undo(() => store.save(existing.document, SYSTEM_ACTOR), meta);
          throw error;
        }
        this.trackSemantic(document);
        this.#logger.info(
          { scope: meta.scope, id: meta.id, actor: input.actor, newText: content !== undefined },
          'Document updated',
        );
        return this.#summaryOf(document);
      });
    });
  }

  async previewUpdate(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview> {
    this.#writableStore(scope, id);
    return this.#servers.hold(scope, () => this.#preview(scope, id, source));
  }

  async #preview(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview> {
    const existing = this.#ownEntry(scope, id);
    const content = await readContent(source, this.#extraction);
    this.#checkQuota(scope, content, await this.#assertQuotable(content), id);
    return {
      changes: paragraphChanges(existing.document.text, content.text),
      text: content.text,
      fingerprint: await textFingerprintInSlices(content.text, yieldToEventLoop),
    };
  }

  remove(scope: Scope, id: string, actor: Omit<Provenance, 'at'>): Promise<void> {
    return this.#trackWrite(scope, async () => {
      const store = this.#writableStore(scope, id);
      return this.#serialise(scope, async () => {
        this.#ownEntry(scope, id);
        await store.delete(scope, id, actor);
        this.#engine.remove(scope, id);
        this.#semantic?.forget(scope, id);
        this.#logger.info({ scope, id, actor }, 'Document removed');
      });
    });
  }

  async history(scope: Scope, id: string): Promise<DocumentHistory> {
    const store = this.#writableStore(scope);
    this.#assertLoaded(scope);
    const found = await documentVersions(store.database, scope, id, yieldToEventLoop);
    const newest = found.versions[0];
    if (newest === undefined) throw userError('UNKNOWN_DOCUMENT', { id });
    const removed = this.#engine.has(scope, id)
      ? undefined
      : (await removedSince(store.database, scope, '')).find((r) => r.id === id);
    return { ...found, id, title: newest.title, ...(removed ? { removed } : {}) };
  }

  removed(scope: Scope): Promise<RemovedDocument[]> {
    const store = this.#writableStore(scope);
    const since = new Date(this.#now().getTime() - UNDO_REMOVE_DAYS * DAY_MS).toISOString();
    return removedSince(store.database, scope, since);
  }

  auditLog(scope: Scope, offset: number, limit: number): Promise<{ entries: AuditEntry[]; total: number }> {
    return auditPage(this.#writableStore(scope).database, scope, offset, limit);
  }

  restore(input: RestoreInput): Promise<DocumentSummary> {
    // As every write: the server's index in memory (it may have been evicted) until the restore is done.
    return this.#trackWrite(input.scope, async () => {
      const { scope, id } = input;
      const store = this.#writableStore(scope, id);
      return this.#serialise(scope, async () => {
        const existing = this.#entry(scope, id);
        if (existing === undefined) await this.#assertUndoable(scope, id);
        const history = await documentVersions(store.database, scope, id, () => Promise.resolve());
        const last = history.versions[0]?.revision;
        const revision = input.revision ?? last;
        const stored =
          revision === undefined ? undefined : await revisionDocument(store.database, scope, id, revision);
        if (stored === undefined) {
          throw new VerbatimError(
            'BAD_OPTION',
            `"${existing?.document.meta.title ?? id}" has versions 1 to ${last ?? 0}; there is no version ${revision ?? 0}. See /document history.`,
          );
        }
        if (existing !== undefined && revision === last) {
          throw new VerbatimError(
            'BAD_OPTION',
            `Version ${revision} is already the current one of "${existing.document.meta.title}": pick an earlier one from /document history.`,
          );
        }
        // A version brought back counts against the server's quotas as an add or an update would.
        const content: Content = {
          text: stored.text,
          suggestedTitle: undefined,
          label: `"${stored.meta.title}"`,
        };
        this.#checkQuota(
          scope,
          content,
          await this.#assertQuotable(content),
          existing === undefined ? undefined : id,
        );
        const fingerprint = textFingerprintInSlices(stored.text, yieldToEventLoop);
        await this.#assertNotDuplicate(scope, await fingerprint, id);
        const at = this.#now().toISOString();
        const meta: DocumentMeta = {
          ...stored.meta,
          added: existing?.document.meta.added ?? stored.meta.added ?? { ...input.actor, at },
          updated: { ...input.actor, at },
        };
        const document: SourceDocument = { meta, text: stored.text };
        await store.save(document, input.actor, 'restore');
        try {
          if (existing === undefined) await this.#engine.addAsync(document);
          else await this.#engine.replaceAsync(document);
        } catch (error) {
          await this.#undo(
            () =>
              existing === undefined
                ? store.delete(scope, id, SYSTEM_ACTOR)
                : store.save(existing.document, SYSTEM_ACTOR),
            meta,
          );
          throw error;
        }
        this.trackSemantic(document);
        this.#fingerprints.set(document, fingerprint);
        this.#logger.info({ scope, id, revision, actor: input.actor }, 'Document restored');
        return this.#summaryOf(document);
      });
    });
  }

  /** A removed document comes back only within UNDO_REMOVE_DAYS of its removal. */
  async #assertUndoable(scope: Scope, id: string): Promise<void> {
    const recent = await this.removed(scope);
    if (recent.some((r) => r.id === id)) return;
    const ever = (await removedSince(this.#writableStore(scope).database, scope, '')).some(
      (r) => r.id === id,
    );
    if (!ever) throw userError('UNKNOWN_DOCUMENT', { id });
    throw new VerbatimError(
      'BAD_OPTION',
      `"${id}" was removed more than ${UNDO_REMOVE_DAYS} days ago, so it can no longer be restored: add it again.`,
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#feed?.stop();
    await Promise.allSettled([...this.#inFlight]);
    // So the next start loads changed servers from their snapshots instead of rebuilding them.
    await this.#servers.saveChanged();
    await this.insights?.flush();
    await this.#semantic?.close();
    await this.#store?.close();
  }

  /** Keeps the change feed, to stop it on close. */
  follow(feed: ChangeFeed): void {
    this.#feed = feed;
  }

  /**
   * Brings the index in line with the database for documents another process changed (the feed): each is
   * re-read and added, replaced or removed, in its scope's queue like a change made here. A document this
   * process wrote itself is already as stored, and is left alone.
   */
  async applyChanges(changes: readonly { scope: Scope; id: string }[]): Promise<void> {
    const store = this.#store;
    if (store === undefined || this.#closed) return;
    // A server not in memory is read whole from the database when it is next loaded.
    const followed = changes.filter(({ scope }) => this.#servers.follows(scope));
    const applying = followed.map(({ scope, id }) =>
      this.#serialise(scope, async () => {
        if (!this.#servers.follows(scope)) return;
        const stored = await store.load(scope, id);
        const indexed = this.#engine.document(scope, id);
        if (stored === undefined) {
          if (indexed === undefined) return;
          this.#engine.remove(scope, id);
          this.#semantic?.forget(scope, id);
          this.#servers.changed(scope);
          this.#logger.info({ scope, id }, 'Document removed by another process');
          return;
        }
        if (indexed !== undefined && sameDocument(indexed, stored)) return;
        if (indexed === undefined) await this.#engine.addAsync(stored);
        else await this.#engine.replaceAsync(stored);
        this.trackSemantic(stored);
        this.#servers.changed(scope);
        this.#logger.info(
          { scope, id },
          `Document ${indexed === undefined ? 'added' : 'updated'} by another process`,
        );
      }).catch((error: unknown) => {
        this.#logger.warn({ scope, id, err: error }, 'Could not index a document changed by another process');
      }),
    );
    const all = Promise.all(applying);
    this.trackBackground(all);
    await all;
  }

  /** The engine's document (scope, id) with its summary; undefined when it has none. */
  #entry(scope: Scope, id: string): Entry | undefined {
    const document = this.#engine.document(scope, id);
    return document === undefined ? undefined : { document, summary: this.#summaryOf(document) };
  }

  #summaryOf(document: SourceDocument): DocumentSummary {
    let summary = this.#summaries.get(document);
    if (summary === undefined) {
      summary = summarise(document, this.#engine.paragraphs(document.meta.scope, document.meta.id));
      this.#summaries.set(document, summary);
    }
    return summary;
  }

  /** A document visible from `scope`: the shipped corpus first, then the scope's own. */
  #find(id: string, scope: Scope | undefined): Entry {
    const entry =
      this.#entry(SHIPPED_SCOPE, id) ?? (scope === undefined ? undefined : this.#entry(scope, id));
    if (entry === undefined) {
      if (scope !== undefined) this.#assertLoaded(scope);
      throw userError('UNKNOWN_DOCUMENT', { id });
    }
    return entry;
  }

  /** For reads that cannot wait: a server whose index is not in memory starts loading and is refused. */
  #assertLoaded(scope: Scope): void {
    if (!this.#servers.ready(scope)) throw userError('STILL_LOADING');
  }

  #isVisible(id: string, scope: Scope): boolean {
    return this.#engine.has(SHIPPED_SCOPE, id) || this.#engine.has(scope, id);
  }

  /** A document of the scope itself, for update and remove; the shipped corpus is read-only. */
  #ownEntry(scope: Scope, id: string): Entry {
    const entry = this.#entry(scope, id);
    if (entry !== undefined) return entry;
    if (this.#engine.has(SHIPPED_SCOPE, id)) throw userError('READ_ONLY_DOCUMENT', { id });
    throw userError('UNKNOWN_DOCUMENT', { id });
  }

  /** The store, once the scope is known to be a server's and changes are allowed at all. */
  #writableStore(scope: Scope, id?: string): DatabaseDocumentStore {
    if (scope === SHIPPED_SCOPE) throw userError('READ_ONLY_DOCUMENT', { id });
    if (guildIdOfScope(scope) === undefined) {
      throw new VerbatimError(
        'BAD_OPTION',
        `"${scope}" is not a server's scope; documents can only be added to a server.`,
      );
    }
    if (id !== undefined && this.#engine.has(SHIPPED_SCOPE, id) && !this.#engine.has(scope, id)) {
      throw userError('READ_ONLY_DOCUMENT', { id });
    }
    if (this.#store === undefined) {
      throw new VerbatimError(
        'BAD_OPTION',
        'Documents cannot be added, changed or removed here: no data directory is configured (set DATA_DIR).',
      );
    }
    return this.#store;
  }

  /** Refuses content with nothing to quote; else how many paragraphs (body blocks) it has, for the quota. */
  async #assertQuotable(content: Content): Promise<number> {
    let paragraphs = 0;
    for (const blocks of segmentInWindows(content.text)) {
      for (const block of blocks) if (block.kind === 'body') paragraphs += 1;
      await yieldToEventLoop();
    }
    if (paragraphs === 0) {
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        `${content.label} has nothing to quote: once headings and site boilerplate are set aside, no paragraph is left.`,
      );
    }
    return paragraphs;
  }
  /** The server's usage once `content` is stored (in place of `replacing`, when given), checked against its quotas. */
  #checkQuota(scope: Scope, content: Content, paragraphs: number, replacing: string | undefined): void {
    const after = { documents: 1, bytes: Buffer.byteLength(content.text), paragraphs };
    for (const document of this.#engine.documentsIn(scope)) {
      if (document.meta.id === replacing) continue;
      after.documents += 1;
      after.bytes += Buffer.byteLength(document.text);
      after.paragraphs += this.#summaryOf(document).paragraphs;
    }
    checkQuota(this.#quotas, after, content.label);
  }

  async #assertNotDuplicate(scope: Scope, fingerprint: string, exceptId: string | undefined): Promise<void> {
    for (const documents of [this.#engine.documentsIn(SHIPPED_SCOPE), this.#engine.documentsIn(scope)]) {
      for (const document of documents) {
        const { id } = document.meta;
        if (id === exceptId) continue;
        let known = this.#fingerprints.get(document);
        if (known === undefined) {
          known = textFingerprintInSlices(document.text, yieldToEventLoop);
          this.#fingerprints.set(document, known);
        }
        if ((await known) === fingerprint) {
          throw new VerbatimError(
            'DUPLICATE_DOCUMENT',
            `This text is already here as "${document.meta.title}" (id ${id}). Update that document instead of adding it again.`,
          );
        }
      }
    }
  }

  /** Puts the stored files back after the index refused a change; a failure here is logged, not thrown. */
  async #undo(restore: () => Promise<void>, meta: DocumentMeta): Promise<void> {
    try {
      await restore();
    } catch (error) {
      this.#logger.error(
        { scope: meta.scope, id: meta.id, err: error },
        'Could not undo a stored change the index refused',
      );
    }
  }

  /** Runs `work` unless closing; `close()` waits for every piece of work started before it. */
  #track<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(userError('SHUTTING_DOWN'));
    }
    const running = work();
    this.trackBackground(running);
    return running;
  }

  /** A write to a server: its index in memory and kept there until the write is done. */
  #trackWrite<T>(scope: Scope, work: () => Promise<T>): Promise<T> {
    return this.#track(() => this.#servers.hold(scope, work, { write: true }));
  }

  /** Runs `task` after every earlier change of the same scope has finished, successfully or not. */
  #serialise<T>(scope: Scope, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(scope) ?? Promise.resolve();
    const run = previous.then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(scope, settled);
    void settled.then(() => {
      if (this.#queues.get(scope) === settled) this.#queues.delete(scope);
    });
    return run;
  }
}

/** The same metadata (field by field: the key order of two equal objects may differ) and the same text. */
function sameDocument(a: SourceDocument, b: SourceDocument): boolean {
  if (a.text !== b.text) return false;
  const keys = new Set([...Object.keys(a.meta), ...Object.keys(b.meta)] as (keyof DocumentMeta)[]);
  for (const key of keys) {
    const x = a.meta[key];
    const y = b.meta[key];
    if (typeof x === 'object' && typeof y === 'object') {
      if (x.userId !== y.userId || x.userName !== y.userName || x.at !== y.at) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

/** `stored` with `change` applied; throws BAD_OPTION when a value is out of bounds. */
function withChange(stored: StoredSettings, change: SettingsChange): StoredSettings {
  const next: StoredSettings = { ...stored };
  if (change.answers !== undefined) next.answers = change.answers;
  if (change.insights !== undefined) next.insights = change.insights;
  if (change.retentionDays !== undefined) {
    const { min, max } = SETTINGS_LIMITS.retentionDays;
    if (!Number.isInteger(change.retentionDays) || change.retentionDays < min || change.retentionDays > max)
      throw new VerbatimError('BAD_OPTION', `Retention is counted in whole days, from ${min} to ${max}.`);
    next.retentionDays = change.retentionDays;
  }
  if (change.publicChannel !== undefined)
    next.publicChannels = toggled(stored.publicChannels, change.publicChannel.id, change.publicChannel.allow);
  if (change.autoAnswerChannel !== undefined)
    next.autoAnswerChannels = toggled(
      stored.autoAnswerChannels,
      change.autoAnswerChannel.id,
      change.autoAnswerChannel.on,
    );
  return next;
}

function toggled(list: readonly string[], id: string, present: boolean): string[] {
  const without = list.filter((item) => item !== id);
  if (!present) return without;
  if (without.length >= SETTINGS_LIMITS.channels)
    throw new VerbatimError(
      'BAD_OPTION',
      `A server can list at most ${SETTINGS_LIMITS.channels} channels here; take one off first.`,
    );
  return [...without, id];
}

function summarise(document: SourceDocument, paragraphs: readonly Paragraph[]): DocumentSummary {
  const sections: string[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.section !== '' && sections[sections.length - 1] !== paragraph.section)
      sections.push(paragraph.section);
  }
  return {
    meta: document.meta,
    paragraphs: paragraphCountOf(paragraphs),
    characters: document.text.length,
    sections: [...new Set(sections)],
  };
}
