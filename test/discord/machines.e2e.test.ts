/**
 * Two machines, end to end: two managers (`npm start` with SHARD_COUNT=2), one with SHARD_LIST=0 and one
 * with SHARD_LIST=1, each with its own DATA_DIR as separate machines have, over ONE PostgreSQL
 * (DATABASE_URL), against the loopback Discord. Each machine answers its own servers, writes only theirs,
 * and sees a document `npm run cli -- add` stored from a third process without a restart.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIInteraction } from 'discord.js';
import { guildScope } from '../../src/core/index.ts';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { FakeGuild } from '../helpers/entities.ts';
import { startFakeDiscord } from '../helpers/fake-discord.ts';
import type { FakeDiscord, InteractionRecord, MessageView } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { runProcess } from '../cli/run-cli.ts';
import { messageText, quotesOf } from './bot-harness.ts';
import { killLeftovers, startShardedBot, type LogLine, type RunningBot } from './sharded-bot.ts';

const START_TIMEOUT_MS = 90_000;
const WAIT_TIMEOUT_MS = 30_000;

const postgres = inject('postgres');
const guildOnShard0 = makeGuild({ name: 'Harbour club', shard: [0, 2] });
const guildOnShard1 = makeGuild({ name: 'Orchard club', shard: [1, 2] });
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ines' }) };

let discord: FakeDiscord;
let databaseUrl: string;
let folder: string;
/** Machine A runs shard 0 (guildOnShard0), machine B shard 1 (guildOnShard1). */
let machineA: RunningBot;
let machineB: RunningBot;

function startMachine(name: string, shardList: string): RunningBot {
  return startShardedBot(discord, {
    DATA_DIR: join(folder, name),
    DATABASE_URL: databaseUrl,
    SHARD_COUNT: '2',
    SHARD_LIST: shardList,
    HEALTH_PORT: '0',
  });
}

async function ready(machine: RunningBot): Promise<void> {
  await Promise.race([
    machine.waitForLines((line) => line.msg === 'every shard is ready', 1, START_TIMEOUT_MS),
    machine.exited.then((code) => {
      throw new Error(
        `a machine exited (${code}) before its shards were ready:\n${machine.output.slice(-3000)}`,
      );
    }),
  ]);
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

/** The machine whose log says it handled `record`, with the shards of the process that did. */
async function handledBy(record: InteractionRecord): Promise<{ machine: string; shards: unknown }> {
  const handled = (line: LogLine): boolean =>
    line.msg === 'interaction handled' && line.interactionId === record.payload.id;
  const [line] = await Promise.race([
    machineA.waitForLines(handled, 1, WAIT_TIMEOUT_MS).then((lines) => lines.map((l) => ({ ...l, on: 'A' }))),
    machineB.waitForLines(handled, 1, WAIT_TIMEOUT_MS).then((lines) => lines.map((l) => ({ ...l, on: 'B' }))),
  ]);
  return { machine: line?.on ?? '', shards: line?.shards };
}

/** The text of every document stored for `guild`, read from PostgreSQL itself. */
async function storedTexts(guild: FakeGuild): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ text: string }>(
      'select text from documents where scope = $1 order by id',
      [guildScope(guild.id)],
    );
    return result.rows.map((row) => row.text);
  } finally {
    await client.end();
  }
}

/** Every log line of `machine` that names `guild` (its id or its scope). */
function linesNaming(machine: RunningBot, guild: FakeGuild): LogLine[] {
  return machine.lines.filter((line) => JSON.stringify(line).includes(guild.id));
}

const suite = 'adminUrl' in postgres ? describe : describe.skip;
const title =
  'adminUrl' in postgres
    ? 'two machines with disjoint SHARD_LISTs over one PostgreSQL'
    : `two machines over one PostgreSQL (SKIPPED: ${postgres.unavailable})`;

