/**
 * What PRIVACY.md promises when the bot is removed from a server: 30 days later, unless it was invited
 * back, everything of that server is erased, in the database (erase-server.ts: documents, earlier versions,
 * audit, settings, glossary, questions, votes) and on disk (its index snapshot, and the folder an earlier
 * version kept its documents in), and this process forgets it. Run by the daily upkeep and at start.
 *
 * Order matters for kills: the rows go in one transaction, then the files, and the departure mark last, so
 * a server interrupted half-way is still listed as departed and the next run finishes it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scope } from './core/index.ts';
import type { Logger } from './log.ts';
import type { StoreDatabase } from './store/db/connect.ts';
import { endDeparture, eraseServerRows } from './store/db/erase-server.ts';
import { DEPARTED_KEEP_DAYS, type InsightsStore } from './store/db/insights.ts';
import { guildIdOfScope } from './store/guild-store.ts';

const DAY_MS = 86_400_000;

export interface DepartedServers {
  database: StoreDatabase;
  insights: InsightsStore;
  /** `DATA_DIR`: where the server's snapshot and any folder of an earlier version are. */
  dataDir: string | undefined;
  now: () => Date;
  /** Runs `task` in the server's queue, after any change of it in progress (the library's). */
  serialise: (scope: Scope, task: () => Promise<void>) => Promise<void>;
  /** In the server's queue: drops its index from memory and deletes its snapshot. */
  forgetIndex: (scope: Scope) => Promise<void>;
  /** Drops what this process remembers of the server besides its index (glossary rules, settings). */
  forgetCaches: (scope: Scope) => void;
  logger: Logger;
}

/** Erases every server left more than DEPARTED_KEEP_DAYS ago; returns how many were erased. */
export async function eraseDepartedServers(servers: DepartedServers): Promise<number> {
  const { database, insights, dataDir, logger } = servers;
  const before = new Date(servers.now().getTime() - DEPARTED_KEEP_DAYS * DAY_MS);
  let erased = 0;
  for (const scope of await insights.departedBefore(before)) {
    const guildId = guildIdOfScope(scope);
    try {
      await servers.serialise(scope, async () => {
        const rows = await eraseServerRows(database, scope);
        await servers.forgetIndex(scope);
        servers.forgetCaches(scope);
        if (dataDir !== undefined && guildId !== undefined)
          await rm(join(dataDir, 'guilds', guildId), { recursive: true, force: true });
        await endDeparture(database, scope);
        logger.info(
          { guildId, ...rows },
          `Erased a server the bot left more than ${DEPARTED_KEEP_DAYS} days ago`,
        );
      });
      erased += 1;
    } catch (error) {
      // The mark stays: the next upkeep tries again.
      logger.warn(
        { guildId, err: error },
        'Could not erase a server the bot left; the next upkeep tries again',
      );
    }
  }
  return erased;
}
