/**
 * SHARD_COUNT=2 end to end: `src/main.ts` runs as `npm start` runs it (tsx), so discord.js's real
 * ShardingManager forks two shard processes, each a real discord.js client with its own Library over one
 * DATA_DIR, against the loopback Discord, which recommends two shards and delivers each server's
 * interactions on the shard that serves it (`(guild_id >> 22) % 2`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord.js';
import type { APIInteraction } from 'discord.js';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { FakeGuild } from '../helpers/entities.ts';
import { startFakeDiscord } from '../helpers/fake-discord.ts';
import type { FakeDiscord, InteractionRecord, MessageView } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { sample } from '../health/prometheus.ts';
import { storedTexts as textsInDatabase } from '../store/helpers.ts';
import { messageText, quotesOf } from './bot-harness.ts';
import { isAlive, killLeftovers, startShardedBot, type RunningBot } from './sharded-bot.ts';

/** Two shard processes start one after the other on a machine that may be busy: be generous. */
const START_TIMEOUT_MS = 90_000;
const WAIT_TIMEOUT_MS = 30_000;

const guildOnShard0 = makeGuild({ name: 'Harbour club', shard: [0, 2] });
const guildOnShard1 = makeGuild({ name: 'Orchard club', shard: [1, 2] });
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ines' }) };

let discord: FakeDiscord;
let dataDir: string;
let bot: RunningBot;

/** `npm start` with SHARD_COUNT=2 against `fake`, as a real process: the manager, which forks the shards. */
function startTwoShards(fake: FakeDiscord, data: string, token = fake.token): RunningBot {
  return startShardedBot(fake, { DATA_DIR: data, SHARD_COUNT: '2', HEALTH_PORT: '0' }, token);
}

