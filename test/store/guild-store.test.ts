import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, SHIPPED_SCOPE } from '../../src/core/index.ts';
import { GuildStore } from '../../src/store/guild-store.ts';
import type { StoreFileSystem } from '../../src/store/guild-store.ts';
import { capturingLogger, GUILD_A, GUILD_B, storedDocument, temporaryDir } from './helpers.ts';

let dataDir: string;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  ({ dir: dataDir, remove: removeDir } = await temporaryDir());
});
afterEach(async () => {
  await removeDir();
});

const guildDir = (guildId = GUILD_A): string => join(dataDir, 'guilds', guildId);
const filesIn = async (dir: string): Promise<string[]> => (await fs.readdir(dir)).sort();

function openStore(fileSystem?: StoreFileSystem): {
  store: GuildStore;
  warnings: () => Array<{ file?: string; reason?: string }>;
} {
  const { logger, warnings } = capturingLogger();
  return { store: new GuildStore({ dataDir, logger, ...(fileSystem ? { fs: fileSystem } : {}) }), warnings };
}

/** node:fs/promises with `rename` failing for paths that `fails` picks. */
function failingRename(fails: (to: string) => boolean): StoreFileSystem {
  return {
    ...fs,
    rename: async (from, to) => {
      if (fails(String(to)))
        throw Object.assign(new Error(`EIO: simulated failure, rename '${String(to)}'`), { code: 'EIO' });
      return fs.rename(from, to);
    },
  };
}

