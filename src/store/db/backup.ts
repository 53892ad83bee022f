/**
 * `npm run cli -- backup FILE` and `restore FILE` for the SQLite database. The backup is SQLite's online
 * backup (a consistent copy taken while the bot keeps running and writing), written to a temporary file
 * next to FILE and renamed into place, so FILE is never half a backup. Restore checks the file first (a
 * SQLite database, intact, made by this version or an older one) and copies it over the live database
 * through the same backup API, so even a process that has it open sees the old state or the new one.
 * PostgreSQL has its own tools: docs/operations.md gives the `pg_dump` and `pg_restore` lines.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { VerbatimError } from '../../core/index.ts';
import { errorText, openSqlite, type StoreDatabase } from './connect.ts';
import { appliedMigrations, knownMigrations } from './migrations.ts';

const POSTGRES_TOOLS =
  'With DATABASE_URL (PostgreSQL), back up with pg_dump and restore with pg_restore: see docs/operations.md, "Backup and restore".';

/** Writes a consistent copy of the live SQLite database to `file`; returns its size in bytes. */
export async function backupDatabase(database: StoreDatabase, file: string): Promise<number> {
  if (database.sqlite === undefined) throw new VerbatimError('BAD_OPTION', POSTGRES_TOOLS);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await database.sqlite.backup(temp);
    await rename(temp, file);
  } catch (error) {
    throw new VerbatimError('UNREADABLE_FILE', `Cannot write the backup to "${file}": ${errorText(error)}.`);
  } finally {
    await rm(temp, { force: true });
  }
  return (await stat(file)).size;
}

/**
 * Replaces the live SQLite database at `livePath` with the backup `file`, after checking it. Stop the bot
 * first: a running process would keep its index of the documents as they were until it restarts.
 */
export async function restoreDatabase(database: StoreDatabase, file: string): Promise<void> {
  if (database.sqlite === undefined) throw new VerbatimError('BAD_OPTION', POSTGRES_TOOLS);
  await checkBackup(file);
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(database.location);
  } catch (error) {
    throw new VerbatimError(
      'DATABASE_UNAVAILABLE',
      `Cannot restore "${file}" into ${database.location}: ${errorText(error)}. The database is as it was.`,
    );
  } finally {
    source.close();
  }
}

/** A backup is a SQLite database that passes its integrity check and is not newer than this code. */
async function checkBackup(file: string): Promise<void> {
  let backup: StoreDatabase | undefined;
  try {
    backup = openSqlite(file, 'readonly');
    const result = backup.sqlite?.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`its integrity check says "${String(result)}"`);
    const applied = await appliedMigrations(backup);
    if (applied.length === 0) throw new Error('it holds no verbatim database');
    const known = new Set(knownMigrations('sqlite'));
    const unknown = applied.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new VerbatimError(
        'DATABASE_TOO_NEW',
        `"${file}" was made by a newer verbatim (migration "${unknown[unknown.length - 1]}"): restore it with that version.`,
      );
    }
  } catch (error) {
    if (error instanceof VerbatimError && error.code === 'DATABASE_TOO_NEW') throw error;
    throw new VerbatimError(
      'UNREADABLE_FILE',
      `"${file}" is not a verbatim backup: ${errorText(error)}. Nothing was restored.`,
    );
  } finally {
    await backup?.close();
  }
}
