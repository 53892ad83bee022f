/**
 * `npm run cli -- backup FILE` and `restore FILE` (issue 12): a backup taken while the library is open and
 * writing, restored later, gives back exactly the documents of that moment; restore refuses what is not a
 * backup of ours, leaving the database as it was. With PostgreSQL both point to pg_dump / pg_restore.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { promisify } from 'node:util';
import { findBinaries } from '../helpers/postgres.ts';
import { runInProcess } from '../cli/run-cli.ts';
import { backends } from './backends.ts';
import { GUILD_A, rawSqlite, storedIds, temporaryDir } from './helpers.ts';

const run = promisify(execFile);
const SCOPE = guildScope(GUILD_A);
const MODERATOR = { userId: '42', userName: 'mod' };
const add = (library: Library, title: string, text: string) =>
  library.add({ scope: SCOPE, source: { kind: 'text', text }, title, actor: MODERATOR });

describe('backup and restore (SQLite)', () => {
  let root: { dir: string; remove: () => Promise<void> };
  let env: Record<string, string>;
  beforeEach(async () => {
    root = await temporaryDir('verbatim-backup-');
    env = { DATA_DIR: join(root.dir, 'data') };
  });
  afterEach(async () => {
    await root.remove();
  });

  it('round trip: a backup taken while the library runs restores exactly those documents', async () => {
    const dataDir = env.DATA_DIR as string;
    const backup = join(root.dir, 'verbatim-backup.sqlite');
    let library = await openLibrary({ dataDir, logger: silentLogger() });
    await add(
      library,
      'Ferry timetable',
      'Ferry timetable\n\nEight sailings on Sundays, said the harbour office.',
    );
    await add(
      library,
      'Café hours',
      'Zoë’s café — 東京 🚢\n\nOpen from nine, tabs\tand trailing spaces   kept.',
    );
    const texts = storedTexts(dataDir);

    const backedUp = await runInProcess(['backup', backup], env);
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(
      /^Backed up .*verbatim\.sqlite to .*verbatim-backup\.sqlite \([\d,]+ bytes\)\.\n$/,
    );
    // Changes after the backup, which the restore must undo.
    await add(library, 'Tide tables', 'Tide tables\n\nThe spring tide tables were reprinted in May.');
    await library.remove(SCOPE, 'ferry-timetable', MODERATOR);
    await library.close();
    expect(storedIds(dataDir)).toEqual(['cafe-hours', 'tide-tables']);

    const restored = await runInProcess(['restore', backup], env);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    expect(restored.stdout).toMatch(/^Restored .* into .*verbatim\.sqlite\. Start the bot to use it\.\n$/);
    expect(storedTexts(dataDir)).toEqual(texts);

    library = await openLibrary({ dataDir, logger: silentLogger() });
    try {
      expect(library.list(SCOPE).map((s) => s.meta.id)).toEqual(
        expect.arrayContaining(['ferry-timetable', 'cafe-hours']),
      );
      expect(library.list(SCOPE).map((s) => s.meta.id)).not.toContain('tide-tables');
      expect(
        (await library.ask('How many sailings on Sundays?', { scope: SCOPE })).passages[0]?.documentId,
      ).toBe('ferry-timetable');
    } finally {
      await library.close();
    }
  });

  it('refuses a file that is not a backup, in one line, and leaves the database as it was', async () => {
    const dataDir = env.DATA_DIR as string;
    const library = await openLibrary({ dataDir, logger: silentLogger() });
    await add(
      library,
      'Ferry timetable',
      'Ferry timetable\n\nEight sailings on Sundays, said the harbour office.',
    );
    await library.close();
    const notBackup = join(root.dir, 'notes.txt');
    await fs.writeFile(notBackup, 'just some notes, not a database at all '.repeat(200));
    const outcome = await runInProcess(['restore', notBackup], env);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /^".*notes\.txt" is not a verbatim backup: .*\. Nothing was restored\.\n$/,
    );
    const missing = await runInProcess(['restore', join(root.dir, 'nowhere.sqlite')], env);
    expect(missing.stderr).toMatch(
      /^".*nowhere\.sqlite" is not a verbatim backup: .*\. Nothing was restored\.\n$/,
    );
    expect(storedIds(dataDir)).toEqual(['ferry-timetable']);
  });

  it('refuses a backup made by a newer version', async () => {
    const dataDir = env.DATA_DIR as string;
    const backup = join(root.dir, 'future.sqlite');
    expect((await runInProcess(['backup', backup], env)).code).toBe(0);
    const future = new (await import('better-sqlite3')).default(backup);
    future
      .prepare("insert into kysely_migration (name, timestamp) values ('9999-from-the-future', 'x')")
      .run();
    future.close();
    const outcome = await runInProcess(['restore', backup], env);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /^".*future\.sqlite" was made by a newer verbatim \(migration "9999-from-the-future"\): restore it with that version\.\n$/,
    );
    expect(storedIds(dataDir)).toEqual([]);
  });
});

for (const backend of backends().filter((b) => b.name.startsWith('PostgreSQL'))) {
  describe.skipIf(backend.skip)(`backup and restore (${backend.name})`, () => {
    it('points to pg_dump and pg_restore', async () => {
      const root = await temporaryDir('verbatim-backup-');
      try {
        const env = { DATA_DIR: root.dir, DATABASE_URL: (await backend.databaseUrl()) as string };
        for (const command of ['backup', 'restore']) {
          const outcome = await runInProcess([command, join(root.dir, 'x.dump')], env);
          expect(outcome).toMatchObject({
            code: 1,
            stderr:
              'With DATABASE_URL (PostgreSQL), back up with pg_dump and restore with pg_restore: see docs/operations.md, "Backup and restore".\n',
          });
        }
      } finally {
        await root.remove();
      }
    });

    it('round trip with the pg_dump and pg_restore lines of docs/operations.md', async () => {
      const root = await temporaryDir('verbatim-backup-');
      const bin = findBinaries(['pg_dump', 'pg_restore']) as string;
      const url = (await backend.databaseUrl()) as string;
      const dump = join(root.dir, 'verbatim.dump');
      try {
        let library = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger: silentLogger() });
        await add(
          library,
          'Ferry timetable',
          'Ferry timetable\n\nEight sailings on Sundays, said the harbour office.',
        );
        const before = await library.list(SCOPE);
        await run(join(bin, 'pg_dump'), ['--format=custom', `--file=${dump}`, url]);
        await add(library, 'Tide tables', 'Tide tables\n\nThe spring tide tables were reprinted in May.');
        await library.close();
        await run(join(bin, 'pg_restore'), ['--clean', '--if-exists', '--no-owner', `--dbname=${url}`, dump]);
        library = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger: silentLogger() });
        try {
          expect(library.list(SCOPE)).toEqual(before);
        } finally {
          await library.close();
        }
      } finally {
        await root.remove();
      }
    });
  });
}

/** Every document's text and every revision, read from the database file itself. */
function storedTexts(dataDir: string): unknown {
  const db = rawSqlite(dataDir);
  try {
    return {
      documents: db
        .prepare('select scope, id, title, metadata, text, revision from documents order by scope, id')
        .all(),
      revisions: db
        .prepare('select scope, document_id, revision, text from revisions order by 1, 2, 3')
        .all(),
      audit: db.prepare('select id, action, document_id from audit order by id').all(),
    };
  } finally {
    db.close();
  }
}
