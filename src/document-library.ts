/**
 * The Library (library-api.ts) as one object: the shipped corpus and the servers' documents in one
 * engine, answers, reads, settings, glossaries and insights; changes to documents are document-writes.ts,
 * changes from other processes library-feed.ts. Changes are serialised per scope, so two moderators of one
 * server cannot interleave; `close()` lets changes in progress finish.
 */
import type {
  AddDocumentInput,
  DocumentHistory,
  DocumentSource,
  DocumentSummary,
  IndexStartup,
  Library,
  LibraryOptions,
  LibraryStats,
  RestoreInput,
  SettingsChange,
  UpdateDocumentInput,
  UpdatePreview,
} from './library-api.ts';
import { UNDO_REMOVE_DAYS } from './library-api.ts';
import { ServerSettingsCache } from './server-settings-cache.ts';
import { yieldToEventLoop, type LibraryContext } from './library-context.ts';
import { DocumentWrites } from './document-writes.ts';
import { DocumentReads } from './document-reads.ts';
import { applyStoredChanges } from './library-feed.ts';
import { guildScope, SHIPPED_SCOPE, VerbatimError, userError } from './core/index.ts';
import type {
  AskOptions,
  AskResult,
  Explanation,
  GlossaryEntry,
  Passage,
  Provenance,
  Scope,
  SourceDocument,
  SearchEngine,
} from './core/index.ts';
import type { ExtractionLimits } from './ingest/extract.ts';
import type { Logger } from './log.ts';
import type { GlossaryService } from './glossary-service.ts';
import { eraseDepartedServers } from './departed-servers.ts';
import { guildIdOfScope } from './store/guild-store.ts';
import { InsightsStore } from './store/db/insights.ts';
import { sharedSecret, type ChangeFeed, type DatabaseDocumentStore } from './store/db/index.ts';
import { DEFAULT_SETTINGS, readRetentionChoices } from './store/db/settings.ts';
import type { ServerSettings, SettingsDefaults } from './store/db/settings.ts';
import { ServerIndexes } from './store/index-cache.ts';
import { documentVersions } from './document-history.ts';
import { auditPage, removedSince, type AuditEntry, type RemovedDocument } from './store/db/history.ts';
import { AddRate, DEFAULT_SERVER_QUOTAS } from './quota.ts';
import type { ServerQuotas } from './quota.ts';
import type { SemanticService } from './semantic/semantic-service.ts';
import { type SemanticStatus } from './semantic/semantic-service.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long a question waits for its server's index to load before "still loading": a snapshot loads in
 * milliseconds and a small server builds in well under this, so a member's first question is answered;
 * a large server being built is told to ask again rather than kept on "thinking…" (the load goes on).
 */
const ASK_LOAD_WAIT_MS = 2_000;
const DEFAULT_INDEX_MEMORY_BYTES = 256 * 1024 * 1024;
/** The name the button-signing key is stored under in the database's secrets. */
const BUTTON_KEY = 'button-key';
/** The name the voters' salt (one vote per member per answer, no user id) is stored under. */
const VOTER_SALT = 'voter-salt';

