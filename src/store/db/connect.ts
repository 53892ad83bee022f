/**
 * Opening the document database: SQLite by default (one file under DATA_DIR, WAL mode), PostgreSQL when
 * DATABASE_URL is set. Both are handed to Kysely, so the rest of the store is one code path for both.
 *
 * SQLite transactions begin IMMEDIATE (and migrations run in one): they take the write lock before reading anything, so two processes
 * (the bot and `npm run cli -- add`, or shards) writing at once wait for each other (busy timeout) instead
 * of failing on a stale read. Every transaction of the store writes, so nothing is lost by it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import { VerbatimError } from '../../core/index.ts';
import type { StoreSchema } from './schema.ts';

/** The SQLite file under DATA_DIR. */
export const SQLITE_FILE = 'verbatim.sqlite';

/** How long a write waits for another process's write to finish before it fails. */
const BUSY_TIMEOUT_MS = 10_000;
/** Connections a process keeps to PostgreSQL (writes are serialised anyway; reads are few). */
const POSTGRES_POOL_SIZE = 4;
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** DATA_DIR: where the SQLite file lives (ignored with a databaseUrl). */
  dataDir: string;
  /** DATABASE_URL: a postgres:// URL; absent means SQLite. */
  databaseUrl?: string | undefined;
}

export interface StoreDatabase {
  readonly kind: DatabaseKind;
  readonly db: Kysely<StoreSchema>;
  /** For messages: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** SQLite only: the connection (for PRAGMA data_version and the online backup). */
  readonly sqlite?: BetterSqlite3.Database;
  /** PostgreSQL only: the connection string (for the LISTEN connection of the change feed). */
  readonly postgresUrl?: string;
  close(): Promise<void>;
}

export function openDatabase(options: DatabaseOptions): StoreDatabase {
  return options.databaseUrl === undefined
    ? openSqlite(join(options.dataDir, SQLITE_FILE))
    : openPostgres(options.databaseUrl);
}

/**
 * Opens (creating when absent) the SQLite file at `path`. `readonly`: an existing file, untouched (a
 * backup being checked).
 */
export function openSqlite(path: string, mode: 'write' | 'readonly' = 'write'): StoreDatabase {
  let sqlite: BetterSqlite3.Database;
  try {
    if (mode === 'readonly') {
      sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    } else {
      mkdirSync(join(path, '..'), { recursive: true });
      sqlite = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
      sqlite.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before it returns, so a power cut after "Added" loses nothing.
      sqlite.pragma('synchronous = FULL');
    }
  } catch (error) {
    if (mode === 'readonly') throw error;
    throw new VerbatimError(
      'DATABASE_UNAVAILABLE',
      `Cannot open the database file ${path}: ${errorText(error)}. Check DATA_DIR and its permissions.`,
    );
  }
  const db = new Kysely<StoreSchema>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    kind: 'sqlite',
    db,
    location: path,
    sqlite,
    close: () => db.destroy(),
  };
}

export function openPostgres(url: string): StoreDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
  });
  // An idle connection dropped by the server is replaced on next use; without a listener it would crash.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: withoutPassword(url),
    postgresUrl: url,
    close: () => db.destroy(),
  };
}

/** The URL as it may be shown in logs and messages. */
export function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return 'the PostgreSQL server of DATABASE_URL';
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** A connection failure said in one sentence the operator can act on. */
export function unavailable(location: string, error: unknown): VerbatimError {
  return new VerbatimError(
    'DATABASE_UNAVAILABLE',
    `Cannot use the database ${location}: ${errorText(error)}. Check DATABASE_URL (or DATA_DIR) and that the server is running.`,
  );
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * SQLite does roll back CREATE TABLE with the transaction; Kysely's adapter says otherwise only to stay
 * on the safe side, which would make its Migrator run migrations outside a transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  return error instanceof Error ? error.message.split('\n')[0] || error.name : String(error);
}
