/**
 * Versioned migrations of the document database, run at every start (and by `npm run cli -- migrate`).
 * Kysely's Migrator runs the pending ones in one transaction (both databases have transactional DDL) and
 * under its lock, so shards starting together migrate once. A database that has a migration this code
 * does not know was written by a newer verbatim: it is refused before anything is touched, because older
 * code would misread what the newer one stored.
 *
 * A new migration is appended to MIGRATIONS with a name that sorts after the last one; migrations are
 * never edited once released, and never depend on a migration of a name after theirs.
 */
import { Migrator } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { VerbatimError } from '../../core/index.ts';
import { unavailable, type DatabaseKind, type StoreDatabase } from './connect.ts';

/** Tries of a migration that failed, before its error is reported. */
const ATTEMPTS = 3;

/** Kysely's own bookkeeping tables. */
const MIGRATION_TABLE = 'kysely_migration';

// Migrations must not depend on the app's current types: they see the database as it was. `Kysely<any>` is
// what Kysely's Migration interface hands them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0001-documents-revisions-audit': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('documents')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('documents_pk', ['scope', 'id'])
          .execute();
        await db.schema
          .createTable('revisions')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('revisions_pk', ['scope', 'document_id', 'revision'])
          .execute();
        await db.schema
          .createTable('audit')
          .addColumn('id', kind === 'sqlite' ? 'integer' : 'serial', (c) =>
            kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer')
          .execute();
        await db.schema
          .createTable('store_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('writes', 'integer', (c) => c.notNull())
          .addColumn('guilds_imported_at', 'text')
          .execute();
        await db.insertInto('store_state').values({ id: 1, writes: 0, guilds_imported_at: null }).execute();
      },
    },
    // Secrets every process of the bot must share, on every machine (the button-signing key).
    '0002-secrets': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('secrets')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Insights (src/store/db/insights.ts): what was asked and how it went, never who asked.
    '0010-insights': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('insight_questions')
          .addColumn('answer_key', 'text', (c) => c.primaryKey())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('asked_at', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('words', 'text', (c) => c.notNull())
          .addColumn('answered', 'integer', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('passages', 'text', (c) => c.notNull())
          .addColumn('best_passage', 'text')
          .execute();
        await db.schema
          .createIndex('insight_questions_scope_at')
          .on('insight_questions')
          .columns(['scope', 'asked_at'])
          .execute();
        await db.schema
          .createTable('insight_votes')
          .addColumn('answer_key', 'text', (c) => c.notNull())
          .addColumn('voter', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('helpful', 'integer', (c) => c.notNull())
          .addColumn('voted_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('insight_votes_pk', ['answer_key', 'voter'])
          .execute();
        await db.schema
          .createTable('insight_scopes')
          .addColumn('scope', 'text', (c) => c.primaryKey())
          .addColumn('left_at', 'text')
          .execute();
      },
    },
    // `/document log` pages one server's audit newest first, and `/document restore` looks for its
    // removals: without this index both read every server's rows.
    '0020-audit-by-scope': {
      async up(db: AnyDb) {
        await db.schema.createIndex('audit_scope_id').on('audit').columns(['scope', 'id']).execute();
      },
    },
    '0030-server-settings': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('server_settings')
          .addColumn('guild_id', 'text', (c) => c.primaryKey())
          .addColumn('answers', 'text')
          .addColumn('public_channels', 'text', (c) => c.notNull())
          .addColumn('insights', 'integer')
          .addColumn('retention_days', 'integer')
          .addColumn('auto_answer_channels', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0040-glossary': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('glossary')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('term_key', 'text', (c) => c.notNull())
          .addColumn('means_key', 'text', (c) => c.notNull())
          .addColumn('term', 'text', (c) => c.notNull())
          .addColumn('means', 'text', (c) => c.notNull())
          .addColumn('both_ways', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('glossary_pk', ['scope', 'term_key', 'means_key'])
          .execute();
      },
    },
  };
}

/** The names of the migrations this code knows, oldest first. */
export function knownMigrations(kind: DatabaseKind = 'sqlite'): string[] {
  return Object.keys(migrations(kind)).sort();
}

export interface MigrationOutcome {
  /** Migrations run now, oldest first (empty when the database was up to date). */
  applied: string[];
  /** The migration the database is at afterwards. */
  current: string;
}

/**
 * Refuses a database newer than this code (VerbatimError DATABASE_TOO_NEW), then runs the pending
 * migrations in one transaction. A failure rolls every one of them back.
 */
export async function migrate(database: StoreDatabase): Promise<MigrationOutcome> {
  await assertNotNewer(database);
  const provider = { getMigrations: () => Promise.resolve(migrations(database.kind)) };
  // Migrations come from branches developed side by side (0002-secrets was released after 0040-glossary
  // had run on some databases): each creates its own tables, so one released later than a higher-named
  // one still runs, in name order among those pending, instead of the database being called corrupt.
  const migrator = new Migrator({ db: database.db, provider, allowUnorderedMigrations: true });
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  for (let attempt = 1; ; attempt++) {
    try {
      outcome = await migrator.migrateToLatest();
    } catch (error) {
      outcome = { error };
    }
    if (outcome.error === undefined || outcome.error instanceof VerbatimError || attempt === ATTEMPTS) break;
    // Processes starting together (shards) can race to create Kysely's own tables, which happens before
    // its lock exists: the loser fails, and on the next try finds them made.
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
  if (outcome.error !== undefined) {
    if (outcome.error instanceof VerbatimError) throw outcome.error;
    throw unavailable(database.location, outcome.error);
  }
  const applied = (outcome.results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
  const known = knownMigrations(database.kind);
  return { applied, current: known[known.length - 1] ?? '' };
}

/** The migrations recorded in the database (none for a new one). */
export async function appliedMigrations(database: StoreDatabase): Promise<string[]> {
  let tables: string[];
  try {
    tables = (await database.db.introspection.getTables({ withInternalKyselyTables: true })).map(
      (table) => table.name,
    );
  } catch (error) {
    throw unavailable(database.location, error);
  }
  if (!tables.includes(MIGRATION_TABLE)) return [];
  const db = database.db as unknown as Kysely<{ [MIGRATION_TABLE]: { name: string } }>;
  const rows = await db.selectFrom(MIGRATION_TABLE).select('name').execute();
  return rows.map((row) => row.name).sort();
}

async function assertNotNewer(database: StoreDatabase): Promise<void> {
  const known = new Set(knownMigrations(database.kind));
  const unknown = (await appliedMigrations(database)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new VerbatimError(
      'DATABASE_TOO_NEW',
      `The database ${database.location} was written by a newer verbatim (it has migration "${unknown[unknown.length - 1]}", unknown to this version): run the newer version, or restore a backup made by this one.`,
    );
  }
}
