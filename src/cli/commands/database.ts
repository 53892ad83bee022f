/**
 * migrate, backup and restore: upkeep of the document database (SQLite under DATA_DIR, or PostgreSQL at
 * DATABASE_URL). None of them loads the search index.
 */
import { resolve } from 'node:path';
import { backupDocumentDatabase, migrateDatabase, restoreDocumentDatabase } from '../../library.ts';
import { expectPositionals, parseCommandArgs } from '../args.ts';
import { writeLine, type CliCommand, type CliContext } from '../context.ts';

function databaseOptions(context: CliContext): { dataDir: string; databaseUrl: string | undefined } {
  return { dataDir: context.config.dataDir, databaseUrl: context.config.databaseUrl };
}

const migrateUsage = 'migrate';
export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: migrateUsage,
  summary: 'Bring the document database up to this version (start-up does it too).',
  async run(args, context) {
    const { positionals } = parseCommandArgs(args, {}, migrateUsage);
    expectPositionals(positionals, [], migrateUsage);
    const outcome = await migrateDatabase(databaseOptions(context));
    await writeLine(
      context.io.stdout,
      outcome.applied.length === 0
        ? `The database ${outcome.location} is up to date (${outcome.current}).`
        : `Migrated the database ${outcome.location}: ${outcome.applied.join(', ')}.`,
    );
    return 0;
  },
};

const backupUsage = 'backup <file>';
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: backupUsage,
  summary: 'Copy the SQLite database to a file while the bot runs (PostgreSQL: pg_dump, see docs/operations.md).',
  async run(args, context) {
    const { positionals } = parseCommandArgs(args, {}, backupUsage);
    const [file = ''] = expectPositionals(positionals, ['<file>'], backupUsage);
    const outcome = await backupDocumentDatabase(databaseOptions(context), resolve(file));
    await writeLine(
      context.io.stdout,
      `Backed up ${outcome.location} to ${file} (${outcome.bytes.toLocaleString('en-US')} bytes).`,
    );
    return 0;
  },
};

const restoreUsage = 'restore <file>';
export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: restoreUsage,
  summary: 'Replace the SQLite database with a backup (stop the bot first; PostgreSQL: pg_restore).',
  async run(args, context) {
    const { positionals } = parseCommandArgs(args, {}, restoreUsage);
    const [file = ''] = expectPositionals(positionals, ['<file>'], restoreUsage);
    const outcome = await restoreDocumentDatabase(databaseOptions(context), resolve(file));
    await writeLine(context.io.stdout, `Restored ${file} into ${outcome.location}. Start the bot to use it.`);
    return 0;
  },
};
