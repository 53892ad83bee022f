/**
 * The bot's bootstrap: a discord.js client with the Guilds intent only, its REST base taken from config
 * (discord.js then learns the gateway address from `GET /gateway/bot`), the dispatcher wired in, and a
 * graceful stop on SIGINT/SIGTERM that lets the library finish its writes before the client closes.
 */
import { Client, Events, GatewayIntentBits, Options, REST, Routes, Status } from 'discord.js';
import type { APIApplication, Interaction } from 'discord.js';
import type { Config } from '../config.ts';
import { VerbatimError } from '../core/index.ts';
import type { Library } from '../library.ts';
import { createObservability, type Observability } from '../health/observability.ts';
import type { Logger } from '../log.ts';
import type { ShardState } from '../health/metrics.ts';
import type { ProbeResult } from '../health/probes.ts';
import { loadButtonKey, loadVoterSalt } from './button-key.ts';
import { createAutoAnswer, type AutoAnswerOptions } from './auto-answer.ts';
import {
  AUTO_ANSWER_OFF,
  AUTO_ANSWER_ON,
  hasMessageContent,
  INTENT_MISSING,
  type AutoAnswerAvailability,
} from './auto-answer-intent.ts';
import { ButtonState } from './button-state.ts';
import type { Command, CommandContext } from './command.ts';
import { Cooldowns } from './cooldown.ts';
import { createDispatcher } from './dispatch.ts';
import { startInsightsUpkeep } from './insights-upkeep.ts';
import { loadCommands } from './loader.ts';
import { observedAsks } from './outcome.ts';
import { ownedWrites, shardOwnership } from './ownership.ts';
import { onePerTurn } from './pacing.ts';

export interface StartBotOptions {
  config: Config;
  library: Library;
  logger: Logger;
  /** Default: every module in commands/. */
  commands?: ReadonlyMap<string, Command>;
  cooldowns?: Cooldowns;
  buttonState?: ButtonState;
  /** Stop on SIGINT/SIGTERM. Default true; tests that start several bots turn it off. */
  handleSignals?: boolean;
  /** Where the `gateway` probe and the bot's metrics go. Default: a fresh set nobody reads. */
  observability?: Observability;
  /** Auto-answer's pacing and its hook for declined questions (used only with AUTO_ANSWER=on). */
  autoAnswer?: AutoAnswerOptions;
}

export interface RunningBot {
  client: Client<true>;
  /** Whether auto-answer can be turned on here (AUTO_ANSWER=on and the Message Content intent granted). */
  autoAnswer: AutoAnswerAvailability;
  /** Closes the library (finishing writes in progress), then the client. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * discord.js caches by default a User and a GuildMember for everyone who interacts, and up to 200 messages
 * per channel: memory that grows with every new asker (about 22 MB per 1,000 members, measured in issue 11)
 * for objects the bot never reads again (every handler uses what the interaction itself carries). Only the
 * bot's own user and member are kept; guilds, channels and roles (which permission checks need) stay as
 * they are, since discord.js does not support limiting those.
 */
const boundedCaches = Options.cacheWithLimits({
  ...Options.DefaultMakeCacheSettings,
  UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
  GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
  MessageManager: 0,
  GuildMessageManager: 0,
  DMMessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  ThreadMemberManager: 0,
  VoiceStateManager: 0,
  GuildBanManager: 0,
  GuildInviteManager: 0,
  GuildScheduledEventManager: 0,
  StageInstanceManager: 0,
  AutoModerationRuleManager: 0,
  EntitlementManager: 0,
});

/**
 * Auto-answer's availability, checked before logging in: with AUTO_ANSWER=on, the application's flags must
 * show the Message Content intent enabled in the Developer Portal. Asking for it without would make
 * Discord close the gateway (4014) and the bot would not start; so without it the bot starts with Guilds
 * only and `/settings auto-answer` says what is missing.
 */
async function checkAutoAnswer(config: Config, logger: Logger): Promise<AutoAnswerAvailability> {
  if (!config.autoAnswer) return AUTO_ANSWER_OFF;
  try {
    const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken ?? '');
    const application = (await rest.get(Routes.currentApplication())) as APIApplication;
    if (hasMessageContent(application.flags)) return AUTO_ANSWER_ON;
    logger.warn(
      'AUTO_ANSWER=on but the Message Content intent is not enabled for this application (Developer Portal → Bot → Privileged Gateway Intents): auto-answer is unavailable',
    );
  } catch (error) {
    logger.warn({ err: error }, 'could not read the application flags: auto-answer is unavailable');
  }
  return INTENT_MISSING;
}

