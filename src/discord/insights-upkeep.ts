/**
 * Keeping data only as long as promised (PRIVACY.md): stored questions and votes older than their
 * server's retention are erased at start and once a day; when the bot leaves a server, everything stored
 * of it (documents and their history included, src/departed-servers.ts) is erased 30 days later unless
 * the bot is invited back first (guildDelete marks the departure, guildCreate clears it; guildCreate also
 * arrives for every server at each start).
 */
import { Events } from 'discord.js';
import type { Client, Guild } from 'discord.js';
import { guildScope } from '../core/index.ts';
import type { Logger } from '../log.ts';
import type { InsightsStore } from '../store/db/insights.ts';

const DAY_MS = 86_400_000;

export interface InsightsUpkeep {
  /** The purge in progress (start-up's, then each day's), for tests and shutdown. */
  readonly purging: Promise<void>;
  stop(): Promise<void>;
}

export function startInsightsUpkeep(
  client: Client,
  insights: InsightsStore,
  /** The library's purge: each server's retention is its `/settings insights` choice, else the default. */
  purgeInsights: () => Promise<{ questions: number; servers: number }>,
  logger: Logger,
  intervalMs = DAY_MS,
): InsightsUpkeep {
  const work = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>): void => {
    work.add(promise);
    void promise.finally(() => work.delete(promise));
  };
  const purge = (): Promise<void> =>
    purgeInsights().then(
      (gone) => {
        if (gone.questions > 0)
          logger.info({ questions: gone.questions }, 'Insights past their retention erased');
        if (gone.servers > 0)
          logger.info({ servers: gone.servers }, 'Servers the bot left 30 days ago erased');
      },
      (error: unknown) =>
        logger.warn({ err: error }, 'Could not erase insights past their retention or servers left'),
    );
  const upkeep = { purging: purge(), stop };
  track(upkeep.purging);
  const timer = setInterval(() => {
    upkeep.purging = purge();
    track(upkeep.purging);
  }, intervalMs);
  timer.unref();
  const onLeave = (guild: Guild): void => {
    track(
      insights
        .serverLeft(guildScope(guild.id))
        .catch((error: unknown) =>
          logger.warn({ err: error, guildId: guild.id }, 'Could not note a server left'),
        ),
    );
  };
  const onJoin = (guild: Guild): void => {
    track(
      insights
        .serverJoined(guildScope(guild.id))
        .catch((error: unknown) =>
          logger.warn({ err: error, guildId: guild.id }, 'Could not note a server joined'),
        ),
    );
  };
  client.on(Events.GuildDelete, onLeave);
  client.on(Events.GuildCreate, onJoin);
  async function stop(): Promise<void> {
    clearInterval(timer);
    client.off(Events.GuildDelete, onLeave);
    client.off(Events.GuildCreate, onJoin);
    await Promise.allSettled([...work]);
  }
  return upkeep;
}
