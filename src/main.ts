/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the interactive terminal mode on the
 * shipped corpus (and DATA_DIR's documents of DISCORD_GUILD_ID, when that is set).
 */
import { terminalLogLevel } from './cli/context.ts';
import { loadConfig, loadDotEnv, semanticOptionsOf, type Config } from './config.ts';
// The library, the terminal and discord.js are imported where they are used: a shard manager needs none of
// them (without them its resident memory went from 176 MB to 117 MB, by `ps -o rss`).
import { isVerbatimError } from './core/index.ts';
import { createLogger, type Logger } from './log.ts';

/** Kept so the error boundary below knows whether to print a stack. */
let debugging = false;

async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig(process.env);
  debugging = config.logLevel === 'debug' || config.logLevel === 'trace';
  if (config.discordToken !== undefined) return runDiscord(config, createLogger(config.logLevel));
  return runTerminal(config, createLogger(terminalLogLevel(config.logLevel)));
}

/**
 * The one branch point for the bot: SHARD_COUNT > 1 starts discord.js's ShardingManager, whose shard
 * processes each open their own library (src/discord/shards.ts); otherwise one client runs here.
 */
async function runDiscord(config: Config, logger: Logger): Promise<number> {
  if (config.shardCount > 1) {
    const { runShards } = await import('./discord/shards.ts');
    return runShards(config, logger);
  }
  const [{ openLibrary }, health] = await Promise.all([
    import('./library.ts'),
    import('./health/observability.ts'),
  ]);
  // Listening before the library opens, so /healthz says what is still starting rather than nothing.
  const observability = health.createObservability();
  await health.serveHealth(config.healthPort, config.healthHost, observability.source, logger);
  const before = health.memoryInUse();
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
  });
  health.watchLibrary(observability, library, health.memoryInUse() - before, config.dataDir);
  // Loaded only here, so the terminal mode never pays for discord.js.
  const { startBot } = await import('./discord/client.ts');
  await startBot({ config, library, logger, observability });
  return 0;
}

async function runTerminal(config: Config, logger: Logger): Promise<number> {
  process.stdout.write(
    'Discord is not connected: set DISCORD_TOKEN in .env to run the bot (see README). Terminal mode:\n',
  );
  const [{ openLibrary }, { runRepl }, { guildScope }] = await Promise.all([
    import('./library.ts'),
    import('./cli/repl.ts'),
    import('./core/index.ts'),
  ]);
  const library = await openLibrary({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    logger,
    extraction: config.extraction,
    quotas: config.quotas,
    semantic: semanticOptionsOf(config),
  });
  try {
    await runRepl({
      library,
      input: process.stdin,
      output: process.stdout,
      logger,
      ...(config.discordGuildId === undefined ? {} : { scope: guildScope(config.discordGuildId) }),
    });
  } finally {
    await library.close();
  }
  return 0;
}

try {
  const code = await main();
  if (code !== 0) process.exitCode = code;
} catch (error) {
  if (isVerbatimError(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `Unexpected error: ${message}. This is a bug; run with LOG_LEVEL=debug for details.\n`,
    );
    if (debugging) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = 2;
  }
}