describe('GuildStore', () => {
  it('writes <docId>.txt and <docId>.json under guilds/<guildId>/ and leaves no temporary file', async () => {
    const { store } = openStore();
    const document = storedDocument('harbour-ferry', 'The ferry runs again.\n\nSunday sailings drop to six.');
    await store.save(document);
    expect(await filesIn(guildDir())).toEqual(['harbour-ferry.json', 'harbour-ferry.txt']);
    expect(await fs.readFile(join(guildDir(), 'harbour-ferry.txt'), 'utf8')).toBe(document.text);
    expect(JSON.parse(await fs.readFile(join(guildDir(), 'harbour-ferry.json'), 'utf8'))).toEqual(
      document.meta,
    );
  });

  it('gives back every server’s documents, with provenance, after a re-open', async () => {
    await openStore().store.save(storedDocument('one', 'First document.'));
    await openStore().store.save(storedDocument('two', 'Second document.', GUILD_B));
    const updated = storedDocument('one', 'First document, revised.');
    updated.meta.updated = { userId: '43', userName: 'other mod', at: '2024-06-01T09:00:00.000Z' };
    await openStore().store.save(updated);

    const { store, warnings } = openStore();
    const loaded = await store.loadAll();
    expect(loaded).toEqual([updated, storedDocument('two', 'Second document.', GUILD_B)]);
    expect(warnings()).toEqual([]);
  });

  it('returns nothing, without complaint, when the data directory is new', async () => {
    const { store, warnings } = openStore();
    expect(await store.loadAll()).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('removes both files of a document', async () => {
    const { store } = openStore();
    await store.save(storedDocument('keep', 'Kept.'));
    await store.save(storedDocument('drop', 'Dropped.'));
    await store.delete(guildScope(GUILD_A), 'drop');
    expect(await filesIn(guildDir())).toEqual(['keep.json', 'keep.txt']);
    expect((await openStore().store.loadAll()).map((document) => document.meta.id)).toEqual(['keep']);
  });

  it('refuses scopes that are not a server’s, and ids that could leave the folder', async () => {
    const { store } = openStore();
    await expect(
      store.save({
        ...storedDocument('x', 'Text.'),
        meta: { ...storedDocument('x', 'Text.').meta, scope: SHIPPED_SCOPE },
      }),
    ).rejects.toThrow(/"corpus" is not a server's scope/);
    await expect(store.save(storedDocument('../escape', 'Text.'))).rejects.toThrow(/not a valid document id/);
    await expect(store.delete('guild:../..', 'x')).rejects.toThrow(/not a server's scope/);
  });
});

describe('GuildStore: a failed write changes nothing that was stored', () => {
  it('when the metadata cannot be put in place for a new document, neither file is left behind', async () => {
    const { store } = openStore();
    await store.save(storedDocument('existing', 'Already stored.'));
    // A directory where the metadata file should go makes the final rename fail, on any system.
    await fs.mkdir(join(guildDir(), 'blocked.json'));
    await expect(store.save(storedDocument('blocked', 'New text.'))).rejects.toThrow();
    expect(await filesIn(guildDir())).toEqual(['blocked.json', 'existing.json', 'existing.txt']);
    const { store: reopened, warnings } = openStore();
    const loaded = await reopened.loadAll();
    expect(loaded).toEqual([storedDocument('existing', 'Already stored.')]);
    expect(warnings().map((warning) => warning.file)).toEqual([join(guildDir(), 'blocked.json')]);
  });

  it('when the metadata rename of an update fails, the previous text is put back', async () => {
    const original = storedDocument('report', 'The original text.');
    await openStore().store.save(original);
    const { store } = openStore(failingRename((to) => to.endsWith('report.json')));
    const revised = storedDocument('report', 'A revised text that must not half-replace the original.');
    revised.meta.title = 'Revised title';
    await expect(store.save(revised)).rejects.toThrow(/simulated failure/);
    expect(await openStore().store.loadAll()).toEqual([original]);
    expect(await filesIn(guildDir())).toEqual(['report.json', 'report.txt']);
  });

  it('when the text rename fails, nothing is touched', async () => {
    const original = storedDocument('report', 'The original text.');
    await openStore().store.save(original);
    const { store } = openStore(failingRename((to) => to.endsWith('report.txt')));
    await expect(store.save(storedDocument('report', 'Replacement.'))).rejects.toThrow(/simulated failure/);
    expect(await openStore().store.loadAll()).toEqual([original]);
    expect(await filesIn(guildDir())).toEqual(['report.json', 'report.txt']);
  });

  it('when the disk is full while writing the temporary file, nothing is touched', async () => {
    const original = storedDocument('report', 'The original text.');
    await openStore().store.save(original);
    const diskFull: StoreFileSystem = {
      ...fs,
      open: async (path, flags) => {
        const handle = await fs.open(path, flags);
        if (flags !== 'wx') return handle;
        return Object.assign(Object.create(handle) as fs.FileHandle, {
          writeFile: async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
          close: () => handle.close(),
        });
      },
    };
    await expect(openStore(diskFull).store.save(storedDocument('report', 'Replacement.'))).rejects.toThrow(
      /ENOSPC/,
    );
    expect(await openStore().store.loadAll()).toEqual([original]);
    expect(await filesIn(guildDir())).toEqual(['report.json', 'report.txt']);
  });

  it('when the folder cannot be created, the error surfaces and nothing else changes', async () => {
    await openStore().store.save(storedDocument('other', 'In server B.', GUILD_B));
    await fs.writeFile(guildDir(), 'a file where the server folder should be');
    await expect(openStore().store.save(storedDocument('new', 'Text.'))).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect((await openStore().store.loadAll()).map((document) => document.meta.id)).toEqual(['other']);
  });
});

describe('GuildStore: start-up skips what it cannot read, with a warning, and loads the rest', () => {
  const cases: Array<{ name: string; id: string; corrupt: (dir: string) => Promise<void>; reason: RegExp }> =
    [
      {
        name: 'metadata that is not JSON',
        id: 'broken-json',
        corrupt: (dir) => fs.writeFile(join(dir, 'broken-json.json'), '{"id": "broken-json", '),
        reason: /JSON/,
      },
      {
        name: 'metadata with an invalid field',
        id: 'bad-date',
        corrupt: async (dir) => {
          const meta = { ...storedDocument('bad-date', '').meta, date: 'last Tuesday' };
          await fs.writeFile(join(dir, 'bad-date.json'), JSON.stringify(meta));
        },
        reason: /field "date"/,
      },
      {
        name: 'metadata whose id does not match its file',
        id: 'renamed',
        corrupt: (dir) =>
          fs.writeFile(join(dir, 'renamed.json'), JSON.stringify(storedDocument('original-name', '').meta)),
        reason: /does not match the file name/,
      },
      {
        name: 'metadata from another server’s folder',
        id: 'moved',
        corrupt: (dir) =>
          fs.writeFile(join(dir, 'moved.json'), JSON.stringify(storedDocument('moved', '', GUILD_B).meta)),
        reason: /scope .* does not match the folder/,
      },
      {
        name: 'a text file that is binary',
        id: 'binary',
        corrupt: (dir) =>
          fs.writeFile(join(dir, 'binary.txt'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])),
        reason: /cannot be read/,
      },
      {
        name: 'a text file without metadata',
        id: 'orphan',
        corrupt: (dir) => fs.writeFile(join(dir, 'orphan.txt'), 'No metadata for me.'),
        reason: /metadata file is missing/,
      },
      {
        name: 'metadata without its text file',
        id: 'textless',
        corrupt: (dir) =>
          fs.writeFile(join(dir, 'textless.json'), JSON.stringify(storedDocument('textless', '').meta)),
        reason: /ENOENT/,
      },
    ];

  it.each(cases)('$name', async ({ id, corrupt, reason }) => {
    await openStore().store.save(storedDocument('healthy', 'A healthy document.'));
    if (id !== 'orphan') await openStore().store.save(storedDocument(id, 'Text that will be damaged.'));
    if (id === 'textless') await fs.unlink(join(guildDir(), 'textless.txt'));
    await corrupt(guildDir());

    const { store, warnings } = openStore();
    const loaded = await store.loadAll();
    expect(loaded.map((document) => document.meta.id)).toEqual(['healthy']);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.file).toContain(id);
    expect(warnings()[0]?.reason).toMatch(reason);
  });

  it('reports stray files and folders but is not stopped by them', async () => {
    await openStore().store.save(storedDocument('healthy', 'A healthy document.'));
    await fs.writeFile(join(dataDir, 'guilds', 'notes.md'), 'not a server folder');
    await fs.writeFile(join(guildDir(), 'picture.png'), 'not a document');
    const { store, warnings } = openStore();
    expect((await store.loadAll()).map((document) => document.meta.id)).toEqual(['healthy']);
    expect(warnings().map((warning) => warning.reason)).toEqual([
      'not a server folder',
      'not a document file',
    ]);
  });

  it('clears temporary files left by an interrupted write', async () => {
    await openStore().store.save(storedDocument('healthy', 'A healthy document.'));
    await fs.writeFile(join(guildDir(), '.healthy.txt.123-abcd.tmp'), 'half-written');
    const { store, warnings } = openStore();
    expect((await store.loadAll()).map((document) => document.meta.id)).toEqual(['healthy']);
    expect(warnings()).toEqual([]);
    expect(await filesIn(guildDir())).toEqual(['healthy.json', 'healthy.txt']);
  });
});
