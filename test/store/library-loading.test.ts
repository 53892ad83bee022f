/**
 * Start-up does not wait for servers' documents (issue 11, failure 5; issue 12): the bot's library opens
 * once the shipped corpus is indexed and answers it at once; servers' stored documents are indexed after,
 * one server after another, and a question in a server still being indexed gets one clear sentence
 * instead of an answer from half its documents.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { guildScope, VerbatimError } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { openDocumentDatabase } from '../../src/store/db/index.ts';
import { GUILD_A, GUILD_B, storedDocument, temporaryDir } from './helpers.ts';

const SCOPE_A = guildScope(GUILD_A);
const SCOPE_B = guildScope(GUILD_B);
const DOCUMENTS_PER_SERVER = 40;

let root: { dir: string; remove: () => Promise<void> };
let library: Library | undefined;

beforeEach(async () => {
  root = await temporaryDir('verbatim-loading-');
  const store = await openDocumentDatabase({ dataDir: root.dir, logger: silentLogger() });
  for (const guild of [GUILD_A, GUILD_B]) {
    for (let i = 0; i < DOCUMENTS_PER_SERVER; i++) {
      const paragraphs = Array.from(
        { length: 40 },
        (_, p) =>
          `Logbook ${i} of server ${guild.slice(0, 1)}, entry ${p}: the lighthouse keeper counted ${p + i} gulls.`,
      );
      await store.save(storedDocument(`logbook-${i}`, `Logbook ${i}\n\n${paragraphs.join('\n\n')}`, guild));
    }
  }
  await store.close();
});
afterEach(async () => {
  await library?.close();
  await root.remove();
});

async function refusal(run: () => unknown): Promise<VerbatimError | undefined> {
  try {
    await run();
  } catch (error) {
    if (error instanceof VerbatimError) return error;
    throw error;
  }
  return undefined;
}

it('answers the shipped corpus at once, says "still loading" for a server being indexed, then answers it', async () => {
  library = await openLibrary({ dataDir: root.dir, logger: silentLogger(), serversInBackground: true });
  expect((await library.ask('Who did the British civil servants meet in China?')).answered).toBe(true);
  const early = await refusal(() =>
    library?.ask('How many gulls did the lighthouse keeper count?', { scope: SCOPE_B }),
  );
  expect(early?.code).toBe('STILL_LOADING');
  expect(early?.message).toBe(
    'This server’s documents are still being loaded after a restart; try again in a moment.',
  );
  expect((await refusal(() => library?.describe('logbook-3', SCOPE_B)))?.code).toBe('STILL_LOADING');

  // A change asked for meanwhile waits for its server, and sees all of its documents (the id is taken).
  const adding = library.add({
    scope: SCOPE_A,
    source: {
      kind: 'text',
      text: 'Logbook 3\n\nA different logbook, about the harbour crane and its tin crates.',
    },
    actor: { userId: '42', userName: 'mod' },
  });
  await library.ready;
  expect((await adding).meta.id).toBe('logbook-3-2');
  for (const scope of [SCOPE_A, SCOPE_B]) {
    const answer = await library.ask('How many gulls did the lighthouse keeper count?', { scope });
    expect(answer.answered).toBe(true);
    expect(library.list(scope).filter((summary) => summary.meta.scope === scope)).toHaveLength(
      DOCUMENTS_PER_SERVER + (scope === SCOPE_A ? 1 : 0),
    );
  }
});

it('by default (terminal, CLI) opens with every server already indexed', async () => {
  library = await openLibrary({ dataDir: root.dir, logger: silentLogger() });
  expect(
    (await library.ask('How many gulls did the lighthouse keeper count?', { scope: SCOPE_B })).answered,
  ).toBe(true);
});

it('a shard loads and follows only the servers it serves', async () => {
  library = await openLibrary({
    dataDir: root.dir,
    logger: silentLogger(),
    servesGuild: (guildId) => guildId === GUILD_A,
    changePollMs: 20,
  });
  const own = (scope: typeof SCOPE_A): string[] =>
    (library?.list(scope) ?? [])
      .filter((summary) => summary.meta.scope === scope)
      .map((summary) => summary.meta.id);
  expect(own(SCOPE_A)).toHaveLength(DOCUMENTS_PER_SERVER);
  expect(own(SCOPE_B)).toEqual([]);

  // Another process adds one document to each server: only the served one is indexed here.
  const other = await openDocumentDatabase({ dataDir: root.dir, logger: silentLogger() });
  await other.save(storedDocument('late-a', 'Late A\n\nA logbook that arrived late for server A.', GUILD_A));
  await other.save(storedDocument('late-b', 'Late B\n\nA logbook that arrived late for server B.', GUILD_B));
  await other.close();
  const deadline = Date.now() + 10_000;
  while (!own(SCOPE_A).includes('late-a') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  expect(own(SCOPE_A)).toContain('late-a');
  expect(own(SCOPE_B)).toEqual([]);
});
