/**
 * The document database, opened ready for use: connected (SQLite under DATA_DIR, or PostgreSQL at
 * DATABASE_URL), migrated to this version (or refused when newer), and with the old `DATA_DIR/guilds/`
 * folders imported the first time. The library sees it through the same methods the file store had
 * (loadAll, save, delete), plus the change feed.
 */
import type { Logger } from '../../log.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { openDatabase, type DatabaseOptions } from './connect.ts';
import { DatabaseDocumentStore } from './documents.ts';
import { importGuildFolders } from './import.ts';
import { migrate, type MigrationOutcome } from './migrations.ts';

export { DatabaseDocumentStore, SYSTEM_ACTOR, type Actor } from './documents.ts';
export { watchChanges, type ChangeFeed, type ChangeListener } from './feed.ts';
export type { MigrationOutcome } from './migrations.ts';
export { sharedSecret } from './secrets.ts';

export interface DocumentDatabaseOptions extends DatabaseOptions {
  logger: Logger;
  now?: () => Date;
}

export async function openDocumentDatabase(options: DocumentDatabaseOptions): Promise<DatabaseDocumentStore> {
  const database = openDatabase(options);
  try {
    const migrated = await migrate(database);
    if (migrated.applied.length > 0) {
      options.logger.info(
        { database: database.location, applied: migrated.applied },
        `Database migrated to ${migrated.current}`,
      );
    }
    await importGuildFolders(database, options.dataDir, options.logger, options.now);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new DatabaseDocumentStore(database, options.logger, options.now);
}

/** `npm run cli -- migrate`: connects, migrates, and says where the database is and what was run. */
export async function migrateDatabase(
  options: DatabaseOptions,
): Promise<MigrationOutcome & { location: string }> {
  const database = openDatabase(options);
  try {
    return { ...(await migrate(database)), location: database.location };
  } finally {
    await database.close();
  }
}

/** `npm run cli -- backup FILE`: a consistent copy of the (migrated) SQLite database while it is in use. */
export async function backupDocumentDatabase(
  options: DatabaseOptions,
  file: string,
): Promise<{ location: string; bytes: number }> {
  const database = openDatabase(options);
  try {
    await migrate(database);
    return { location: database.location, bytes: await backupDatabase(database, file) };
  } finally {
    await database.close();
  }
}

/**
 * `npm run cli -- restore FILE`: the SQLite database replaced by a checked backup. The live database is
 * not migrated first: restoring is also how an operator goes back from a newer version.
 */
export async function restoreDocumentDatabase(
  options: DatabaseOptions,
  file: string,
): Promise<{ location: string }> {
  const database = openDatabase(options);
  try {
    await restoreDatabase(database, file);
    return { location: database.location };
  } finally {
    await database.close();
  }
}
