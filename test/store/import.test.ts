/**
 * The one-time import of `DATA_DIR/guilds/` (issue 12): a folder written by today's file store
 * (guild-store.ts, the code that wrote it until now) is imported into the database on the first start,
 * every text byte-identical, the folders left in place, and never imported again.
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, SHIPPED_SCOPE } from '../../src/core/index.ts';
import { openLibrary } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { openDocumentDatabase } from '../../src/store/db/index.ts';
import { GuildStore } from '../../src/store/guild-store.ts';
import { backends } from './backends.ts';
import { capturingLogger, GUILD_A, GUILD_B, rawSqlite, storedDocument, temporaryDir } from './helpers.ts';

const DOCUMENTS = [
  storedDocument('ferry', 'Ferry timetable\n\nEight sailings on Sundays, said the harbour office.'),
  {
    ...storedDocument('cafe', 'Zoë’s café — 東京 🚢\n\nOpen from nine, tabs\tand trailing spaces   kept.\n'),
    meta: {
      ...storedDocument('cafe', '').meta,
      updated: { userId: '7', userName: 'editor', at: '2024-06-01T08:00:00.000Z' },
    },
  },
  storedDocument('tides', 'Tide tables\n\nThe spring tide tables were reprinted in May.', GUILD_B),
];

async function listFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length)] = (await fs.readFile(path)).toString('base64');
    }
  }
  return out;
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`import of DATA_DIR/guilds/ (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    beforeEach(async () => {
      root = await temporaryDir('verbatim-import-');
      url = await backend.databaseUrl();
      const files = new GuildStore({ dataDir: root.dir, logger: silentLogger() });
      for (const document of DOCUMENTS) await files.save(document);
    });
    afterEach(async () => {
      await root.remove();
    });

    it('imports every document once, byte for byte, and keeps the folders as they were', async () => {
      const guilds = join(root.dir, 'guilds');
      const before = await listFiles(guilds);
      const { logger, lines } = capturingLogger();
      const library = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger });
      try {
        expect(
          library
            .list(guildScope(GUILD_A))
            .filter((s) => s.meta.scope !== SHIPPED_SCOPE)
            .map((s) => s.meta.id),
        ).toEqual(['cafe', 'ferry']);
        expect(library.describe('cafe', guildScope(GUILD_A)).meta).toEqual(DOCUMENTS[1]?.meta);
        expect(
          (await library.ask('How many sailings are there on Sundays?', { scope: guildScope(GUILD_A) }))
            .passages[0]?.documentId,
        ).toBe('ferry');
        expect(lines.some((line) => /^Imported 3 documents from /.test(line.msg))).toBe(true);
      } finally {
        await library.close();
      }
      expect(await listFiles(guilds)).toEqual(before);

      const store = await openDocumentDatabase({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
      });
      try {
        for (const document of DOCUMENTS) {
          const stored = await store.load(document.meta.scope, document.meta.id);
          const file = await fs.readFile(
            join(guilds, document.meta.scope.slice('guild:'.length), `${document.meta.id}.txt`),
          );
          expect(Buffer.from(stored?.text ?? '', 'utf8').equals(file)).toBe(true);
          expect(stored?.meta).toEqual(document.meta);
        }
        const audit = await store.database.db
          .selectFrom('audit')
          .select(['action', 'actor_id'])
          .orderBy('id')
          .execute();
        expect(audit).toEqual([
          { action: 'import', actor_id: '7' },
          { action: 'import', actor_id: '42' },
          { action: 'import', actor_id: '42' },
        ]);
        // Removed after the import: a later start must not bring it back from the folder.
        await store.delete(guildScope(GUILD_A), 'ferry');
      } finally {
        await store.close();
      }
      const again = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger: silentLogger() });
      try {
        expect(again.list(guildScope(GUILD_A)).map((s) => s.meta.id)).not.toContain('ferry');
        expect(again.list(guildScope(GUILD_A)).map((s) => s.meta.id)).toContain('cafe');
      } finally {
        await again.close();
      }
    });

    it('skips a damaged file, saying which, and imports the rest', async () => {
      await fs.writeFile(join(root.dir, 'guilds', GUILD_A, 'broken.json'), '{ not json');
      const { logger, warnings } = capturingLogger();
      const library = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger });
      try {
        expect(warnings().map((warning) => warning.file)).toEqual([
          join(root.dir, 'guilds', GUILD_A, 'broken.json'),
        ]);
        expect(library.list(guildScope(GUILD_B)).map((s) => s.meta.id)).toContain('tides');
      } finally {
        await library.close();
      }
    });
  });
}

describe('import of DATA_DIR/guilds/ (SQLite): verified', () => {
  it('imports nothing and refuses to start when a text does not read back identical', async () => {
    const root = await temporaryDir('verbatim-import-');
    try {
      const files = new GuildStore({ dataDir: root.dir, logger: silentLogger() });
      for (const document of DOCUMENTS) await files.save(document);
      // Create the database first, with a trigger that alters the second text as it is stored.
      await (
        await openDocumentDatabase({ dataDir: join(root.dir, 'empty'), logger: silentLogger() })
      ).close();
      await fs.rename(join(root.dir, 'empty', 'verbatim.sqlite'), join(root.dir, 'verbatim.sqlite'));
      const db = rawSqlite(root.dir);
      db.exec(
        "create trigger mangle after insert on documents when new.id = 'cafe' begin update documents set text = replace(text, 'é', 'e') where id = 'cafe'; end",
      );
      db.close();
      await expect(openLibrary({ dataDir: root.dir, logger: silentLogger() })).rejects.toThrow(
        /^Import of .*guilds stopped, nothing imported: the text of "cafe" read back from the database .* differs from .*cafe\.txt\.$/,
      );
      const check = rawSqlite(root.dir);
      expect(check.prepare('select count(*) as n from documents').get()).toEqual({ n: 0 });
      expect(check.prepare('select guilds_imported_at from store_state').get()).toEqual({
        guilds_imported_at: null,
      });
      check.close();
    } finally {
      await root.remove();
    }
  });
});