suite(title, () => {
  beforeAll(async () => {
    if (!('adminUrl' in postgres)) return;
    databaseUrl = await freshDatabase(postgres.adminUrl);
    discord = await startFakeDiscord({
      shards: 2,
      guilds: [guildOnShard0, guildOnShard1],
      waitTimeoutMs: WAIT_TIMEOUT_MS,
    });
    folder = await mkdtemp(join(tmpdir(), 'verbatim-machines-'));
    machineA = startMachine('machine-a', '0');
    machineB = startMachine('machine-b', '1');
    await Promise.all([ready(machineA), ready(machineB)]);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    killLeftovers(machineA);
    killLeftovers(machineB);
    await discord?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('runs each shard once: shard 0 on one machine, shard 1 on the other', async () => {
    expect(discord.gateway.identifyPayloads.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const shardsOf = async (machine: RunningBot): Promise<unknown[]> =>
      (await machine.waitForLines((line) => line.msg === 'bot ready', 1, WAIT_TIMEOUT_MS)).map(
        (line) => line.shards,
      );
    expect(await shardsOf(machineA)).toEqual([[0]]);
    expect(await shardsOf(machineB)).toEqual([[1]]);
  });

  it("reports on HEALTH_PORT the health of the machine's own shards only", async () => {
    const [listening] = await machineB.waitForLines(
      (line) => line.msg === 'health and metrics server listening',
      1,
      WAIT_TIMEOUT_MS,
    );
    const health = await fetch(`http://127.0.0.1:${String(listening?.port)}/healthz`);
    const report = (await health.json()) as { checks: Record<string, unknown> };
    expect(health.status, JSON.stringify(report)).toBe(200);
    expect(Object.keys(report.checks).sort()).toEqual([
      'shard-1/database',
      'shard-1/gateway',
      'shard-1/library',
      'shard-1/storage',
    ]);
  });

  it.each([
    ['A', guildOnShard0, 0],
    ['B', guildOnShard1, 1],
  ])('machine %s answers /ask from its own server', async (machine, guild, shardId) => {
    const { record, message } = await ask('Why did UK civil servants go to China?', guild);
    expect(record.shardId).toBe(shardId);
    expect(quotesOf(message)[0]?.description).toContain('**civil servants**');
    expect(await handledBy(record)).toEqual({ machine, shards: [shardId] });
  });

  it("writes a server's document only on the machine that serves it", async () => {
    const added = await interact(
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
    expect(added.message.content).toMatch(/^✅ Added \*\*Harbour report\*\*/);
    expect(await handledBy(added.record)).toEqual({ machine: 'A', shards: [0] });
    expect(await storedTexts(guildOnShard0)).toEqual([expect.stringContaining('zeppelin moorings')]);
    expect(
      quotesOf((await ask('Who inspected the zeppelin moorings?', guildOnShard0)).message)[0]?.description,
    ).toContain('— Harbour report');

    // The same add, misrouted to machine B's shard: refused there, and nothing stored.
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
    expect(misrouted.message.content).toMatch(/^Sorry, something went wrong on my side/);
    await machineB.waitForLines(
      (line) => line.msg.startsWith('refused a document write'),
      1,
      WAIT_TIMEOUT_MS,
    );
    expect((await storedTexts(guildOnShard0)).join('\n')).not.toContain('lamplighter');
    // Machine B never wrote, loaded or indexed anything of machine A's server: its only lines naming it are
    // that refusal and the misrouted interaction's outcome.
    expect(
      linesNaming(machineB, guildOnShard0).filter(
        (line) =>
          line.interactionId !== misrouted.record.payload.id &&
          !line.msg.startsWith('refused a document write'),
      ),
    ).toEqual([]);
    // Nor does machine B's server find the document.
    const elsewhere = await ask('Who inspected the zeppelin moorings?', guildOnShard1);
    expect(messageText(elsewhere.message)).not.toContain('Harbour report');
  });

  it('sees `npm run cli -- add` from a third process on the machine that serves the server, without a restart', async () => {
    const question = 'How many times does the Kettle Island ferry sail on Sundays?';
    expect(messageText((await ask(question, guildOnShard1)).message)).not.toContain(
      'the harbour office said',
    );
    const file = join(folder, 'ferry.txt');
    await writeFile(
      file,
      'Kettle Island ferry\n\nThe passenger ferry to Kettle Island sails five times on Sundays, the harbour office said.',
    );
    const added = await runProcess(
      'src/cli/main.ts',
      ['add', file, '--server', guildOnShard1.id, '--title', 'Kettle Island ferry'],
      { DATA_DIR: join(folder, 'operator'), DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    await machineB.waitForLines(
      (line) => line.msg === 'Document added by another process' && line.id === 'kettle-island-ferry',
      1,
      WAIT_TIMEOUT_MS,
    );
    const answer = await ask(question, guildOnShard1);
    expect(messageText(answer.message)).toContain('the harbour office said');
    expect(await handledBy(answer.record)).toEqual({ machine: 'B', shards: [1] });
    // Machine A does not serve that server, so it neither loads the document nor answers from it.
    expect(linesNaming(machineA, guildOnShard1)).toEqual([]);
    expect(messageText((await ask(question, guildOnShard0)).message)).not.toContain(
      'the harbour office said',
    );
  });

  it('stops each machine on SIGTERM, exiting 0', async () => {
    machineA.child.kill('SIGTERM');
    machineB.child.kill('SIGTERM');
    expect(await machineA.exited).toBe(0);
    expect(await machineB.exited).toBe(0);
  });
});
