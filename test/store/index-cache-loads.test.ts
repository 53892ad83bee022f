/**
 * Cold servers asked at once load one after the other: their loads are CPU work on the bot's one thread,
 * and ten interleaved made every other interaction wait behind all of them, some past Discord's 3 seconds
 * (`npm run bench -- --only stored`). Counted through the documents each load reads, not timed.
 */
import { expect, it } from 'vitest';
import { guildScope, SearchEngine, type Scope, type SourceDocument } from '../../src/core/index.ts';
import { silentLogger } from '../../src/log.ts';
import { ServerIndexes } from '../../src/store/index-cache.ts';
import { storedDocument } from './helpers.ts';

it('loads cold servers asked at the same moment one at a time, and every one of them', async () => {
  const guilds = Array.from({ length: 6 }, (_, n) => String(400_000_000_000_000_000n + BigInt(n)));
  let reading = 0;
  let mostAtOnce = 0;
  const indexes = new ServerIndexes({
    engine: new SearchEngine(),
    onDemand: true,
    budgetBytes: 1e9,
    dataDir: undefined,
    logger: silentLogger(),
    documents: async (scope: Scope): Promise<SourceDocument[]> => {
      reading += 1;
      mostAtOnce = Math.max(mostAtOnce, reading);
      // A load that takes a while, as a large server's does.
      await new Promise((resolve) => setTimeout(resolve, 20));
      reading -= 1;
      const guild = scope.slice('guild:'.length);
      return [storedDocument('notes', `Notes\n\nThe ferry of server ${guild} leaves at noon.`, guild)];
    },
    serialise: (_scope, task) => task(),
    indexed: () => undefined,
    forgotten: () => undefined,
    background: () => undefined,
  });
  await Promise.all(guilds.map((guild) => indexes.hold(guildScope(guild), async () => undefined)));
  expect(mostAtOnce).toBe(1);
  expect(guilds.every((guild) => indexes.ready(guildScope(guild)))).toBe(true);
});
