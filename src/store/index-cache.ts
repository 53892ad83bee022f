/**
 * Memory that follows active servers (issue 12): a server's share of the index is loaded on its first
 * question or write (from its snapshot under `<dataDir>/index/servers/` when that snapshot was made from
 * exactly the documents stored now, otherwise built from their texts), and the least recently used idle
 * servers leave memory when the estimate of all resident servers passes the budget (`INDEX_MEMORY_MB`).
 * The shipped corpus is not managed here: it stays resident.
 *
 * Loads and evictions of a server run in the library's queue of changes for that server, so they never
 * interleave with its writes or with changes read from the database's feed. A server in use (a question
 * being answered, a write being made) is held and never evicted under it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SearchEngine } from '../core/index.ts';
import {
  SHIPPED_SCOPE,
  SnapshotError,
  snapshotJson,
  userError,
  type Scope,
  type SourceDocument,
} from '../core/index.ts';
import type { Logger } from '../log.ts';
import { guildIdOfScope } from './guild-store.ts';
import { readSnapshotFile, SNAPSHOT_DIR, writeSnapshotFile } from './snapshot-file.ts';
import { removeTemporaryFiles } from './temporary-files.ts';

/** Where each server's snapshot lives, under the index folder of the data directory. */
export const SERVER_SNAPSHOT_DIR = 'servers';

/**
 * Estimated bytes per character of stored text and per paragraph part. Only a budget estimate (V8 does
 * not say what one object graph costs): fitted on `npm run bench -- --only memory`, where a resident
 * server of 20 short documents (100 parts, 22,000 characters) took 399 KiB of heap (see docs/scaling.md).
 */
const BYTES_PER_CHARACTER = 11;
const BYTES_PER_PART = 1_600;

/** What happened to a server's index, for logs, metrics and tests. */
export type ServerIndexEvent =
  | { kind: 'loaded'; scope: Scope; source: 'snapshot' | 'built'; reason?: string; ms: number; bytes: number }
  | { kind: 'evicted'; scope: Scope; bytes: number };

export interface ServerIndexesOptions {
  engine: SearchEngine;
  /**
   * `false` (the terminal and tools, which index every server at open): nothing is loaded or evicted here,
   * every server counts as in memory.
   */
  onDemand: boolean;
  /** Memory budget for servers' indexes, in bytes (the shipped corpus is not counted). */
  budgetBytes: number;
  /** Where snapshots are kept; undefined: none (every load builds). */
  dataDir: string | undefined;
  logger: Logger;
  /** The server's documents as stored now. */
  documents: (scope: Scope) => Promise<SourceDocument[]>;
  /** Runs `task` in the server's queue of changes (the library's). */
  serialise: <T>(scope: Scope, task: () => Promise<T>) => Promise<T>;
  /** A document of a server just came into the index (the semantic stage tracks it). */
  indexed: (document: SourceDocument) => void;
  /** A document of a server just left the index. */
  forgotten: (scope: Scope, id: string) => void;
  /** Keeps background work (snapshot writes) for the library's close to wait for. */
  background: (work: Promise<unknown>) => void;
  onEvent?: ((event: ServerIndexEvent) => void) | undefined;
}

interface Resident {
  bytes: number;
  /** Changed since its snapshot was written (or never written): saved before it leaves memory. */
  dirty: boolean;
  /** Questions and writes using it now: it is not evicted under them. */
  holds: number;
}

export class ServerIndexes {
  readonly #options: ServerIndexesOptions;
  /** In least recently used order: a use moves a server to the end. */
  readonly #resident = new Map<Scope, Resident>();
  readonly #loading = new Map<Scope, Promise<void>>();
  /** Per server, the tail of its snapshot writes, so an older snapshot never lands after a newer one. */
  readonly #writes = new Map<Scope, Promise<unknown>>();
  #sweeping: Promise<unknown> | undefined;
  /** The tail of the loads in progress (see #oneLoadAtATime). */
  #loadTurn: Promise<void> = Promise.resolve();

  constructor(options: ServerIndexesOptions) {
    this.#options = options;
  }

