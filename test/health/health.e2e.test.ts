/**
 * HEALTH_PORT through the real bot: the loopback Discord, a library over a temporary DATA_DIR, the
 * health server on 127.0.0.1 and startBot wired as `npm start` wires them. /healthz names what fails
 * (storage gone, gateway lost), /metrics counts what users did, and every interaction's log line says
 * its outcome without the question, unless the log level is debug.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/discord/client.ts';
import { createObservability, memoryInUse, watchLibrary } from '../../src/health/observability.ts';
import { startHealthServer, type HealthServer } from '../../src/health/server.ts';
import { openLibrary } from '../../src/library.ts';
import { MODERATOR_PERMISSIONS, makeGuild, makeUser } from '../helpers/entities.ts';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { sample } from './prometheus.ts';

const guild = makeGuild({ name: 'Health club' });
let discord: FakeDiscord;
let dataDir: string;
let bot: RunningBot;
let server: HealthServer;
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);
const logLines: Array<Record<string, unknown>> = [];

async function get(path: string): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

async function health(): Promise<{
  status: number;
  report: { status: string; failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };
}> {
  const { status, body } = await get('/healthz');
  return { status, report: JSON.parse(body) as never };
}

/** Asks as a fresh user (no cooldown between tests) and waits for the interaction's log line. */
async function ask(question: string): Promise<Record<string, unknown>> {
  const payload = slashCommand({ name: 'ask', options: { question }, guild, user: makeUser() });
  const record = await discord.interact(payload);
  await record.waitForMessage();
  return vi.waitFor(
    () => {
      const line = logLines.find((l) => l.interactionId === payload.id && l.msg === 'interaction handled');
      if (!line) throw new Error('no log line yet');
      return line;
    },
    { timeout: 5_000, interval: 10 },
  );
}

beforeAll(async () => {
  discord = await startFakeDiscord({ guilds: [guild] });
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-health-'));
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: dataDir,
  });
  // As src/main.ts: the server first, the library's probe once it is open, then the bot.
  const observability = createObservability();
  server = await startHealthServer({ port: 0, host: '127.0.0.1', source: observability.source, logger });
  const starting = await health();
  expect(starting.status).toBe(503);
  expect(starting.report.failing).toEqual(['library']);
  const before = memoryInUse();
  const library = await openLibrary({ dataDir, logger });
  watchLibrary(observability, library, memoryInUse() - before, dataDir);
  bot = await startBot({ config, library, logger, observability, handleSignals: false });
});

