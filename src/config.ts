/**
 * Configuration: the only code that knows environment variable names. Parsed once at start-up into a
 * typed object; every problem is reported as one line that says what to do.
 */
import { z } from 'zod';
import { VerbatimError } from './core/index.ts';
import type { LogLevel } from './log.ts';

export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const schema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_GUILD_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_API_URL: optionalText.pipe(
    z.url({ message: 'must be a URL such as https://discord.com/api' }).optional(),
  ),
  DATA_DIR: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'must be a PostgreSQL URL such as postgres://user:password@host:5432/verbatim',
      )
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  SEMANTIC: optionalText.pipe(z.enum(['on', 'off'], { message: 'must be "on" or "off"' }).optional()),
  SEMANTIC_DEADLINE_MS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of milliseconds from 10 to 2000')
      .transform(Number)
      .pipe(z.number().min(10, 'must be at least 10').max(2000, 'must be at most 2000 (Discord waits 3 s)'))
      .optional(),
  ),
  // Set by discord.js's ShardingManager for each shard process (JSON: one id or a list); never by hand.
  SHARDS: optionalText.pipe(
    z
      .string()
      .regex(
        /^(\d+|\[\s*\d+(\s*,\s*\d+)*\s*\])$/,
        'must be a shard id or a JSON list of them (set by the shard manager)',
      )
      .transform((value) => [JSON.parse(value) as number | number[]].flat())
      .optional(),
  ),
  SHARD_COUNT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number from 1 to 64')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(64, 'must be at most 64'))
      .optional(),
  ),
  HEALTH_PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number from 0 to 65535 (0: any free port)')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be at most 65535'))
      .optional(),
  ),
  HEALTH_HOST: optionalText,
  INSIGHTS_RETENTION_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of days from 1 to 365')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(365, 'must be at most 365'))
      .optional(),
  ),
  AUTO_ANSWER: optionalText.pipe(z.enum(['on', 'off'], { message: 'must be on or off' }).optional()),
});

export interface Config {
  /** Absent: the terminal mode runs instead of the bot. Never logged. */
  discordToken: string | undefined;
  discordClientId: string | undefined;
  discordGuildId: string | undefined;
  /** REST base handed to discord.js as `rest.api`; the gateway address is learnt from `GET /gateway/bot`. */
  discordApiUrl: string;
  dataDir: string;
  /** PostgreSQL holds servers' documents when set; otherwise SQLite, one file under dataDir. Never logged. */
  databaseUrl: string | undefined;
  logLevel: LogLevel;
  /** How many shards to run under discord.js's ShardingManager; 1 runs the bot in this process. */
  shardCount: number;
  /** `SEMANTIC`: rank with the sentence encoder as well as by words. Default on. */
  semantic: boolean;
  /** `SEMANTIC_DEADLINE_MS`: how long a question waits for its vector before it is answered lexically. */
  semanticDeadlineMs: number;
  /** In a shard process: the shard ids it runs (from the manager's SHARDS), known before the library opens. */
  shardIds: number[] | undefined;
  /**
   * TESTS ONLY: let `/document add url:` and `/document refresh` fetch from loopback addresses, where the
   * tests run their web server. Never read from the environment (always false from `loadConfig`), so no
   * deployment can turn the private-address check off; tests set it on the object they build.
   */
  fetchLoopbackForTests: boolean;
  /** Port of the `/healthz` and `/metrics` server; absent: no server. 0 picks a free port (logged). */
  healthPort: number | undefined;
  /** Address that server binds; default loopback, so metrics are not published by accident. */
  healthHost: string;
  /** Days recorded questions are kept in a server that did not choose (`/settings insights`). Default 90. */
  insightsRetentionDays: number;
  /**
   * Ask Discord for the Message Content intent (privileged), so `/settings auto-answer` can be turned on.
   * Off by default: the bot then needs no privileged intent at all.
   */
  autoAnswer: boolean;
}

/** The default of `SEMANTIC_DEADLINE_MS`: ten times a question's encoding on a busy 2-core machine. */
export const DEFAULT_SEMANTIC_DEADLINE_MS = 250;

/** Parses the environment; throws a VerbatimError BAD_CONFIG listing one line per problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new VerbatimError('BAD_CONFIG', `Configuration problem:\n${lines.join('\n')}\nSee .env.example.`);
  }
  const value = parsed.data;
  return {
    discordToken: value.DISCORD_TOKEN,
    discordClientId: value.DISCORD_CLIENT_ID,
    discordGuildId: value.DISCORD_GUILD_ID,
    discordApiUrl: (value.DISCORD_API_URL ?? DEFAULT_DISCORD_API_URL).replace(/\/+$/, ''),
    dataDir: value.DATA_DIR ?? './data',
    databaseUrl: value.DATABASE_URL,
    logLevel: value.LOG_LEVEL ?? 'info',
    shardCount: value.SHARD_COUNT ?? 1,
    semantic: (value.SEMANTIC ?? 'on') === 'on',
    semanticDeadlineMs: value.SEMANTIC_DEADLINE_MS ?? DEFAULT_SEMANTIC_DEADLINE_MS,
    shardIds: value.SHARDS,
    fetchLoopbackForTests: false,
    healthPort: value.HEALTH_PORT,
    healthHost: value.HEALTH_HOST ?? '127.0.0.1',
    insightsRetentionDays: value.INSIGHTS_RETENTION_DAYS ?? 90,
    autoAnswer: value.AUTO_ANSWER === 'on',
  };
}

/** The semantic stage's settings, as the library takes them. */
export function semanticOptionsOf(
  config: Config,
  enabled: boolean = config.semantic,
): { enabled: boolean; deadlineMs: number } {
  return { enabled, deadlineMs: config.semanticDeadlineMs };
}

/** Reads `.env` when there is one, so a fresh clone runs without it. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
