/**
 * The document database, opened ready for use: connected (SQLite under DATA_DIR, or PostgreSQL at
 * DATABASE_URL), migrated to this version (or refused when newer), and with the old `DATA_DIR/guilds/`
 * folders imported the first time. The library sees it through the same methods the file store had
 * (loadAll, save, delete), plus the change feed.
 */
import type { Logger } from '../../log.ts';
import { openDatabase, type DatabaseOptions, type StoreDatabase } from './connect.ts';
import { DatabaseDocumentStore } from './documents.ts';
import { importGuildFolders } from './import.ts';
import { migrate, type MigrationOutcome } from './migrations.ts';

export { DatabaseDocumentStore, type Actor } from './documents.ts';
export { watchChanges, type ChangeFeed, type ChangeListener } from './feed.ts';
export { backupDatabase, restoreDatabase } from './backup.ts';
export type { MigrationOutcome } from './migrations.ts';

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

/** Runs `work` on the migrated database (backup and restore), then closes it. */
export async function withDatabase<T>(
  options: DatabaseOptions,
  work: (database: StoreDatabase) => Promise<T>,
): Promise<T> {
  const database = openDatabase(options);
  try {
    await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}