/** The `gateway` probe: every shard this process runs is connected and ready. */
function gatewayHealth(shards: readonly ShardState[], starting: boolean): ProbeResult {
  if (starting) return { ok: false, detail: 'not connected yet' };
  const down = shards.filter((shard) => !shard.ready).map((shard) => shard.id);
  if (down.length > 0) return { ok: false, detail: `shard ${down.join(', ')} not connected` };
  return { ok: true, detail: `${shards.length} shard${shards.length === 1 ? '' : 's'} ready` };
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, library } = options;
  if (!config.discordToken)
    throw new VerbatimError(
      'BAD_CONFIG',
      'DISCORD_TOKEN is not set: put the bot token from the Discord developer portal in .env.',
    );
  const commands = options.commands ?? (await loadCommands());
  const key = options.buttonState ? undefined : await loadButtonKey(config.dataDir, library);
  // Under a ShardingManager discord.js takes this process's shard ids and count from the environment the
  // manager gave it (SHARDS, SHARD_COUNT); otherwise the client serves every shard itself.
  const autoAnswer = await checkAutoAnswer(config, options.logger);
  // Guilds only, unless auto-answer may run: then messages (in servers) and their content.
  const intents = autoAnswer.available
    ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]
    : [GatewayIntentBits.Guilds];
  const client = new Client({
    intents,
    rest: { api: config.discordApiUrl },
    // Every payload comes from the renderer already in the API's shape (snake_case embeds, components and
    // choices). discord.js's default transformer would rewrite every key of every embed and button through
    // lodash's snakeCase on each reply, for nothing (it showed up in a CPU profile of `/ask` under load).
    jsonTransformer: (value: unknown) => value,
    makeCache: boundedCaches,
  });
  const logger = client.shard ? options.logger.child({ shards: client.shard.ids }) : options.logger;
  const { checks, metrics } = options.observability ?? createObservability();
  const shardStates = (): ShardState[] =>
    [...client.ws.shards.values()].map((shard) => ({ id: shard.id, ready: shard.status === Status.Ready }));
  metrics.watchShards(shardStates);
  checks.set('gateway', () => gatewayHealth(shardStates(), client.ws.shards.size === 0));
  const ctx: CommandContext = {
    library: ownedWrites(observedAsks(library, metrics), shardOwnership(client), logger),
    config,
    logger,
    cooldowns: options.cooldowns ?? new Cooldowns(),
    buttonState: options.buttonState ?? new ButtonState(key ? { key } : {}),
    autoAnswer,
    voterSalt: await loadVoterSalt(config.dataDir, library),
  };
  const dispatch = createDispatcher(commands, ctx, metrics);
  const queue = onePerTurn((item: { interaction: Interaction; receivedAt: number }) =>
    dispatch(item.interaction, item.receivedAt),
  );
  client.on(
    Events.InteractionCreate,
    // The arrival time goes along, so the answer-time metric includes any wait in this queue.
    (interaction: Interaction) => queue({ interaction, receivedAt: performance.now() }),
  );
  if (autoAnswer.available) {
    const answer = createAutoAnswer(ctx, () => client.user?.id ?? '', options.autoAnswer);
    client.on(Events.MessageCreate, (message) => void answer(message));
  }
  const upkeep =
    library.insights === undefined
      ? undefined
      : startInsightsUpkeep(client, library.insights, () => library.purgeInsights(), logger);
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (_event, shardId) => logger.warn({ shardId }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway resumed'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(config.discordToken);
  } catch (error) {
    await client.destroy();
    await upkeep?.stop();
    // discord.js's message names the problem (e.g. "An invalid token was provided."); the token itself never appears.
    throw new VerbatimError(
      'BAD_CONFIG',
      `Could not log in to Discord at ${config.discordApiUrl}: ${(error as Error).message}`,
    );
  }
  const readyClient = await ready;
  logger.info(
    { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, commands: commands.size },
    'bot ready',
  );

  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    logger.info({ signal }, 'shutting down');
    void stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const handleSignals = options.handleSignals ?? true;
  // `on`, not `once`, and removed only once stopped: a second signal while writes finish (Ctrl-C reaches a
  // sharded bot's processes, then its manager's SIGTERM follows) must not kill the process mid-write.
  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  function stop(): Promise<void> {
    stopping ??= (async () => {
      try {
        await upkeep?.stop();
        await library.close();
      } finally {
        await client.destroy();
        if (handleSignals) {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }
    })();
    return stopping;
  }
  return { client: readyClient, autoAnswer, stop };
}
