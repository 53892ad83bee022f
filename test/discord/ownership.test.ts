/**
 * A shard writes only the documents of the servers it serves: the guard between the commands and the
 * Library refuses (and logs) any write for another server, and nothing is stored; reading is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_SCOPE, guildScope } from '../../src/core/index.ts';
import { ownedWrites, shardsOwnership } from '../../src/discord/ownership.ts';
import { openLibrary } from '../../src/library.ts';
import type { Library } from '../../src/library.ts';
import { capturingLogger, GUILD_A, GUILD_B, storedTexts, temporaryDir } from '../store/helpers.ts';

const actor = { userId: '333333333333333333', userName: 'mod_ines' };
const text = (words: string) => ({ kind: 'text' as const, text: words });

let dataDir: { dir: string; remove: () => Promise<void> };
let library: Library;
let guarded: Library;
const log = capturingLogger();

beforeAll(async () => {
  dataDir = await temporaryDir('verbatim-ownership-');
  library = await openLibrary({ dataDir: dataDir.dir, logger: log.logger });
  // This process serves server A only.
  guarded = ownedWrites(library, (guildId) => guildId === GUILD_A, log.logger);
});

afterAll(async () => {
  await library?.close();
  await dataDir?.remove();
});

async function storedFiles(guildId: string): Promise<string[]> {
  return storedTexts(dataDir.dir, guildId);
}

describe('ownedWrites', () => {
  it('adds, updates and removes the documents of a server this process serves', async () => {
    const added = await guarded.add({
      scope: guildScope(GUILD_A),
      source: text('Owned notes about tide tables.'),
      actor,
    });
    const id = added.meta.id;
    await guarded.update({
      scope: guildScope(GUILD_A),
      id,
      source: text('Owned notes about tide clocks.'),
      actor,
    });
    expect((await guarded.ask('tide clocks', { scope: guildScope(GUILD_A) })).passages[0]?.text).toContain(
      'tide clocks',
    );
    await guarded.remove(guildScope(GUILD_A), id, actor);
    expect(guarded.list(guildScope(GUILD_A)).some((summary) => summary.meta.id === id)).toBe(false);
  });

  it('refuses every write for a server another shard serves, logs it, and stores nothing', async () => {
    const scope = guildScope(GUILD_B);
    // Written through the unguarded library, as the shard that serves B would have.
    const theirs = await library.add({ scope, source: text('Their notes about lighthouse lenses.'), actor });
    const before = await storedFiles(GUILD_B);

    await expect(
      guarded.add({ scope, source: text('Stray notes about harbour cranes.'), actor }),
    ).rejects.toThrow(/another shard owns/);
    await expect(
      guarded.update({ scope, id: theirs.meta.id, source: text('Overwritten lenses.'), actor }),
    ).rejects.toThrow(/another shard owns/);
    await expect(guarded.remove(scope, theirs.meta.id, actor)).rejects.toThrow(/another shard owns/);

    expect(await storedFiles(GUILD_B)).toEqual(before);
    expect(library.describe(theirs.meta.id, scope).meta.title).toBe(theirs.meta.title);
    const refusals = log.lines.filter((line) => line.level === 50 && line.guildId === GUILD_B);
    expect(refusals.map((line) => line.action)).toEqual(['add', 'update', 'remove']);
  });

  it('leaves reading alone, for every server and the shipped corpus', async () => {
    // A server neither this process nor the earlier tests touch, whose document its own shard wrote.
    const scope = guildScope('444444444444444444');
    const theirs = await library.add({
      scope,
      source: text('Their notes about foghorn bellows and the signal station.'),
      actor,
    });
    const shipped = guarded.list();
    expect(shipped).toHaveLength(5);
    expect(shipped.every((summary) => summary.meta.scope === SHIPPED_SCOPE)).toBe(true);
    const listed = guarded.list(scope).map((summary) => summary.meta.id);
    expect(listed).toHaveLength(6);
    expect(listed).toContain(theirs.meta.id);
    expect(guarded.describe(theirs.meta.id, scope).meta.title).toBe(theirs.meta.title);
    const answer = await guarded.ask('foghorn bellows', { scope });
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]).toMatchObject({
      documentId: theirs.meta.id,
      text: 'Their notes about foghorn bellows and the signal station.',
    });
  });
});

describe('shardsOwnership (a shard process, before its client exists)', () => {
  it('serves exactly the servers Discord routes to its shard ids', () => {
    // Discord's rule: shard = (guild_id >> 22) % shard count.
    const guilds = ['81384788765712384', '222078108977594368', '613425648685547541', '1150476424187998208'];
    const shardOf = (id: string, count: number): number => Number((BigInt(id) >> 22n) % BigInt(count));
    for (const count of [2, 3, 8]) {
      for (let shard = 0; shard < count; shard++) {
        const owns = shardsOwnership([shard], count);
        expect(guilds.filter(owns)).toEqual(guilds.filter((id) => shardOf(id, count) === shard));
      }
    }
    const both = shardsOwnership([0, 1], 2);
    expect(guilds.every(both)).toBe(true);
  });
});