afterAll(async () => {
  await bot?.stop();
  await server?.close();
  await discord?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('/healthz', () => {
  it('answers 200 with every part named when the library, the gateway and DATA_DIR are fine', async () => {
    const { status, report } = await health();
    expect(status).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.failing).toEqual([]);
    expect(Object.keys(report.checks).sort()).toEqual(['database', 'gateway', 'library', 'storage']);
    expect(report.checks.database).toEqual({ ok: true, detail: 'SQLite answers' });
    expect(report.checks.gateway).toEqual({ ok: true, detail: '1 shard ready' });
    expect(report.checks.library).toEqual({ ok: true, detail: '5 documents loaded' });
  });

  it('answers 503 naming storage while DATA_DIR is gone, and 200 again once it is back', async () => {
    await rm(dataDir, { recursive: true, force: true });
    const gone = await health();
    expect(gone.status).toBe(503);
    expect(gone.report.failing).toEqual(['storage']);
    expect(gone.report.checks.storage).toEqual({ ok: false, detail: 'DATA_DIR is not writable: ENOENT' });
    await mkdir(dataDir);
    expect((await health()).status).toBe(200);
  });
});

describe('/metrics and the interaction log', () => {
  it('counts an answered question and logs it as answered, without the question', async () => {
    const line = await ask('Who did the British civil servants meet in China?');
    expect(line).toMatchObject({ outcome: 'answered', command: 'ask', guildId: guild.id });
    expect(JSON.stringify(line)).not.toContain('civil servants');
    const { status, type, body } = await get('/metrics');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, 'verbatim_questions_total', { outcome: 'answered' })).toBe(1);
    expect(sample(body, 'verbatim_interactions_total', { command: 'ask', outcome: 'answered' })).toBe(1);
    expect(sample(body, 'verbatim_answer_seconds_count', { outcome: 'answered' })).toBe(1);
  });

  it('counts a declined question by its reason and logs the reason', async () => {
    const line = await ask('How does photosynthesis differ from cellular respiration?');
    expect(line).toMatchObject({ outcome: 'declined', reason: 'no-match' });
    expect(JSON.stringify(line)).not.toContain('photosynthesis');
    const { body } = await get('/metrics');
    expect(sample(body, 'verbatim_questions_total', { outcome: 'declined', reason: 'no-match' })).toBe(1);
    expect(sample(body, 'verbatim_interactions_total', { command: 'ask', outcome: 'declined' })).toBe(1);
  });

  it('puts the question in the outcome line when the level is debug', async () => {
    logger.level = 'debug';
    try {
      const line = await ask('Why did Amnesty criticise US tech firms?');
      expect(line).toMatchObject({
        outcome: 'answered',
        question: 'Why did Amnesty criticise US tech firms?',
      });
    } finally {
      logger.level = 'info';
    }
  });

  it('logs and counts a refusal with its code', async () => {
    const payload = slashCommand({
      name: 'document',
      subcommand: 'remove',
      options: { document: 'no-such-document' },
      guild,
      permissions: MODERATOR_PERMISSIONS,
    });
    await (await discord.interact(payload)).waitForMessage();
    const line = await vi.waitFor(() => {
      const found = logLines.find((l) => l.interactionId === payload.id);
      if (!found) throw new Error('no log line yet');
      return found;
    });
    expect(line).toMatchObject({ msg: 'interaction refused', outcome: 'refused', code: 'UNKNOWN_DOCUMENT' });
    const { body } = await get('/metrics');
    expect(sample(body, 'verbatim_interactions_total', { command: 'document', outcome: 'refused' })).toBe(1);
  });

  it('shows documents and paragraphs per scope kind, a server document included once added', async () => {
    const before = (await get('/metrics')).body;
    expect(sample(before, 'verbatim_documents', { scope: 'shipped' })).toBe(5);
    expect(sample(before, 'verbatim_documents', { scope: 'servers' })).toBe(0);
    const shippedParagraphs = sample(before, 'verbatim_paragraphs', { scope: 'shipped' }) ?? 0;
    expect(shippedParagraphs).toBeGreaterThan(50);
    const payload = slashCommand({
      name: 'document',
      subcommand: 'add',
      options: {
        text: 'The lighthouse keeper logged every passing zeppelin.\n\nThe log was kept for years.',
        title: 'Keeper log',
      },
      guild,
      permissions: MODERATOR_PERMISSIONS,
    });
    const added = await (await discord.interact(payload)).waitForMessage();
    expect(added.content).toMatch(/^✅ Added/);
    const after = (await get('/metrics')).body;
    expect(sample(after, 'verbatim_documents', { scope: 'servers' })).toBe(1);
    expect(sample(after, 'verbatim_paragraphs', { scope: 'servers' })).toBe(2);
    expect(sample(after, 'verbatim_servers_with_documents')).toBe(1);
    expect(sample(after, 'verbatim_paragraphs', { scope: 'shipped' })).toBe(shippedParagraphs);
  });

  it('shows the shard as ready, the index memory estimate, process memory and the database error counter', async () => {
    const { body } = await get('/metrics');
    expect(sample(body, 'verbatim_shard_ready', { shard: '0' })).toBe(1);
    expect(sample(body, 'verbatim_index_memory_bytes')).toBeGreaterThan(0);
    expect(sample(body, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(body).toContain('# TYPE verbatim_database_errors_total counter');
  });
});

describe('when the gateway is lost', () => {
  it('answers 503 naming the gateway, and the shard is 0 in /metrics', async () => {
    await discord.close();
    await vi.waitFor(
      async () => {
        const { status, report } = await health();
        expect(status).toBe(503);
        expect(report.failing).toEqual(['gateway']);
        expect(report.checks.gateway).toEqual({ ok: false, detail: 'shard 0 not connected' });
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(sample((await get('/metrics')).body, 'verbatim_shard_ready', { shard: '0' })).toBe(0);
  });
});
