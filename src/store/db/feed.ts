/**
 * The change feed: tells a running process that another process (the CLI's `add`, another shard, another
 * machine) changed documents, so its index follows without a restart.
 *
 * What changed is read from the audit table, after a cursor (the last audit id this process has seen);
 * what wakes the reader differs: SQLite's `PRAGMA data_version` (it changes when another connection
 * commits), polled; PostgreSQL's LISTEN/NOTIFY (each write transaction notifies when it commits), with a
 * catch-up after every reconnection, since notifications sent meanwhile are lost. Changes this process made
 * itself come through too: the listener compares and skips them.
 */
import pg from 'pg';
import type { Scope } from '../../core/index.ts';
import type { Logger } from '../../log.ts';
import { errorText } from './connect.ts';
import { CHANGE_CHANNEL, type DatabaseDocumentStore, type StoredChange } from './documents.ts';

/** Default time between two looks at SQLite's data version (a cheap call on the open connection). */
export const DEFAULT_POLL_MS = 250;
/** Wait before listening again after the PostgreSQL connection of the feed was lost. */
const RECONNECT_MS = 1_000;

/** The documents to look at again: each (scope, id) once, in the order of their last change. */
export type ChangeListener = (changes: { scope: Scope; id: string }[]) => Promise<void>;

export interface FeedOptions {
  /** The last audit id already reflected in memory (read before the documents were loaded). */
  from: number;
  logger: Logger;
  /** SQLite only. Default DEFAULT_POLL_MS. */
  pollMs?: number;
}

export interface ChangeFeed {
  /** Stops waking; waits for a catch-up in progress. */
  stop(): Promise<void>;
}

export async function watchChanges(
  store: DatabaseDocumentStore,
  listener: ChangeListener,
  options: FeedOptions,
): Promise<ChangeFeed> {
  const reader = new CatchUp(store, listener, options.from, options.logger);
  const { database } = store;
  if (database.sqlite !== undefined) {
    const sqlite = database.sqlite;
    let version = sqlite.pragma('data_version', { simple: true });
    const timer = setInterval(() => {
      const now = sqlite.pragma('data_version', { simple: true });
      if (now !== version) {
        version = now;
        reader.wake();
      }
    }, options.pollMs ?? DEFAULT_POLL_MS);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await reader.stop();
      },
    };
  }
  if (database.postgresUrl === undefined) throw new Error('watchChanges: neither SQLite nor PostgreSQL');
  const listening = new PostgresListener(database.postgresUrl, () => reader.wake(), options.logger);
  await listening.start();
  // Anything committed between the documents' load and LISTEN taking effect.
  reader.wake();
  return {
    async stop() {
      await listening.stop();
      await reader.stop();
    },
  };
}

/** Reads the audit after the cursor whenever woken, one catch-up at a time. */
class CatchUp {
  readonly #store: DatabaseDocumentStore;
  readonly #listener: ChangeListener;
  readonly #logger: Logger;
  #cursor: number;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(store: DatabaseDocumentStore, listener: ChangeListener, from: number, logger: Logger) {
    this.#store = store;
    this.#listener = listener;
    this.#cursor = from;
    this.#logger = logger;
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        const page = await this.#store.changesSince(this.#cursor);
        if (page.length === 0 || this.#stopped) return;
        await this.#listener(latestPerDocument(page));
        this.#cursor = page[page.length - 1]?.auditId ?? this.#cursor;
      }
    } catch (error) {
      // The next wake-up tries again from the same cursor: nothing is skipped.
      this.#logger.warn(
        { err: error },
        `Could not read changes made by other processes: ${errorText(error)}`,
      );
    }
  }
}

function latestPerDocument(changes: readonly StoredChange[]): { scope: Scope; id: string }[] {
  const last = new Map<string, { scope: Scope; id: string }>();
  for (const change of changes) {
    const key = `${change.scope}\u0000${change.id}`;
    last.delete(key);
    last.set(key, { scope: change.scope, id: change.id });
  }
  return [...last.values()];
}

/** One dedicated connection that LISTENs, and listens again (then wakes the reader) when it is lost. */
class PostgresListener {
  readonly #url: string;
  readonly #onNotice: () => void;
  readonly #logger: Logger;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(url: string, onNotice: () => void, logger: Logger) {
    this.#url = url;
    this.#onNotice = onNotice;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', () => this.#onNotice());
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the connection closed')));
    await client.connect();
    if (this.#stopped) {
      await client.end();
      return;
    }
    // LISTEN takes an identifier, not a parameter; the channel is our own constant.
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.#client = client;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#stopped || this.#client !== client) return;
    this.#client = undefined;
    this.#logger.warn(
      { err: error },
      `Lost the database connection that announces other processes' changes; listening again: ${errorText(error)}`,
    );
    void client.end().catch(() => undefined);
    const again = (): void => {
      if (this.#stopped) return;
      this.start().then(
        () => this.#onNotice(),
        () => {
          this.#retry = setTimeout(again, RECONNECT_MS);
          this.#retry.unref();
        },
      );
    };
    this.#retry = setTimeout(again, RECONNECT_MS);
    this.#retry.unref();
  }
}
