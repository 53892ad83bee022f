/**
 * Memory over many distinct members (issue 11, failure 9): the real bot in a child process answers /ask from
 * a fresh member each time, and its memory after a full GC (and discord.js's user and member cache sizes)
 * is sampled every tenth of the run. Bounded caches show as a plateau; a per-member cache as a line.
 * `npm run bench -- --only members` runs this section alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus, parseSize, writeCorpusFolder } from './corpus.ts';
import type { ChildReport } from './protocol.ts';
import { startChild } from './spawn.ts';

type BotMemory = Extract<ChildReport, { kind: 'bot-memory' }>;

export interface MembersSample extends Omit<BotMemory, 'kind'> {
  asks: number;
}

export interface MembersResult {
  setup: string;
  samples: MembersSample[];
}

/** Distinct members asking: 100,000 for the soak, 10,000 with --quick. */
function membersFor(quick: boolean): number {
  return quick ? 10_000 : 100_000;
}

const SAMPLES = 10;
const CONCURRENCY = 50;

export async function measureMembers(
  quick: boolean,
  progress: (message: string) => void,
): Promise<MembersResult> {
  const [{ startFakeDiscord }, { makeGuild, makeUser }, { slashCommand }] = await Promise.all([
    import('../test/helpers/fake-discord.ts'),
    import('../test/helpers/entities.ts'),
    import('../test/helpers/interactions.ts'),
  ]);
  const root = mkdtempSync(join(tmpdir(), 'verbatim-bench-members-'));
  writeCorpusFolder(loadCorpus(parseSize('2k')), join(root, 'corpus'));
  const guild = makeGuild({ name: 'Bench members' });
  // The loopback server (in this process) keeps every interaction it saw; only the bot's memory is sampled.
  const discord = await startFakeDiscord({ guilds: [guild], waitTimeoutMs: 60_000 });
  const bot = startChild({
    kind: 'bot',
    apiUrl: discord.apiUrl,
    token: discord.token,
    applicationId: discord.applicationId,
    corpusFolder: join(root, 'corpus'),
    dataDir: join(root, 'data'),
  });
  const memory = (): Promise<BotMemory> =>
    new Promise((resolve) => {
      const listen = (report: ChildReport): void => {
        if (report.kind !== 'bot-memory') return;
        bot.process.off('message', listen);
        resolve(report);
      };
      bot.process.on('message', listen);
      bot.tell({ kind: 'memory' });
    });
  try {
    await bot.ready;
    await discord.waitForShards();
    const total = membersFor(quick);
    const step = total / SAMPLES;
    const samples: MembersSample[] = [];
    const sample = async (asks: number): Promise<void> => {
      const { kind: _kind, ...figures } = await memory();
      samples.push({ asks, ...figures });
      progress(
        `members: ${asks} asks from distinct members: bot RSS ${(figures.rssBytes / 2 ** 20).toFixed(1)} MB, ` +
          `heap ${(figures.heapUsedBytes / 2 ** 20).toFixed(1)} MB, users cached ${figures.users}, members cached ${figures.members}`,
      );
    };
    await sample(0);
    let asked = 0;
    while (asked < total) {
      const burst = Math.min(CONCURRENCY, total - asked);
      await Promise.all(
        Array.from({ length: burst }, async () => {
          const record = await discord.interact(
            slashCommand({ name: 'ask', options: { question: 'Which team won?' }, guild, user: makeUser() }),
          );
          if (record.callback?.type !== 4) throw new Error(`/ask got no reply but ${record.describe()}`);
        }),
      );
      asked += burst;
      if (asked % step === 0) await sample(asked);
    }
    return {
      setup:
        `bot = src/discord/client.ts startBot in a child process over the 2k corpus; ${total} /asks, one fresh member each, ` +
        `${CONCURRENCY} at a time; memory after a full GC in the bot process`,
      samples,
    };
  } finally {
    bot.tell({ kind: 'stop' });
    await bot.finished.catch((error: unknown) =>
      progress(`members: the bot did not stop cleanly: ${String(error)}`),
    );
    await discord.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * One line per sample, then the heap's growth from the first tenth to the end (what "flat" means here: RSS
 * wanders with when the allocator returns pages, so its range is printed instead of a slope).
 */
export function formatMembers(result: MembersResult): string {
  const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const first = result.samples[1] ?? result.samples[0];
  const last = result.samples.at(-1);
  const rss = result.samples.map((sample) => sample.rssBytes);
  const growth =
    first && last && last.asks > first.asks
      ? `heap after GC from ${first.asks} to ${last.asks} members: ${mb(last.heapUsedBytes - first.heapUsedBytes)} ` +
        `(${((((last.heapUsedBytes - first.heapUsedBytes) / (last.asks - first.asks)) * 1000) / 2 ** 10).toFixed(1)} KB per 1,000 members); ` +
        `RSS between ${mb(Math.min(...rss))} and ${mb(Math.max(...rss))}`
      : 'not enough samples';
  return [
    'Memory over distinct members',
    result.setup,
    ...result.samples.map(
      (s) =>
        `${String(s.asks).padStart(7)} asks: RSS ${mb(s.rssBytes)}, heap ${mb(s.heapUsedBytes)}, ` +
        `users cached ${s.users}, members cached ${s.members}`,
    ),
    growth,
  ].join('\n');
}
