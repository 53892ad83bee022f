/**
 * The document database on both backends: versioned migrations (run once, in one transaction, refused on
 * a database newer than the code), and writes that keep every revision with an audit row.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VerbatimError } from '../../src/core/index.ts';
import { silentLogger } from '../../src/log.ts';
import { openDatabase, type StoreDatabase } from '../../src/store/db/connect.ts';
import { migrateDatabase, openDocumentDatabase } from '../../src/store/db/index.ts';
import { appliedMigrations, knownMigrations, migrate } from '../../src/store/db/migrations.ts';
import { runProcess } from '../cli/run-cli.ts';
import { backends } from './backends.ts';
import { GUILD_A, storedDocument, temporaryDir } from './helpers.ts';

const EDITOR = { userId: '7', userName: 'editor' };

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`document database (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    let opened: StoreDatabase[];
    const open = (): StoreDatabase => {
      const database = openDatabase({ dataDir: root.dir, databaseUrl: url });
      opened.push(database);
      return database;
    };
    beforeEach(async () => {
      root = await temporaryDir('verbatim-db-');
      url = await backend.databaseUrl();
      opened = [];
    });
    afterEach(async () => {
      for (const database of opened) await database.close();
      await root.remove();
    });

    it('migrates a new database once, and finds nothing to do the second time', async () => {
      const first = await migrateDatabase({ dataDir: root.dir, databaseUrl: url });
      expect(first.applied).toEqual(knownMigrations());
      const again = await migrateDatabase({ dataDir: root.dir, databaseUrl: url });
      expect(again).toMatchObject({ applied: [], current: knownMigrations().at(-1) });
    });

    it('refuses a database written by a newer version, in one sentence, and changes nothing', async () => {
      const database = open();
      await migrate(database);
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
        database.db,
      );
      const error = await openDocumentDatabase({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
      }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(VerbatimError);
      expect((error as VerbatimError).code).toBe('DATABASE_TOO_NEW');
      expect((error as VerbatimError).message).toBe(
        `The database ${database.location} was written by a newer verbatim (it has migration "9999-from-the-future", unknown to this version): run the newer version, or restore a backup made by this one.`,
      );
      expect((error as VerbatimError).message).not.toContain('\n');
    });

    it('rolls a failed migration back whole: no table of it is left', async () => {
      const database = open();
      // A table in the way of the second table the migration creates.
      await sql`create table revisions (x integer)`.execute(database.db);
      await expect(migrate(database)).rejects.toThrow(/revisions/);
      const tables = (await database.db.introspection.getTables()).map((table) => table.name);
      expect(tables).not.toContain('documents');
      await sql`drop table revisions`.execute(database.db);
      await expect(migrate(database)).resolves.toMatchObject({ applied: knownMigrations() });
    });

    it('runs a migration released after a higher-named one had already run (branches merged in any order)', async () => {
      const database = open();
      await migrate(database);
      // The database as a release without 0002-secrets but with 0040-glossary left it.
      await sql`drop table secrets`.execute(database.db);
      await sql`delete from kysely_migration where name = '0002-secrets'`.execute(database.db);
      await expect(migrate(database)).resolves.toMatchObject({ applied: ['0002-secrets'] });
      expect(await appliedMigrations(database)).toEqual(knownMigrations());
    });

    it('keeps every revision of a document and audits who added, changed and removed it', async () => {
      let minute = 0;
      const store = await openDocumentDatabase({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
        now: () => new Date(Date.UTC(2024, 5, 1, 12, minute++)),
      });
      try {
        const first = storedDocument('ferry', 'Ferry timetable.\n\nEight sailings on Sundays.');
        await store.save(first);
        const second = {
          meta: { ...first.meta, updated: { ...EDITOR, at: '2024-05-02T09:00:00.000Z' } },
          text: 'Ferry timetable.\n\nFive sailings on Sundays.',
        };
        await store.save(second);
        expect(await store.load(first.meta.scope, 'ferry')).toEqual(second);
        await store.delete(first.meta.scope, 'ferry', EDITOR);
        expect(await store.load(first.meta.scope, 'ferry')).toBeUndefined();
        expect(await store.loadAll()).toEqual([]);

        expect(
          (await store.revisions(first.meta.scope, 'ferry')).map((r) => [r.revision, r.text, r.actor]),
        ).toEqual([
          [1, first.text, { userId: '42', userName: 'mod' }],
          [2, second.text, EDITOR],
        ]);
        const audit = await store.database.db
          .selectFrom('audit')
          .select(['action', 'actor_id', 'scope', 'document_id', 'revision', 'at'])
          .orderBy('id')
          .execute();
        expect(audit).toEqual([
          {
            action: 'add',
            actor_id: '42',
            scope: `guild:${GUILD_A}`,
            document_id: 'ferry',
            revision: 1,
            at: '2024-06-01T12:00:00.000Z',
          },
          {
            action: 'update',
            actor_id: '7',
            scope: `guild:${GUILD_A}`,
            document_id: 'ferry',
            revision: 2,
            at: '2024-06-01T12:01:00.000Z',
          },
          {
            action: 'remove',
            actor_id: '7',
            scope: `guild:${GUILD_A}`,
            document_id: 'ferry',
            revision: null,
            at: '2024-06-01T12:02:00.000Z',
          },
        ]);
        // Added again later: the revisions go on from where they were.
        await store.save(first);
        expect((await store.revisions(first.meta.scope, 'ferry')).map((r) => r.revision)).toEqual([1, 2, 3]);
      } finally {
        await store.close();
      }
    });

    it('a write that fails half way changes nothing: the previous version stays, with no revision or audit row', async () => {
      const store = await openDocumentDatabase({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
      });
      try {
        const first = storedDocument('ferry', 'Ferry timetable.\n\nEight sailings on Sundays.');
        await store.save(first);
        // The revision is written after the document row: failing it must take the row back too.
        if (store.database.kind === 'sqlite') {
          await sql`create trigger full_disk before insert on revisions begin select raise(abort, 'disk full'); end`.execute(
            store.database.db,
          );
        } else {
          await sql`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(
            store.database.db,
          );
          await sql`create trigger full_disk before insert on revisions for each row execute function refuse()`.execute(
            store.database.db,
          );
        }
        const second = { ...first, text: 'Ferry timetable.\n\nFive sailings on Sundays.' };
        await expect(store.save(second)).rejects.toThrow('disk full');
        await expect(store.save(storedDocument('new', 'A new one.\n\nNever stored.'))).rejects.toThrow(
          'disk full',
        );
        expect(await store.loadAll()).toEqual([first]);
        expect((await store.revisions(first.meta.scope, 'ferry')).map((r) => r.text)).toEqual([first.text]);
        expect(await store.database.db.selectFrom('audit').select('action').execute()).toEqual([
          { action: 'add' },
        ]);
      } finally {
        await store.close();
      }
    });

    it('stores the text exactly, whatever characters it has', async () => {
      const store = await openDocumentDatabase({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
      });
      try {
        const text =
          'Zoë’s café — 東京 🚢\n\n\ttabs, trailing spaces   \n\n\u00a0non-breaking, \u200bzero-width, é vs e\u0301.';
        await store.save(storedDocument('mixed', text));
        const loaded = await store.load(`guild:${GUILD_A}`, 'mixed');
        expect(Buffer.from(loaded?.text ?? '', 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`processes starting together (${backend.name})`, () => {
    it('four `npm run cli -- migrate` at once: each succeeds, the migrations run once', async () => {
      const root = await temporaryDir('verbatim-db-');
      try {
        const url = await backend.databaseUrl();
        const env = { DATA_DIR: root.dir, ...(url === undefined ? {} : { DATABASE_URL: url }) };
        const outcomes = await Promise.all(
          Array.from({ length: 4 }, () => runProcess('src/cli/main.ts', ['migrate'], env)),
        );
        expect(outcomes.map((outcome) => [outcome.code, outcome.stderr])).toEqual(
          Array.from({ length: 4 }, () => [0, '']),
        );
        expect(outcomes.filter((outcome) => outcome.stdout.startsWith('Migrated'))).toHaveLength(1);
        const database = openDatabase({ dataDir: root.dir, databaseUrl: url });
        try {
          expect(await appliedMigrations(database)).toEqual(knownMigrations());
        } finally {
          await database.close();
        }
      } finally {
        await root.remove();
      }
    }, 60_000);
  });
}
