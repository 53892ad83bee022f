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
      .regex(/^\d+$/, 'must be a whole number of days from 1 to 3650')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(3650, 'must be at most 3650'))
      .optional(),
  ),
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
  /** Days a server's stored questions and votes are kept (a server's own setting may differ). Default 90. */
  insightsRetentionDays: number;
}

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
    shardIds: value.SHARDS,
    fetchLoopbackForTests: false,
    healthPort: value.HEALTH_PORT,
    healthHost: value.HEALTH_HOST ?? '127.0.0.1',
    insightsRetentionDays: value.INSIGHTS_RETENTION_DAYS ?? 90,
  };
}

/** Reads `.env` when there is one, so a fresh clone runs without it. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
