/**
 * The library service: the document store joined to the search engine. The bot and the terminal mode
 * both call it, so they cannot drift apart. This module opens it (`openLibrary`) and is the door every
 * front end imports from; what it promises is `library-api.ts`, the object behind it
 * `document-library.ts`, with its parts: reads (`document-reads.ts`), changes to documents
 * (`document-writes.ts`), changes from other processes (`library-feed.ts`) and servers' settings
 * (`server-settings-cache.ts`), sharing what they need through `library-context.ts`.
 *
 * The shipped corpus (or a `--corpus` folder) is loaded read-only; each server's own documents are loaded
 * from the database (src/store/db/) and changed through `add`, `update` and `remove`, which commit them
 * first and then index the new content at once (no rebuild). Changes are serialised per scope, so two
 * moderators of one server cannot interleave; `close()` lets changes in progress finish.
 */
import { DocumentLibrary } from './document-library.ts';
import type { IndexStartup, Library, LibraryOptions } from './library-api.ts';
import { dirname } from 'node:path';
import { SearchEngine, SnapshotError } from './core/index.ts';
import type { Scope, SourceDocument } from './core/index.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from './store/corpus.ts';
import { GlossaryStore } from './store/db/glossary.ts';
import { loadShippedGlossary } from './store/shipped-glossary.ts';
import { GlossaryService } from './glossary-service.ts';
import { loadFolderCorpus } from './store/folder-corpus.ts';
import { guildIdOfScope } from './store/guild-store.ts';
import { openDocumentDatabase, watchChanges } from './store/db/index.ts';
import { DEFAULT_SETTINGS } from './store/db/settings.ts';
import { readSnapshotFile, snapshotPath, writeSnapshotFile } from './store/snapshot-file.ts';
import { removeTemporaryFiles } from './store/temporary-files.ts';
import { snapshotJson } from './core/index.ts';
import { corpusVectorFile, dataVectorFile, SemanticService } from './semantic/semantic-service.ts';

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

export type { ExtractionLimits } from './ingest/extract.ts';
export { DEFAULT_SERVER_QUOTAS } from './quota.ts';
export type { ServerQuotas } from './quota.ts';
export { describeSemanticStatus, type SemanticStatus } from './semantic/semantic-service.ts';
/** Upkeep of the document database for the terminal (`migrate`, `backup`, `restore`): no index needed. */
export { backupDocumentDatabase, migrateDatabase, restoreDocumentDatabase } from './store/db/index.ts';
export * from './library-api.ts';

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
