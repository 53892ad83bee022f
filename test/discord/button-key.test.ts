/**
 * The button-signing key lives in the database every process and machine shares: a button posted by one
 * shard process is accepted by any other (after a restart, or once its server's shard runs on another
 * machine), and a key kept in DATA_DIR by earlier versions is carried over so old buttons keep working.
 */
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userError } from '../../src/core/index.ts';
import { BUTTON_KEY_FILE, loadButtonKey } from '../../src/discord/button-key.ts';
import { ButtonState } from '../../src/discord/button-state.ts';
import { openLibrary } from '../../src/library.ts';
import type { Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { backends } from '../store/backends.ts';
import { temporaryDir } from '../store/helpers.ts';

const FORGED_SENTENCE = userError('BUTTON_FORGED').message;

/** A "next page" button of /source as one process posts it. */
const posted = (key: Buffer): string => new ButtonState({ key }).customId('source', 'page', { n: 2 }, 'g1');
/** What another process holding `key` reads from that button when it is clicked. */
const clicked = (key: Buffer, customId: string) => new ButtonState({ key }).read(customId, 'g1').data;

async function withLibraries<T>(
  dataDirs: string[],
  databaseUrl: string | undefined,
  work: (libraries: Library[]) => Promise<T>,
): Promise<T> {
  const libraries: Library[] = [];
  try {
    for (const dataDir of dataDirs)
      libraries.push(await openLibrary({ dataDir, databaseUrl, logger: silentLogger() }));
    return await work(libraries);
  } finally {
    for (const library of libraries) await library.close();
  }
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`button signing key (${backend.name})`, () => {
    it('is made once, kept in the database, and accepts its buttons after a restart', async () => {
      const root = await temporaryDir('verbatim-key-');
      try {
        const url = await backend.databaseUrl();
        const first = await withLibraries([root.dir], url, ([library]) => loadButtonKey(root.dir, library!));
        const again = await withLibraries([root.dir], url, ([library]) => loadButtonKey(root.dir, library!));
        expect(again.equals(first)).toBe(true);
        expect(clicked(again, posted(first))).toEqual({ n: 2 });
        expect(() => clicked(randomBytes(32), posted(first))).toThrow(FORGED_SENTENCE);
        expect(await readdir(root.dir)).not.toContain(BUTTON_KEY_FILE);
      } finally {
        await root.remove();
      }
    });

    it('is the same for processes starting at once', async () => {
      const root = await temporaryDir('verbatim-key-race-');
      try {
        const url = await backend.databaseUrl();
        const keys = await withLibraries([root.dir, root.dir], url, (libraries) =>
          Promise.all(Array.from({ length: 8 }, (_, n) => loadButtonKey(root.dir, libraries[n % 2]!))),
        );
        for (const key of keys) expect(key.equals(keys[0]!)).toBe(true);
      } finally {
        await root.remove();
      }
    });

    it('keeps the key earlier versions wrote to DATA_DIR, so buttons posted before the upgrade still work', async () => {
      const root = await temporaryDir('verbatim-key-earlier-');
      try {
        const earlier = randomBytes(32);
        await writeFile(join(root.dir, BUTTON_KEY_FILE), earlier, { mode: 0o600 });
        const key = await withLibraries([root.dir], await backend.databaseUrl(), ([library]) =>
          loadButtonKey(root.dir, library!),
        );
        expect(clicked(key, posted(earlier))).toEqual({ n: 2 });
      } finally {
        await root.remove();
      }
    });
  });
}

const postgres = backends().find((backend) => backend.name.startsWith('PostgreSQL'));
describe.skipIf(postgres?.skip !== false)('button signing key on two machines (one PostgreSQL)', () => {
  it('accepts on one machine the buttons the other posted, each with its own DATA_DIR', async () => {
    const machineA = await temporaryDir('verbatim-key-a-');
    const machineB = await temporaryDir('verbatim-key-b-');
    try {
      // Machine B was run before by an earlier version and has its own DATA_DIR key: the stored one wins.
      await writeFile(join(machineB.dir, BUTTON_KEY_FILE), randomBytes(32), { mode: 0o600 });
      const [keyA, keyB] = await withLibraries(
        [machineA.dir, machineB.dir],
        await postgres?.databaseUrl(),
        ([onA, onB]) => Promise.all([loadButtonKey(machineA.dir, onA!), loadButtonKey(machineB.dir, onB!)]),
      );
      expect(clicked(keyB, posted(keyA))).toEqual({ n: 2 });
      expect(clicked(keyA, posted(keyB))).toEqual({ n: 2 });
    } finally {
      await machineA.remove();
      await machineB.remove();
    }
  });
});
