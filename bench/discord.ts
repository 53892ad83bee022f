/**
 * `/ask` round trip through the Discord layer: the loopback Discord server of the tests (in this process)
 * and the real bot (src/discord/client.ts, in a child process, as `npm start` would run it). N users each
 * dispatch one /ask at the same moment; each is timed from dispatch to the bot's first response arriving
 * at the server. The bot answers /ask with its reply directly (no deferral), so that response is the answer.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus, parseSize, squadQuestions, writeCorpusFolder } from './corpus.ts';
import type { DiscordResult } from './results.ts';
import { startChild } from './spawn.ts';
import { percentile } from './stats.ts';

const FAKE_DISCORD = fileURLToPath(new URL('../test/helpers/fake-discord.ts', import.meta.url));
const CLIENT = fileURLToPath(new URL('../src/discord/client.ts', import.meta.url));

const CONCURRENT_USERS = [1, 10, 50] as const;
/** Ephemeral message flag: the bot's private no-answer replies carry it, public quoted answers do not. */
const EPHEMERAL = 64;

interface ProcessTimes {
  /** CPU time (user + system, all threads) used so far, from /proc/<pid>/stat, in 10 ms clock ticks. */
  cpuMs: number;
  /** Time the main (JavaScript) thread was ready to run but waiting for a CPU, from /proc/<pid>/schedstat. */
  waitingMs: number | undefined;
}

/** What the process `pid` has used and waited so far (Linux; undefined elsewhere). */
function processTimes(pid: number | undefined): ProcessTimes | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime and stime are fields 14 and 15 of stat, counted after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    let waitingMs: number | undefined;
    try {
      waitingMs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
    } catch {
      waitingMs = undefined;
    }
    return { cpuMs, waitingMs };
  } catch {
    return undefined;
  }
}

function cpuNowMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * /asks answered before anything is measured, in bursts of the largest concurrency. A bot serves for days,
 * so users meet a warm process: V8 has compiled the per-interaction code of discord.js, undici and the bot,
 * which takes thousands of interactions (code that runs once per /ask gets hot slowly). With a warm-up of
 * 20 /asks the figures below were mostly the cold start's; the warm-up's own CPU per /ask is printed, so the
 * cold cost stays visible.
 */
function warmUpAsks(quick: boolean): number {
  return quick ? 500 : 3000;
}

/** Rounds per concurrency level: enough samples for a p99 without making the run long. */
function roundsFor(users: number, quick: boolean): number {
  const requests = quick ? 60 : 300;
  return Math.max(2, Math.ceil(requests / users));
}

