/**
 * Servers' settings in the database, on both backends: defaults until a server chooses, its choices kept
 * across a reopen and kept to that server, a default left unchosen following the operator's default.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type StoreDatabase } from '../../src/store/db/connect.ts';
import { migrate } from '../../src/store/db/migrations.ts';
import {
  applyDefaults,
  DEFAULT_SETTINGS,
  deleteServerSettings,
  NO_CHOICES,
  readServerSettings,
  writeServerSettings,
} from '../../src/store/db/settings.ts';
import { backends } from './backends.ts';
import { GUILD_A, GUILD_B, temporaryDir } from './helpers.ts';

const MOD = { userId: '7', userName: 'mod' };
const AT = new Date('2026-12-01T10:00:00.000Z');

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`server settings (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    let opened: StoreDatabase[];
    const open = async (): Promise<StoreDatabase> => {
      const database = openDatabase({ dataDir: root.dir, databaseUrl: url });
      opened.push(database);
      await migrate(database);
      return database;
    };
    beforeEach(async () => {
      root = await temporaryDir('verbatim-settings-');
      url = await backend.databaseUrl();
      opened = [];
    });
    afterEach(async () => {
      for (const database of opened) await database.close();
      await root.remove();
    });

    it('a server that chose nothing gets the defaults', async () => {
      const database = await open();
      const stored = await readServerSettings(database, GUILD_A);
      expect(stored).toEqual(NO_CHOICES);
      expect(applyDefaults(stored, { ...DEFAULT_SETTINGS, retentionDays: 30 })).toEqual({
        answers: 'public',
        publicChannels: [],
        insights: true,
        retentionDays: 30,
        autoAnswerChannels: [],
      });
    });

    it('keeps a server’s choices across a reopen, for that server only, and replaces them whole', async () => {
      const first = await open();
      const chosen = {
        answers: 'private' as const,
        publicChannels: ['1300000000000000101', '1300000000000000102'],
        insights: false,
        retentionDays: 14,
        autoAnswerChannels: ['1300000000000000103'],
      };
      await writeServerSettings(first, GUILD_A, chosen, MOD, AT);
      await first.close();
      const second = await open();
      expect(await readServerSettings(second, GUILD_A)).toEqual(chosen);
      expect(await readServerSettings(second, GUILD_B)).toEqual(NO_CHOICES);
      await writeServerSettings(second, GUILD_A, { ...NO_CHOICES, answers: 'public' }, MOD, AT);
      expect(await readServerSettings(second, GUILD_A)).toEqual({ ...NO_CHOICES, answers: 'public' });
    });

    it('an unchosen value follows the operator’s default; erasing a server brings the defaults back', async () => {
      const database = await open();
      await writeServerSettings(database, GUILD_A, { ...NO_CHOICES, insights: false }, MOD, AT);
      const settings = applyDefaults(await readServerSettings(database, GUILD_A), {
        ...DEFAULT_SETTINGS,
        retentionDays: 45,
      });
      expect(settings).toMatchObject({ insights: false, retentionDays: 45, answers: 'public' });
      await deleteServerSettings(database, GUILD_A);
      expect(await readServerSettings(database, GUILD_A)).toEqual(NO_CHOICES);
    });

    it('refuses more channels than a row may hold, and stores nothing', async () => {
      const database = await open();
      const many = Array.from({ length: 26 }, (_, i) => String(1300000000000000000n + BigInt(i)));
      await expect(
        writeServerSettings(database, GUILD_A, { ...NO_CHOICES, publicChannels: many }, MOD, AT),
      ).rejects.toThrow();
      expect(await readServerSettings(database, GUILD_A)).toEqual(NO_CHOICES);
    });
  });
}