export class DocumentLibrary implements Library {
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
  /** Per scope, the tail of its queue of changes. */
  readonly #queues = new Map<Scope, Promise<void>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #semantic: SemanticService | undefined;
  readonly #glossaries: GlossaryService;
  #closed = false;
  readonly startup: IndexStartup;
  readonly #settings: ServerSettingsCache;
  /** What the library's parts share (library-context.ts). */
  readonly #context: LibraryContext;
  readonly #writes: DocumentWrites;
  readonly #reads: DocumentReads;

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
    this.#engine = engine;
    this.#store = store;
    this.insights = store === undefined ? undefined : new InsightsStore(store.database, now);
    this.#logger = logger;
    this.#now = now;
    this.#dataDir = options.dataDir;
    this.startup = startup;
    this.#reads = new DocumentReads(engine, this.#servers);
    this.#settings = new ServerSettingsCache(store?.database, settingsDefaults, now);
    this.#context = {
      engine,
      servers: this.#servers,
      semantic,
      logger,
      now,
      extraction,
      quotas,
      // Real time, not `now`: that clock stamps provenance, and tests step it once per call.
      addRate: new AddRate(quotas.addsPerHour),
      // Computed the first time a check needs it (in slices): for every document at start-up it would
      // cost seconds at 100,000 paragraphs.
      fingerprints: new WeakMap(),
      writableStore: (scope, id) => this.#writableStore(scope, id),
      serialise: (scope, task) => this.#serialise(scope, task),
      trackWrite: (scope, work) => this.#track(() => this.#servers.hold(scope, work, { write: true })),
      trackBackground: (work) => this.trackBackground(work),
      trackSemantic: (document) => this.trackSemantic(document),
      summaryOf: (document) => this.#reads.summaryOf(document),
      entry: (scope, id) => this.#reads.entry(scope, id),
      ownEntry: (scope, id) => this.#reads.ownEntry(scope, id),
      isVisible: (id, scope) => this.#engine.has(SHIPPED_SCOPE, id) || this.#engine.has(scope, id),
      removed: (scope) => this.removed(scope),
    };
    this.#writes = new DocumentWrites(this.#context);
  }

  settings(guildId: string): Promise<ServerSettings> {
    return this.#settings.read(guildId);
  }

  changeSettings(
    guildId: string,
    change: SettingsChange,
    actor: Omit<Provenance, 'at'>,
  ): Promise<ServerSettings> {
    return this.#track(() =>
      // In the server's queue, so two moderators' changes at once are applied one after the other.
      this.#serialise(guildScope(guildId), async () => {
        this.#writableStore(guildScope(guildId));
        return this.#settings.change(guildId, change, actor);
      }),
    );
  }

  async purgeInsights(): Promise<{ questions: number; servers: number }> {
    const store = this.#store;
    if (store === undefined || this.insights === undefined) return { questions: 0, servers: 0 };
    const chosen = await readRetentionChoices(store.database);
    const own = new Map(chosen.map(({ guildId, days }) => [guildScope(guildId), days]));
    const questions = await this.insights.purge(this.#settings.defaults.retentionDays, own);
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
        if (guildId !== undefined) this.#settings.forget(guildId);
      },
      logger: this.#logger,
    });
    return { questions, servers };
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
    return this.#reads.stats();
  }

  list(scope?: Scope): DocumentSummary[] {
    return this.#reads.list(scope);
  }

  describe(id: string, scope?: Scope): DocumentSummary {
    return this.#reads.describe(id, scope);
  }

  around(id: string, paragraph: number, radius: number, scope?: Scope): Passage[] {
    return this.#reads.around(id, paragraph, radius, scope);
  }

  add(input: AddDocumentInput): Promise<DocumentSummary> {
    return this.#writes.add(input);
  }

  update(input: UpdateDocumentInput): Promise<DocumentSummary> {
    return this.#writes.update(input);
  }

  previewUpdate(scope: Scope, id: string, source: DocumentSource): Promise<UpdatePreview> {
    return this.#writes.previewUpdate(scope, id, source);
  }

  remove(scope: Scope, id: string, actor: Omit<Provenance, 'at'>): Promise<void> {
    return this.#writes.remove(scope, id, actor);
  }

  async history(scope: Scope, id: string): Promise<DocumentHistory> {
    const store = this.#writableStore(scope);
    this.#reads.assertLoaded(scope);
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
    return this.#writes.restore(input);
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
   * Brings the index in line with the database for documents another process changed (the feed; see
   * library-feed.ts).
   */
  async applyChanges(changes: readonly { scope: Scope; id: string }[]): Promise<void> {
    const store = this.#store;
    if (store === undefined || this.#closed) return;
    await applyStoredChanges(this.#context, store, changes);
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

  /** Runs `work` unless closing; `close()` waits for every piece of work started before it. */
  #track<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(userError('SHUTTING_DOWN'));
    }
    const running = work();
    this.trackBackground(running);
    return running;
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