beforeAll(async () => {
  discord = await startFakeDiscord({
    shards: 2,
    guilds: [guildOnShard0, guildOnShard1],
    waitTimeoutMs: WAIT_TIMEOUT_MS,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-shards-'));
  bot = startTwoShards(discord, dataDir);
  await Promise.race([
    bot.waitForLines((line) => line.msg === 'every shard is ready', 1, START_TIMEOUT_MS),
    bot.exited.then((code) => {
      throw new Error(
        `the bot exited (${code}) before its shards were ready: ${JSON.stringify(bot.lines.slice(-5))}`,
      );
    }),
  ]);
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  killLeftovers(bot);
  await discord?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function isEphemeral(message: MessageView): boolean {
  return (message.flags & MessageFlags.Ephemeral) !== 0;
}

async function interact(
  payload: APIInteraction,
  options: { shardId?: number } = {},
): Promise<{ record: InteractionRecord; message: MessageView }> {
  const record = await discord.interact(payload, options);
  return { record, message: await record.waitForMessage() };
}

function ask(question: string, guild: FakeGuild) {
  return interact(slashCommand({ name: 'ask', options: { question }, guild, user: makeUser() }));
}

/** The text of every document stored for `guild`, as the shard that owns it wrote them. */
async function storedTexts(guild: FakeGuild): Promise<string[]> {
  return textsInDatabase(dataDir, guild.id);
}

describe('SHARD_COUNT=2 under the ShardingManager', () => {
  it('starts one process per shard, and both shards identify', async () => {
    expect(discord.gateway.identifyPayloads.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const ready = await bot.waitForLines((line) => line.msg === 'bot ready', 2, WAIT_TIMEOUT_MS);
    expect(ready.map((line) => line.shards).sort()).toEqual([[0], [1]]);
    const pids = new Set(ready.map((line) => line.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(bot.child.pid as number)).toBe(false);
  });

  it.each([
    ['shard 0', guildOnShard0, 0],
    ['shard 1', guildOnShard1, 1],
  ])('answers /ask from the server on %s, on that shard', async (_name, guild, shardId) => {
    const { record, message } = await ask('Why did UK civil servants go to China?', guild);
    expect(record.shardId).toBe(shardId);
    expect(record.callback?.type).toBe(4);
    expect(isEphemeral(message)).toBe(false);
    expect(quotesOf(message)[0]?.description).toContain('**civil servants**');
    // Answered by the process that runs that shard.
    const [handled] = await bot.waitForLines(
      (line) => line.msg === 'interaction handled' && line.interactionId === record.payload.id,
      1,
      WAIT_TIMEOUT_MS,
    );
    expect(handled?.shards).toEqual([shardId]);
  });

  it('lets a moderator add a document on each shard, found by /ask in that server only', async () => {
    const pasted = await interact(
      slashCommand({
        name: 'document',
        subcommand: 'add',
        options: {
          text: 'The harbour master confirmed that the zeppelin moorings were inspected in March.',
          title: 'Harbour report',
        },
        guild: guildOnShard0,
        ...moderator,
      }),
    );
    expect(pasted.record.shardId).toBe(0);
    expect(pasted.message.content).toMatch(/^✅ Added \*\*Harbour report\*\*/);

    const attachment = discord.serveAttachment(
      'orchard-notes.txt',
      'Orchard notes\n\nThe quince trees in the east orchard were grafted onto hawthorn rootstock.\n',
      'text/plain',
    );
    const attached = await interact(
      slashCommand({
        name: 'document',
        subcommand: 'add',
        options: { file: { attachment }, title: 'Orchard notes' },
        guild: guildOnShard1,
        ...moderator,
      }),
    );
    expect(attached.record.shardId).toBe(1);
    expect(attached.message.content).toMatch(/^✅ Added \*\*Orchard notes\*\*/);

    const moorings = 'Who inspected the zeppelin moorings?';
    const quinces = 'What rootstock were the quince trees grafted onto?';
    expect(quotesOf((await ask(moorings, guildOnShard0)).message)[0]?.description).toContain(
      '— Harbour report',
    );
    expect(quotesOf((await ask(quinces, guildOnShard1)).message)[0]?.description).toContain(
      '— Orchard notes',
    );
    const mooringsElsewhere = await ask(moorings, guildOnShard1);
    expect(messageText(mooringsElsewhere.message)).not.toContain('Harbour report');
    expect(quotesOf(mooringsElsewhere.message)).toEqual([]);
    expect(mooringsElsewhere.message.content).toContain('The sources do not answer');
    const quincesElsewhere = await ask(quinces, guildOnShard0);
    expect(messageText(quincesElsewhere.message)).not.toContain('Orchard notes');
    expect(quotesOf(quincesElsewhere.message)).toEqual([]);
    expect(quincesElsewhere.message.content).toContain('The sources do not answer');

    // Each server's files were written by the shard that serves it.
    expect(await storedTexts(guildOnShard0)).toEqual([expect.stringContaining('zeppelin moorings')]);
    expect(await storedTexts(guildOnShard1)).toEqual([expect.stringContaining('quince trees')]);
  });

  it("serves both shards' health and metrics on the manager's HEALTH_PORT", async () => {
    const [listening] = await bot.waitForLines(
      (line) => line.msg === 'health and metrics server listening',
      1,
      WAIT_TIMEOUT_MS,
    );
    expect(listening?.pid).toBe(bot.child.pid);
    const base = `http://127.0.0.1:${String(listening?.port)}`;
    const health = await fetch(`${base}/healthz`);
    const report = (await health.json()) as { failing: string[]; checks: Record<string, { ok: boolean }> };
    expect(health.status, JSON.stringify(report)).toBe(200);
    expect(Object.keys(report.checks).sort()).toEqual([
      'shard-0/database',
      'shard-0/gateway',
      'shard-0/library',
      'shard-0/storage',
      'shard-1/database',
      'shard-1/gateway',
      'shard-1/library',
      'shard-1/storage',
    ]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const shard of ['0', '1']) {
      expect(sample(metrics, 'verbatim_shard_ready', { shard, process: `shard-${shard}` })).toBe(1);
      // Each shard answered the /ask of its own server above.
      expect(
        sample(metrics, 'verbatim_questions_total', { outcome: 'answered', process: `shard-${shard}` }),
      ).toBeGreaterThanOrEqual(1);
      expect(sample(metrics, 'verbatim_documents', { scope: 'shipped', process: `shard-${shard}` })).toBe(5);
    }
  });

  it('refuses and logs a document write that reaches a shard not serving the server, storing nothing', async () => {
    const misrouted = await interact(
      slashCommand({
        name: 'document',
        subcommand: 'add',
        options: { text: 'The lamplighter counted forty-two gas lamps on the pier.', title: 'Lamp count' },
        guild: guildOnShard0,
        ...moderator,
      }),
      { shardId: 1 },
    );
    expect(isEphemeral(misrouted.message)).toBe(true);
    expect(misrouted.message.content).toMatch(/^Sorry, something went wrong on my side/);
    const refusals = await bot.waitForLines(
      (line) => line.msg.startsWith('refused a document write') && line.guildId === guildOnShard0.id,
      1,
      WAIT_TIMEOUT_MS,
    );
    expect(refusals[0]?.shards).toEqual([1]);
    expect((await storedTexts(guildOnShard0)).join('\n')).not.toContain('lamplighter');
  });

  it('stops every shard on SIGTERM and exits 0', async () => {
    const shardPids = bot.lines.filter((line) => line.msg === 'bot ready').map((line) => line.pid);
    expect(shardPids).toHaveLength(2);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const stopped = bot.lines.filter((line) => line.msg === 'shutting down').map((line) => line.shards);
    expect(stopped.sort()).toEqual([[0], [1]]);
    expect(shardPids.filter(isAlive)).toEqual([]);
  });
});

describe('SHARD_COUNT=2 when Discord will not serve one shard', () => {
  it(
    'stops the shard already running and exits 1, with the reason in the log',
    async () => {
      const refusing = await startFakeDiscord({
        shards: 2,
        guilds: [guildOnShard0, guildOnShard1],
        waitTimeoutMs: WAIT_TIMEOUT_MS,
        refuseShards: { shardIds: [1], code: 4011, reason: 'Sharding required' },
      });
      const data = await mkdtemp(join(tmpdir(), 'verbatim-shards-refused-'));
      let failing: RunningBot | undefined;
      try {
        failing = startTwoShards(refusing, data);
        expect(await failing.exited).toBe(1);
        const ready = failing.lines.filter((line) => line.msg === 'bot ready');
        expect(ready.map((line) => line.shards)).toEqual([[0]]);
        expect(ready.map((line) => line.pid).filter(isAlive)).toEqual([]);
        expect(failing.lines.map((line) => line.msg)).toContain('a shard did not start; stopping the others');
        expect(refusing.gateway.refusals).toContainEqual({ code: 4011, reason: 'Sharding required' });
        expect(failing.lines.map((line) => line.msg)).toContainEqual(
          expect.stringMatching(/^Could not log in to Discord at .*: Sharding is required/),
        );
      } finally {
        killLeftovers(failing);
        await refusing.close();
        await rm(data, { recursive: true, force: true });
      }
    },
    START_TIMEOUT_MS,
  );
});

describe('SHARD_COUNT=2 with a wrong token', () => {
  it(
    'exits 1 before starting any shard, saying so without the token',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'verbatim-shards-token-'));
      const wrongToken = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.AAAAAA.not-the-bot-token-at-all-xxxxxxxxxxxx';
      let refused: RunningBot | undefined;
      try {
        refused = startTwoShards(discord, data, wrongToken);
        expect(await refused.exited).toBe(1);
        expect(refused.output).toContain('An invalid token was provided.');
        expect(refused.output).not.toContain(wrongToken);
        expect(refused.lines.filter((line) => line.msg === 'shard started')).toEqual([]);
      } finally {
        killLeftovers(refused);
        await rm(data, { recursive: true, force: true });
      }
    },
    START_TIMEOUT_MS,
  );
});