export async function measureDiscord(
  quick: boolean,
  progress: (message: string) => void,
): Promise<DiscordResult> {
  if (![FAKE_DISCORD, CLIENT].every((file) => existsSync(file))) {
    return {
      pending:
        'needs test/helpers/fake-discord.ts (loopback Discord server) and src/discord/client.ts (the bot)',
    };
  }
  const [{ startFakeDiscord }, { makeGuild, makeUser }, { slashCommand }] = await Promise.all([
    import('../test/helpers/fake-discord.ts'),
    import('../test/helpers/entities.ts'),
    import('../test/helpers/interactions.ts'),
  ]);
  const root = mkdtempSync(join(tmpdir(), 'verbatim-bench-discord-'));
  writeCorpusFolder(loadCorpus(parseSize('2k')), join(root, 'corpus'));
  const guild = makeGuild({ name: 'Bench' });
  const discord = await startFakeDiscord({ guilds: [guild], waitTimeoutMs: 60_000 });
  progress('discord: starting the bot against the loopback Discord server');
  const bot = startChild({
    kind: 'bot',
    apiUrl: discord.apiUrl,
    token: discord.token,
    applicationId: discord.applicationId,
    corpusFolder: join(root, 'corpus'),
    dataDir: join(root, 'data'),
  });
  try {
    const botReadyMs = await bot.ready;
    await discord.waitForShards();
    const questions = squadQuestions().filter(
      (question) => question.trim().length >= 3 && question.length <= 300,
    );
    let next = 0;
    // A fresh user per request: the bot's per-user cooldown (5 asks per 30 s) must not turn answers into refusals.
    const askOnce = async (): Promise<{ ms: number; quoted: boolean }> => {
      const question = questions[next++ % questions.length] as string;
      const payload = slashCommand({ name: 'ask', options: { question }, guild, user: makeUser() });
      const start = performance.now();
      const record = await discord.interact(payload);
      const ms = performance.now() - start;
      const callback = record.callback;
      if (callback?.type !== 4) throw new Error(`/ask got no reply but ${record.describe()}`);
      const flags = (callback.body as { data?: { flags?: number } }).data?.flags ?? 0;
      return { ms, quoted: (flags & EPHEMERAL) === 0 };
    };
    const warmUp = warmUpAsks(quick);
    const burst = Math.max(...CONCURRENT_USERS);
    const coldBefore = processTimes(bot.process.pid);
    for (let asked = 0; asked < warmUp; asked += burst) {
      await Promise.all(Array.from({ length: Math.min(burst, warmUp - asked) }, askOnce));
    }
    const coldAfter = processTimes(bot.process.pid);
    progress(
      `discord: warm-up, ${warmUp} /asks in bursts of ${burst}: bot CPU ` +
        (coldBefore && coldAfter
          ? `${((coldAfter.cpuMs - coldBefore.cpuMs) / warmUp).toFixed(2)} ms`
          : 'n/a') +
        ' per /ask',
    );

    const rounds: Extract<DiscordResult, { rounds: unknown }>['rounds'] = [];
    for (const users of CONCURRENT_USERS) {
      const count = roundsFor(users, quick);
      progress(`discord: ${users} concurrent users, ${count} rounds`);
      const samples: Array<{ ms: number; quoted: boolean }> = [];
      const botBefore = processTimes(bot.process.pid);
      const serverCpuBefore = cpuNowMs();
      for (let round = 0; round < count; round++) {
        samples.push(...(await Promise.all(Array.from({ length: users }, askOnce))));
      }
      // CPU per /ask hardly depends on what else the machine runs, unlike the round trip: a burst of N
      // cannot be answered faster than N × the bot's CPU per /ask on one core. Waiting for a CPU is what
      // the rest of the machine adds.
      const botAfter = processTimes(bot.process.pid);
      const perAsk = (ms: number | undefined): string =>
        ms === undefined ? 'n/a' : `${(ms / samples.length).toFixed(2)} ms`;
      const botDelta = (key: keyof ProcessTimes): number | undefined => {
        const before = botBefore?.[key];
        const after = botAfter?.[key];
        return before === undefined || after === undefined ? undefined : after - before;
      };
      progress(
        `discord: ${users} users, per /ask: bot CPU ${perAsk(botDelta('cpuMs'))}, ` +
          `bot's main thread waiting for a CPU ${perAsk(botDelta('waitingMs'))}, ` +
          `loopback server and driver CPU ${perAsk(cpuNowMs() - serverCpuBefore)}`,
      );
      const times = samples.map((sample) => sample.ms);
      rounds.push({
        users,
        requests: samples.length,
        quoted: samples.filter((sample) => sample.quoted).length,
        p50Ms: percentile(times, 50),
        p99Ms: percentile(times, 99),
      });
    }
    return {
      setup:
        'bot = src/discord/client.ts startBot in a child process (Library over the 2k corpus as its corpus folder), ' +
        `warmed up with ${warmUp} /asks; ` +
        'loopback server = test/helpers/fake-discord.ts in the bench process; one fresh user per /ask; ' +
        'plain MiniSearch has no Discord layer, so this section is ours only.',
      botReadyMs,
      rounds,
    };
  } finally {
    bot.tell({ kind: 'stop' });
    await bot.finished.catch((error: unknown) =>
      progress(`discord: the bot did not stop cleanly: ${String(error)}`),
    );
    await discord.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** `--only discord`: the command, then one line per concurrency level (the full table is not printed). */
export function formatDiscordOnly(command: string, result: DiscordResult): string {
  if ('pending' in result) return `${command}\nnot measured: ${result.pending}`;
  const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
  return [
    command,
    result.setup,
    `bot ready: ${ms(result.botReadyMs)}`,
    ...result.rounds.map(
      (round) =>
        `${round.users} concurrent users: ${round.requests} requests, ${round.quoted} public answers, ` +
        `p50 ${ms(round.p50Ms)}, p99 ${ms(round.p99Ms)}`,
    ),
  ].join('\n');
}
