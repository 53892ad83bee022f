/**
 * A question to a server whose index is still coming into memory (a large server after a restart takes
 * seconds) is acknowledged within Discord's 3 seconds and answered when the index is in: the bot defers,
 * waits for the load, then edits in the answer. The library is the real one, behind a wrapper that makes
 * one server's load take 4 seconds with the library's own contract (`prepare` waits at most what it is
 * given; `ask` waits 2 s, then says "still loading"); discord.js and the loopback Discord are real.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/discord/client.ts';
import { guildScope, VerbatimError, type Scope } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { makeGuild } from '../helpers/entities.ts';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { messageText } from './bot-harness.ts';

const LOAD_MS = 4_000;
const slow = makeGuild({ name: 'Large server' });
const other = makeGuild({ name: 'Another large server' });
/** Its load also holds the bot's thread for 1.8 s at once, as reading a 10 MB server's snapshot did (~2 s). */
const heavy = makeGuild({ name: 'Heavy server' });
const HOLD_MS = 1_800;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

let discord: FakeDiscord;
let dataDir: string;
let library: Library;
let bot: RunningBot;
const loadedAt = new Map<Scope, number>();

/** The library, with each server's index taking LOAD_MS to come into memory from its first use. */
function slowToLoad(real: Library): Library {
  const remaining = (scope: Scope): number => {
    if (!loadedAt.has(scope)) loadedAt.set(scope, performance.now() + LOAD_MS);
    return (loadedAt.get(scope) ?? 0) - performance.now();
  };
  const prepare = async (scope: Scope, waitMs?: number): Promise<boolean> => {
    if (scope === guildScope(heavy.id) && !loadedAt.has(scope)) {
      const until = performance.now() + HOLD_MS;
      while (performance.now() < until);
    }
    const left = remaining(scope);
    if (left > (waitMs ?? 2_000)) {
      await sleep(waitMs ?? 2_000);
      return false;
    }
    await sleep(left);
    return true;
  };
  return new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'prepare') return prepare;
      if (name === 'ask')
        return async (question: string, options: Parameters<Library['ask']>[1] = {}) => {
          if (options.scope !== undefined && !(await prepare(options.scope, 2_000)))
            throw new VerbatimError(
              'STILL_LOADING',
              'This server’s documents are still being loaded; try again in a moment.',
            );
          return real.ask(question, options);
        };
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  discord = await startFakeDiscord({ guilds: [slow, other, heavy] });
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-slow-'));
  library = await openLibrary({ dataDir, logger: silentLogger() });
  await library.add({
    scope: guildScope(slow.id),
    source: {
      kind: 'text',
      text: 'Ferry notes\n\nThe ferry to Kettle Island leaves the north quay at seven, noon and five.',
    },
    actor: { userId: '1', userName: 'mod' },
  });
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  bot = await startBot({
    config,
    library: slowToLoad(library),
    logger: silentLogger(),
    handleSignals: false,
  });
});

afterAll(async () => {
  await bot.stop();
  await library.close();
  await discord.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('acknowledges a question to a server still loading within 3 s, then answers it once loaded', async () => {
  // The loopback Discord fails the interaction if nothing is acknowledged within 3 s, as Discord does.
  const record = await discord.interact(
    slashCommand({
      name: 'ask',
      options: { question: 'When does the ferry to Kettle Island leave?' },
      guild: slow,
    }),
  );
  expect(record.callback?.type).toBe(5);
  const message = await record.waitForMessage();
  expect(messageText(message)).toContain('north quay at seven');
  expect(message.ephemeral).toBe(false);
});

it('turns a public "thinking…" into a private message when the loaded server does not answer', async () => {
  const record = await discord.interact(
    slashCommand({ name: 'ask', options: { question: 'Who won the regatta in the autumn?' }, guild: other }),
  );
  expect(record.callback?.type).toBe(5);
  const message = await record.waitForMessage((m) => m.kind === 'followup');
  expect(message.ephemeral).toBe(true);
  expect(messageText(message)).toMatch(/sources/i);
  expect(record.original?.deleted ?? true).toBe(true);
});

it('acknowledges a question in time even when the load holds the bot for almost 2 seconds at once', async () => {
  const record = await discord.interact(
    slashCommand({
      name: 'ask',
      options: { question: 'When does the ferry to Kettle Island leave?' },
      guild: heavy,
    }),
  );
  expect(record.callback?.type).toBe(5);
  expect(messageText(await record.waitForMessage())).toMatch(/sources/i);
});
