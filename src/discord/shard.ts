/**
 * One shard process, started by the ShardingManager (src/discord/shards.ts) with the same tsx loader as
 * `npm start`: the normal bot with its own Library over the shared DATA_DIR. discord.js reads this
 * process's shard ids and the total from the SHARDS and SHARD_COUNT the manager put in its environment;
 * everything else (DISCORD_API_URL, DATA_DIR, LOG_LEVEL, the token) is the manager's environment, passed
 * through, so every shard reaches the same REST base and storage.
 */
import { loadConfig, loadDotEnv, semanticOptionsOf } from '../config.ts';
import { isVerbatimError } from '../core/index.ts';
import { createObservability, memoryInUse, watchLibrary } from '../health/observability.ts';
import { openLibrary } from '../library.ts';
import { createLogger } from '../log.ts';
import { startBot } from './client.ts';
import { shardsOwnership } from './ownership.ts';
import type { RunningBot } from './client.ts';
import { answerHealthRequests } from './shard-health.ts';

loadDotEnv();
const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
let bot: RunningBot | undefined;
// The IPC channel closes when the manager dies without stopping us (SIGKILL, crash). Stop too: a new
// manager would start another process for this shard, and two processes must never write one server's files.
const onManagerGone = (): void => {
  logger.warn('the shard manager is gone; stopping this shard');
  // Before the bot is running nothing has been written, so there is nothing to finish.
  void (bot?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
};
process.once('disconnect', onManagerGone);
// A signal while the library opens and the client logs in (the manager stopping every shard because
// another failed, or Ctrl-C) is kept until the bot runs, so the bot stops cleanly, or says why it failed.
let stopAsked = false;
const onEarlySignal = (): void => {
  stopAsked = true;
};
process.on('SIGINT', onEarlySignal);
process.on('SIGTERM', onEarlySignal);
// HEALTH_PORT is the manager's: it asks each shard for its checks and metrics over IPC.
const observability = createObservability();
answerHealthRequests(observability);
try {
  const before = memoryInUse();
  const library = await openLibrary({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    logger,
    extraction: config.extraction,
    quotas: config.quotas,
    serversInBackground: true,
    indexMemoryBytes: config.indexMemoryMb * 1024 * 1024,
    settingsDefaults: { retentionDays: config.insightsRetentionDays },
    semantic: semanticOptionsOf(config),
    onDatabaseError: (operation) => observability.metrics.databaseErrors.inc({ operation }),
    // Only the servers of this process's shards: the others' questions and commands never arrive here.
    ...(config.shardIds === undefined
      ? {}
      : { servesGuild: shardsOwnership(config.shardIds, config.shardCount) }),
  });
  watchLibrary(observability, library, memoryInUse() - before, config.dataDir);
  // From here it stops on SIGINT/SIGTERM itself, and writes in progress finish first.
  bot = await startBot({ config, library, logger, observability });
  if (stopAsked) await bot.stop().finally(() => process.exit(0));
} catch (error) {
  // The manager sees the exit before ready and stops the other shards.
  if (isVerbatimError(error)) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'shard failed to start');
  process.exitCode = 1;
  // Leave now with that code: the channel to the manager would keep this process alive.
  process.off('disconnect', onManagerGone);
  process.disconnect?.();
} finally {
  process.off('SIGINT', onEarlySignal);
  process.off('SIGTERM', onEarlySignal);
}
