/**
 * Memory that follows active servers (issue 12; issue 11, failure 5): the bot loads a server's index on
 * its first use, from the server's snapshot when it was made from the documents stored now, and evicts
 * idle servers over the memory budget. Loads are counted through `onServerIndex`, so "not rebuilt" is
 * asserted, not timed.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { openLibrary, type Library, type ServerIndexEvent } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { openDocumentDatabase } from '../../src/store/db/index.ts';
import { GUILD_A, GUILD_B, storedDocument, temporaryDir } from './helpers.ts';

const GUILD_C = '333333333333333333';
const TOPICS: Record<string, string> = {
  [GUILD_A]: 'The lighthouse keeper counted forty gulls on the north rock every morning.',
  [GUILD_B]: 'The harbour crane lifts tin crates onto the Thursday ferry.',
  [GUILD_C]: 'The bakery sells rye loaves only on market days.',
};

let root: { dir: string; remove: () => Promise<void> };
let library: Library | undefined;
let events: ServerIndexEvent[];

beforeEach(async () => {
  root = await temporaryDir('verbatim-index-cache-');
  events = [];
  const store = await openDocumentDatabase({ dataDir: root.dir, logger: silentLogger() });
  for (const guild of [GUILD_A, GUILD_B, GUILD_C]) {
    for (let i = 0; i < 3; i++) {
      const text = `Notes ${i}\n\n${TOPICS[guild]} Entry ${i}.\n\nA second paragraph about entry ${i} of the notes.`;
      await store.save(storedDocument(`notes-${i}`, text, guild));
    }
  }
  await store.close();
});
afterEach(async () => {
  await library?.close();
  await root.remove();
});

/** The bot's library: servers on demand, with a budget that keeps about one server in memory. */
function openBot(budgetBytes = 1): Promise<Library> {
  return openLibrary({
    dataDir: root.dir,
    logger: silentLogger(),
    serversInBackground: true,
    indexMemoryBytes: budgetBytes,
    onServerIndex: (event) => events.push(event),
  });
}

const loads = (source: 'snapshot' | 'built', guild?: string) =>
  events.filter(
    (e) =>
      e.kind === 'loaded' && e.source === source && (guild === undefined || e.scope === guildScope(guild)),
  ).length;

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

async function firstQuote(question: string, guild: string): Promise<string | undefined> {
  const result = await library!.ask(question, { scope: guildScope(guild) });
  return result.answered ? result.passages[0]?.text : undefined;
}

it('evicts idle servers over the budget, then answers the next question from the snapshot, not rebuilt', async () => {
  library = await openBot();
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
  expect(await firstQuote('What does the harbour crane lift?', GUILD_B)).toContain('tin crates');
  await until(() => events.some((e) => e.kind === 'evicted' && e.scope === guildScope(GUILD_A)));
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
  expect(loads('built', GUILD_A)).toBe(1);
  expect(loads('snapshot', GUILD_A)).toBe(1);
  // The evicted server's passages left the index: nothing of it answers from another server.
  expect((await firstQuote('What does the harbour crane lift?', GUILD_A)) ?? '').not.toContain('tin crates');
});

it('after a restart, answers a server from its snapshot without rebuilding its index', async () => {
  library = await openBot(64 * 1024 * 1024);
  expect(await firstQuote('When are rye loaves sold?', GUILD_C)).toContain('market days');
  await library.close();
  events = [];
  library = await openBot(64 * 1024 * 1024);
  expect(await firstQuote('When are rye loaves sold?', GUILD_C)).toContain('market days');
  expect(loads('built')).toBe(0);
  expect(loads('snapshot')).toBe(1);
});

it('never uses a snapshot made stale by a write from the terminal, nor a damaged one', async () => {
  library = await openBot(64 * 1024 * 1024);
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
  expect(await firstQuote('What does the harbour crane lift?', GUILD_B)).toContain('tin crates');
  await library.close();
  // `npm run cli -- add` opens the terminal's library and adds through it.
  const terminal = await openLibrary({ dataDir: root.dir, logger: silentLogger() });
  await terminal.add({
    scope: guildScope(GUILD_A),
    source: { kind: 'text', text: 'Puffins\n\nThe puffins nest in burrows above the west cove.' },
    actor: { userId: '42', userName: 'mod' },
  });
  await terminal.close();
  const files = join(root.dir, 'index', 'servers');
  await writeFile(join(files, `${GUILD_B}.json`), 'verbatim-snapshot sha256=00 bytes=3\n{"x');
  events = [];
  library = await openBot(64 * 1024 * 1024);
  expect(await firstQuote('Where do the puffins nest?', GUILD_A)).toContain('burrows above the west cove');
  expect(await firstQuote('What does the harbour crane lift?', GUILD_B)).toContain('tin crates');
  const built = events.flatMap((e) => (e.kind === 'loaded' && e.source === 'built' ? [e.reason] : []));
  expect(built).toHaveLength(2);
  expect(built[0]).toMatch(/stale/);
  expect(built[1]).toMatch(/unusable/);
  // Both were written again, whole: no temporary file is left.
  await library.close();
  library = undefined;
  expect((await readdir(files)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

it('writes to an evicted server: the write sees all its documents, and the next question finds it', async () => {
  library = await openBot();
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
  expect(await firstQuote('What does the harbour crane lift?', GUILD_B)).toContain('tin crates');
  await until(() => events.some((e) => e.kind === 'evicted' && e.scope === guildScope(GUILD_A)));
  const added = await library.add({
    scope: guildScope(GUILD_A),
    // Same title as a stored document: its id must not collide with the evicted one's.
    source: { kind: 'text', text: 'Notes 1\n\nThe cormorants dry their wings on the harbour wall.' },
    title: 'Notes 1',
    actor: { userId: '42', userName: 'mod' },
  });
  expect(added.meta.id).not.toBe('notes-1');
  expect(await firstQuote('Where do the cormorants dry their wings?', GUILD_A)).toContain('harbour wall');
  expect(library.list(guildScope(GUILD_A)).filter((s) => s.meta.scope === guildScope(GUILD_A))).toHaveLength(
    4,
  );
  await library.remove(guildScope(GUILD_A), 'notes-0', { userId: '42', userName: 'mod' });
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
});

it('keeps a server in memory up to date from the change feed, and saves it so a restart need not rebuild', async () => {
  library = await openLibrary({
    dataDir: root.dir,
    logger: silentLogger(),
    serversInBackground: true,
    changePollMs: 20,
    onServerIndex: (event) => events.push(event),
  });
  expect(await firstQuote('How many gulls did the lighthouse keeper count?', GUILD_A)).toContain(
    'forty gulls',
  );
  // Another process (the CLI, another shard) commits a document to the server while it is in memory.
  const other = await openDocumentDatabase({ dataDir: root.dir, logger: silentLogger() });
  await other.save(
    storedDocument('terns', 'Terns\n\nThe terns arrive at the sandbar in late April.', GUILD_A),
  );
  await other.close();
  let quote: string | undefined;
  const deadline = Date.now() + 10_000;
  while (!(quote ?? '').includes('sandbar') && Date.now() < deadline) {
    quote = await firstQuote('When do the terns arrive?', GUILD_A);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(quote).toContain('late April');
  await library.close();
  events = [];
  library = await openBot(64 * 1024 * 1024);
  expect(await firstQuote('When do the terns arrive?', GUILD_A)).toContain('late April');
  expect(loads('built')).toBe(0);
});
