/**
 * One shard process, started by the ShardingManager (src/discord/shards.ts) with the same tsx loader as
 * `npm start`: the normal bot with its own Library over the shared DATA_DIR. discord.js reads this
 * process's shard ids and the total from the SHARDS and SHARD_COUNT the manager put in its environment;
 * everything else (DISCORD_API_URL, DATA_DIR, LOG_LEVEL, the token) is the manager's environment, passed
 * through, so every shard reaches the same REST base and storage.
 */
import { loadConfig, loadDotEnv } from '../config.ts';
import { isVerbatimError } from '../core/index.ts';
import { openLibrary } from '../library.ts';
import { createLogger } from '../log.ts';
import { startBot } from './client.ts';

loadDotEnv();
const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
try {
  const library = await openLibrary({ dataDir: config.dataDir, logger });
  // Stops on SIGINT/SIGTERM (the manager's, or Ctrl-C reaching the whole process group): writes finish first.
  const bot = await startBot({ config, library, logger });
  // The IPC channel closes when the manager dies without stopping us (SIGKILL, crash). Stop too: a new
  // manager would start another process for this shard, and two processes must never write one server's files.
  process.once('disconnect', () => {
    logger.warn('the shard manager is gone; stopping this shard');
    void bot.stop().finally(() => process.exit(0));
  });
} catch (error) {
  // The manager sees the exit before ready and stops the other shards.
  if (isVerbatimError(error)) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'shard failed to start');
  process.exitCode = 1;
}