  /** Estimated bytes of every resident server's index. */
  get residentBytes(): number {
    let total = 0;
    for (const { bytes } of this.#resident.values()) total += bytes;
    return total;
  }

  /** Servers whose index is in memory now. */
  get residentServers(): number {
    return this.#resident.size;
  }

  /** Whether the feed's changes to `scope` must be applied: it is in memory or being loaded. */
  follows(scope: Scope): boolean {
    if (!this.#options.onDemand) return true;
    return this.#resident.has(scope) || this.#loading.has(scope);
  }

  /**
   * For callers that cannot wait (listing, describing): true when the server's index is in memory;
   * otherwise its load is started and false returned (the caller says "still loading").
   */
  ready(scope: Scope): boolean {
    if (!this.#options.onDemand || scope === SHIPPED_SCOPE || this.#touch(scope) !== undefined) return true;
    void this.#load(scope).catch(() => undefined);
    return false;
  }

  /**
   * Runs `work` with the server's index in memory and held (not evicted until `work` settles), loading it
   * first. `waitMs`: how long to wait for a load before refusing with STILL_LOADING (the load goes on, so
   * asking again soon answers); undefined waits for as long as the load takes (writes). `write`: the
   * work changes the server's documents, so its snapshot must be written again.
   */
  async hold<T>(
    scope: Scope,
    work: () => Promise<T>,
    options: { waitMs?: number; write?: boolean } = {},
  ): Promise<T> {
    if (!this.#options.onDemand || scope === SHIPPED_SCOPE) return work();
    const deadline = options.waitMs === undefined ? undefined : performance.now() + options.waitMs;
    let resident = this.#touch(scope);
    while (resident === undefined) {
      const loading = this.#load(scope);
      if (deadline === undefined) await loading;
      else if (!(await settlesWithin(loading, deadline - performance.now())))
        throw userError('STILL_LOADING');
      resident = this.#touch(scope);
    }
    resident.holds++;
    try {
      return await work();
    } finally {
      resident.holds--;
      if (options.write === true) this.changed(scope);
      this.#evictOverBudget();
    }
  }

  /** The server's documents changed in memory (a write, or the feed): re-estimated, snapshot due. */
  changed(scope: Scope): void {
    const resident = this.#resident.get(scope);
    if (resident === undefined) return;
    resident.dirty = true;
    resident.bytes = this.#estimate(scope);
  }

  /** Writes the snapshots of servers changed since theirs was written (at close, so a restart loads them). */
  async saveChanged(): Promise<void> {
    const saving: Promise<unknown>[] = [];
    for (const [scope, resident] of this.#resident) {
      if (!resident.dirty) continue;
      saving.push(this.#options.serialise(scope, async () => this.#save(scope, resident)));
    }
    await Promise.allSettled(saving);
    await Promise.allSettled([...this.#writes.values()]);
  }

  /**
   * Forgets a server whose stored documents were erased: its index leaves memory (whether loaded on
   * demand or at open), unsaved, and its snapshot file is deleted once any write of it in progress has
   * landed. Call it in the server's queue (`serialise`), as every load and eviction runs.
   */
  async forgetNow(scope: Scope): Promise<void> {
    this.#resident.delete(scope);
    this.#removeFromEngine(scope);
    await this.#writes.get(scope)?.catch(() => undefined);
    const path = this.#pathOf(scope);
    if (path !== undefined) await rm(path, { force: true });
  }

  /** Marks the server used now and gives its entry; undefined when it is not in memory. */
  #touch(scope: Scope): Resident | undefined {
    const resident = this.#resident.get(scope);
    if (resident !== undefined) {
      this.#resident.delete(scope);
      this.#resident.set(scope, resident);
    }
    return resident;
  }

  #load(scope: Scope): Promise<void> {
    let loading = this.#loading.get(scope);
    if (loading === undefined) {
      loading = this.#options
        .serialise(scope, () => this.#oneLoadAtATime(() => this.#loadNow(scope)))
        .finally(() => {
          this.#loading.delete(scope);
          this.#evictOverBudget();
        });
      this.#loading.set(scope, loading);
      this.#options.background(loading.catch(() => undefined));
    }
    return loading;
  }

  /**
   * Loads run one after the other. Each is CPU work in slices on this thread; ten at once (a wave of
   * questions to cold servers after a restart) interleaved their slices and snapshot writes so that every
   * other interaction waited behind all of them, and some missed Discord's 3-second window
   * (`npm run bench -- --only stored`). One at a time, an interaction waits for one slice at most, and the
   * servers come in no later in total: the work is the same and this thread does it either way.
   */
  #oneLoadAtATime(load: () => Promise<void>): Promise<void> {
    const turn = this.#loadTurn.then(load);
    this.#loadTurn = turn.catch(() => undefined);
    return turn;
  }

  async #loadNow(scope: Scope): Promise<void> {
    if (this.#resident.has(scope)) return;
    const { engine, logger } = this.#options;
    const started = performance.now();
    const documents = await this.#options.documents(scope);
    const path = this.#pathOf(scope);
    let reason = path === undefined ? 'no data directory to keep a snapshot in' : 'there is no snapshot yet';
    let source: 'snapshot' | 'built' = 'built';
    if (path !== undefined && documents.length > 0) {
      await this.#sweep();
      // Its last snapshot may still be on its way to disk (written as it was evicted).
      await this.#writes.get(scope);
      const read = await readSnapshotFile(path);
      if (read.kind === 'found') {
        try {
          // In slices: a large server's snapshot took seconds in one piece.
          await engine.addScopeSnapshotAsync(read.snapshot, scope, documents);
          source = 'snapshot';
        } catch (error) {
          if (!(error instanceof SnapshotError)) throw error;
          reason = `the snapshot is ${error.problem === 'version' ? 'from another version' : error.problem}: ${error.message}`;
        }
      } else if (read.kind === 'unusable') {
        reason = `the snapshot is unusable: ${read.reason}`;
      }
    }
    if (source === 'built') {
      for (const document of documents) {
        try {
          // In slices: questions about other servers are answered meanwhile.
          await engine.addAsync(document);
        } catch (error) {
          logger.warn(
            { scope, id: document.meta.id, err: error },
            'Skipped a stored document that could not be indexed',
          );
        }
      }
    }
    for (const document of documents)
      if (engine.has(scope, document.meta.id)) this.#options.indexed(document);
    const resident: Resident = {
      bytes: this.#estimate(scope),
      dirty: source === 'built' && documents.length > 0,
      holds: 0,
    };
    this.#resident.set(scope, resident);
    const ms = performance.now() - started;
    if (source === 'built' && documents.length > 0) {
      if (reason.startsWith('the snapshot'))
        logger.warn({ scope, reason }, `Server snapshot not used (${reason}); rebuilt its index`);
      this.#save(scope, resident);
    }
    logger.debug(
      { scope, source, documents: documents.length, ms: Math.round(ms), bytes: resident.bytes },
      'Server index loaded',
    );
    this.#options.onEvent?.({
      kind: 'loaded',
      scope,
      source,
      ...(source === 'built' ? { reason } : {}),
      ms,
      bytes: resident.bytes,
    });
  }

  /** Evicts least recently used servers not in use until the estimate fits the budget. */
  #evictOverBudget(): void {
    let total = this.residentBytes;
    if (total <= this.#options.budgetBytes) return;
    // The most recently used server stays whatever its size: it is the one about to be asked.
    for (const [scope, resident] of [...this.#resident].slice(0, -1)) {
      if (total <= this.#options.budgetBytes) break;
      if (resident.holds > 0) continue;
      total -= resident.bytes;
      // Gone from the map at once: a question from now on loads it again, queued after the eviction.
      this.#resident.delete(scope);
      this.#options.background(
        this.#options
          .serialise(scope, async () => this.#evictNow(scope, resident))
          .catch((error: unknown) =>
            this.#options.logger.warn({ scope, err: error }, 'Could not evict a server’s index'),
          ),
      );
    }
  }

  async #evictNow(scope: Scope, resident: Resident): Promise<void> {
    if (resident.dirty) this.#save(scope, resident);
    this.#removeFromEngine(scope);
    this.#options.logger.debug({ scope, bytes: resident.bytes }, 'Server index evicted');
    this.#options.onEvent?.({ kind: 'evicted', scope, bytes: resident.bytes });
  }

  /** Takes every document of the server out of the index (evicted, or erased). */
  #removeFromEngine(scope: Scope): void {
    const { engine } = this.#options;
    for (const document of engine.documentsIn(scope)) {
      engine.remove(scope, document.meta.id);
      this.#options.forgotten(scope, document.meta.id);
    }
  }

  /**
   * Serialises the server's index now (in its queue, so it is the index as of this moment) and writes it
   * in the background, after any earlier write of the same server. A failed write is logged: the next
   * load rebuilds.
   */
  #save(scope: Scope, resident: Resident): void {
    const path = this.#pathOf(scope);
    if (path === undefined) return;
    const json = snapshotJson(this.#options.engine.scopeSnapshot(scope));
    resident.dirty = false;
    const previous = this.#writes.get(scope) ?? Promise.resolve();
    const writing = previous.then(() =>
      writeSnapshotFile(path, json).then(
        (bytes) => this.#options.logger.debug({ file: path, bytes }, 'Server snapshot written'),
        (error: unknown) => {
          resident.dirty = true;
          this.#options.logger.warn(
            { file: path, err: error },
            'Could not write a server snapshot; its next load rebuilds',
          );
        },
      ),
    );
    this.#writes.set(scope, writing);
    void writing.then(() => {
      if (this.#writes.get(scope) === writing) this.#writes.delete(scope);
    });
    this.#options.background(writing);
  }

  #pathOf(scope: Scope): string | undefined {
    const guildId = guildIdOfScope(scope);
    const { dataDir } = this.#options;
    if (dataDir === undefined || guildId === undefined) return undefined;
    return join(dataDir, SNAPSHOT_DIR, SERVER_SNAPSHOT_DIR, `${guildId}.json`);
  }

  /**
   * Leftovers of snapshot writes a kill interrupted, removed once, before the first snapshot is read or
   * written (every load waits for the same sweep, so it never meets a write of this process).
   */
  #sweep(): Promise<unknown> {
    const { dataDir, logger } = this.#options;
    if (dataDir === undefined) return Promise.resolve();
    this.#sweeping ??= removeTemporaryFiles(join(dataDir, SNAPSHOT_DIR, SERVER_SNAPSHOT_DIR), logger).catch(
      (error: unknown) => logger.warn({ err: error }, 'Could not sweep the server snapshots folder'),
    );
    return this.#sweeping;
  }

  #estimate(scope: Scope): number {
    const { engine } = this.#options;
    let bytes = 0;
    for (const document of engine.documentsIn(scope)) {
      bytes += document.text.length * BYTES_PER_CHARACTER;
      bytes += engine.paragraphs(scope, document.meta.id).length * BYTES_PER_PART;
    }
    return bytes;
  }
}

/** Whether `work` settles within `ms` (its failure counts as settled, and is thrown). */
async function settlesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
