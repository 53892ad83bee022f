/**
 * SHARD_COUNT > 1: the bot as several processes under discord.js's ShardingManager. This process only
 * manages: it spawns one child per shard (src/discord/shard.ts, with the tsx loader `npm start` uses, or compiled),
 * each a complete bot with its own Library, respawns a shard that dies after start-up, and on SIGINT or
 * SIGTERM stops every shard (each finishes its writes) before exiting. See DESIGN.md, "Past one process".
 */
import { fileURLToPath } from 'node:url';
import { DiscordAPIError, REST, Routes, ShardingManager } from 'discord.js';
import type { APIGatewayBotInfo, Shard } from 'discord.js';
import type { Config } from '../config.ts';
// errors.ts, not the core's index: the manager has no use for the analyzer and its language model.
import { VerbatimError } from '../core/index.ts';
import type { Logger } from '../log.ts';
import { loaderArgs, siblingModule } from '../module-file.ts';
import { serveHealth } from '../health/observability.ts';
import { shardsHealthSource } from './shard-health.ts';

const SHARD_FILE = fileURLToPath(siblingModule('./shard.ts', import.meta.url));
/** Discord allows one IDENTIFY per 5 s per rate-limit bucket; discord.js's default spacing. */
const IDENTIFY_SPACING_MS = 5_500;
/** How long one shard may take to open its library and log in; generous for a loaded machine. */
const SHARD_READY_TIMEOUT_MS = 120_000;
/** How long a shard may take to finish its writes on shutdown before it is killed. */
const SHARD_STOP_TIMEOUT_MS = 15_000;

/**
 * How long to wait between starting this machine's shards: none when Discord lets all of them identify at
 * once (each in its own rate-limit bucket, `id % session_start_limit.max_concurrency`), else discord.js's
 * 5.5 s. Also warns when Discord recommends more shards than configured, since it refuses to serve too many
 * servers on one shard.
 */
async function spawnSpacing(config: Config, token: string, logger: Logger): Promise<number> {
  const rest = new REST({ api: config.discordApiUrl }).setToken(token);
  let gateway: APIGatewayBotInfo;
  try {
    gateway = (await rest.get(Routes.gatewayBot())) as APIGatewayBotInfo;
  } catch (error) {
    // Worded as the single-process bot's login failure; neither names the token itself.
    const why =
      error instanceof DiscordAPIError && error.status === 401
        ? 'An invalid token was provided.'
        : (error as Error).message;
    throw new VerbatimError('BAD_CONFIG', `Could not log in to Discord at ${config.discordApiUrl}: ${why}`);
  }
  if (gateway.shards > config.shardCount)
    logger.warn(
      { shardCount: config.shardCount, recommended: gateway.shards },
      'Discord recommends more shards than SHARD_COUNT',
    );
  const buckets = new Set(config.shardList.map((id) => id % gateway.session_start_limit.max_concurrency));
  return buckets.size === config.shardList.length ? 0 : IDENTIFY_SPACING_MS;
}

/** Sends SIGTERM and resolves when the shard's process has exited (SIGKILL after a timeout). */
function stopShard(shard: Shard, logger: Logger): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      logger.warn({ shard: shard.id }, 'shard did not stop in time; killing it');
      child.kill('SIGKILL');
    }, SHARD_STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopShards(manager: ShardingManager, logger: Logger): Promise<void> {
  manager.respawn = false;
  await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, logger)));
}

/** Runs the shards until a signal stops them; resolves with the exit code. */
export async function runShards(config: Config, logger: Logger): Promise<number> {
  const token = config.discordToken;
  if (!token) throw new VerbatimError('BAD_CONFIG', 'DISCORD_TOKEN is not set.');
  const delay = await spawnSpacing(config, token, logger);
  const manager = new ShardingManager(SHARD_FILE, {
    totalShards: config.shardCount,
    // SHARD_LIST: only this machine's shards, out of the total every machine agrees on.
    shardList: config.shardList,
    token,
    mode: 'process',
    // The tsx loader `npm start` runs under (resolved here, so any working directory works); none compiled.
    execArgv: loaderArgs(import.meta.url),
  });
  // Listening before the shards start, so /healthz says which are not running yet.
  const health = await serveHealth(
    config.healthPort,
    config.healthHost,
    shardsHealthSource(manager, config.shardList),
    logger,
  );
  manager.on('shardCreate', (shard) => {
    shard.on('spawn', (child) =>
      logger.info({ shard: shard.id, shardPid: 'pid' in child ? child.pid : undefined }, 'shard started'),
    );
    shard.on('ready', () => logger.info({ shard: shard.id }, 'shard ready'));
    shard.on('death', () => {
      if (manager.respawn) logger.warn({ shard: shard.id }, 'shard exited; restarting it');
    });
    // A restart that fails (the new process dies before ready) is reported here; unheard, it would end
    // the manager and every other shard with it. While stopping, a restart cut short is expected.
    shard.on('error', (error) => {
      if (manager.respawn) logger.error({ shard: shard.id, err: error }, 'shard error');
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopShards(manager, logger));
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      logger.info({ signal }, 'stopping every shard');
      void stop().then(() => resolve(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  let failed = false;
  try {
    await manager.spawn({ amount: config.shardCount, delay, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    // A shard that cannot start (bad token, unreadable corpus...) said why in its own log. A shard killed
    // by a signal while starting is not a failure.
    if (!stopping) logger.fatal({ err: error }, 'a shard did not start; stopping the others');
    failed = !stopping;
  }
  if (failed || stopping) {
    // Also stops shards started after the signal: spawn() goes on through its list regardless.
    await stop();
    await stopShards(manager, logger);
    await health?.close();
    return failed ? 1 : stopped;
  }
  logger.info({ shards: config.shardList, shardCount: config.shardCount }, 'every shard is ready');
  const code = await stopped;
  await health?.close();
  logger.info('every shard stopped');
  return code;
}
