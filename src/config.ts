/**
 * Configuration: the only code that knows environment variable names. Parsed once at start-up into a
 * typed object; every problem is reported as one line that says what to do.
 */
import { z } from 'zod';
import { VerbatimError } from './core/index.ts';
import { DEFAULT_DOWNLOAD_LIMITS } from './ingest/download-clock.ts';
import type { DownloadLimits } from './ingest/download-clock.ts';
import { DEFAULT_EXTRACTION_LIMITS } from './ingest/extract.ts';
import type { ExtractionLimits } from './ingest/extract.ts';
import type { LogLevel } from './log.ts';
import { DEFAULT_SERVER_QUOTAS } from './quota.ts';
import type { ServerQuotas } from './quota.ts';

export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** A positive number of seconds (decimals allowed), at most `max`. */
function seconds(max: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, `must be a number of seconds from 0.1 to ${max}`)
      .transform(Number)
      .pipe(z.number().min(0.1, 'must be at least 0.1').max(max, `must be at most ${max}`))
      .optional(),
  );
}

/** A whole number from `min` to `max`. */
function count(min: number, max: number) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional(),
  );
}

const SHARD_LIST_SYNTAX = 'must be shard ids and ranges separated by commas, such as 0-3 or 0,2,5';

/**
 * SHARD_LIST's ids in order, from items such as `0-3` and `5`; a reversed range or an id named twice is an
 * issue on `context`, since either would leave a shard unrun or make the operator's intent unclear.
 */
function parseShardList(value: string, context: z.RefinementCtx): number[] {
  const ids: number[] = [];
  for (const item of value.split(',')) {
    const [low, high = low] = item.split('-').map((part) => Number(part.trim())) as [number, number?];
    if (high < low) {
      context.addIssue({
        code: 'custom',
        message: `range ${low}-${high} is empty: write the lower id first, as in ${high}-${low}`,
      });
      return z.NEVER;
    }
    for (let id = low; id <= high; id += 1) {
      if (ids.includes(id)) {
        context.addIssue({ code: 'custom', message: `names shard ${id} twice: each shard is listed once` });
        return z.NEVER;
      }
      ids.push(id);
      // Bounded before SHARD_COUNT is known: no total is above 64, so a huge range stops at its first id past
      // 64 (kept, so the range check below names it), not in memory or in an endless loop on a huge number.
      if (id > 64) break;
    }
  }
  return ids.sort((a, b) => a - b);
}

const fields = z.object({
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
  DOWNLOAD_CONNECT_SECONDS: seconds(120),
  DOWNLOAD_IDLE_SECONDS: seconds(120),
  DOWNLOAD_TOTAL_SECONDS: seconds(600),
  EXTRACT_SECONDS: seconds(600),
  EXTRACT_MEMORY_MB: count(128, 8192),
  EXTRACT_MAX_PDF_PAGES: count(1, 100_000),
  EXTRACT_MAX_HTML_DEPTH: count(16, 10_000),
  EXTRACT_MAX_TEXT_CHARS: count(1000, 100_000_000),
  QUOTA_DOCUMENTS: count(1, 1_000_000),
  QUOTA_MEGABYTES: count(1, 100_000),
  QUOTA_PARAGRAPHS: count(1, 100_000_000),
  QUOTA_ADDS_PER_HOUR: count(1, 100_000),
  // The shards this machine runs out of SHARD_COUNT (several machines: disjoint lists, one total).
  SHARD_LIST: optionalText.pipe(
    z
      .string()
      .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, SHARD_LIST_SYNTAX)
      .transform(parseShardList)
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
  INDEX_MEMORY_MB: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of megabytes from 1 to 65536')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(65536, 'must be at most 65536'))
      .optional(),
  ),
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

const schema = fields.superRefine((value, context) => {
  // zod runs this even when a field failed its own check; then that field's line is the one to show.
  const count: unknown = value.SHARD_COUNT ?? 1;
  if (!Array.isArray(value.SHARD_LIST) || typeof count !== 'number') return;
  const outside = value.SHARD_LIST.find((id) => id >= count);
  if (outside !== undefined)
    context.addIssue({
      code: 'custom',
      path: ['SHARD_LIST'],
      message: `shard ${outside} is out of range: SHARD_COUNT is ${count}, so shard ids run from 0 to ${count - 1}`,
    });
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
  /** Time limits of an attachment download: until the headers, between chunks, in all. */
  downloadLimits: DownloadLimits;
  /** What reading one uploaded file may cost, handed to the library. */
  extraction: ExtractionLimits;
  /** What one server may store and how often it may add, handed to the library. */
  quotas: ServerQuotas;
  /**
   * The shard ids this machine's manager runs (SHARD_LIST), ascending; every id below shardCount when unset.
   * Several machines run disjoint lists of one shardCount.
   */
  shardList: number[];
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
  /**
   * `INDEX_MEMORY_MB`: the estimate of servers' indexes in memory (per process) past which the least
   * recently used idle ones are evicted; the shipped corpus is not counted. Default 256.
   */
  indexMemoryMb: number;
  /** Days recorded questions are kept in a server that did not choose (`/settings insights`). Default 90. */
  insightsRetentionDays: number;
  /**
   * Ask Discord for the Message Content intent (privileged), so `/settings auto-answer` can be turned on.
   * Off by default: the bot then needs no privileged intent at all.
   */
  autoAnswer: boolean;
}

/** The default of `INDEX_MEMORY_MB`. */
export const DEFAULT_INDEX_MEMORY_MB = 256;

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
    downloadLimits: {
      connectMs: millis(value.DOWNLOAD_CONNECT_SECONDS) ?? DEFAULT_DOWNLOAD_LIMITS.connectMs,
      idleMs: millis(value.DOWNLOAD_IDLE_SECONDS) ?? DEFAULT_DOWNLOAD_LIMITS.idleMs,
      totalMs: millis(value.DOWNLOAD_TOTAL_SECONDS) ?? DEFAULT_DOWNLOAD_LIMITS.totalMs,
    },
    extraction: {
      timeMs: millis(value.EXTRACT_SECONDS) ?? DEFAULT_EXTRACTION_LIMITS.timeMs,
      memoryMb: value.EXTRACT_MEMORY_MB ?? DEFAULT_EXTRACTION_LIMITS.memoryMb,
      maxPdfPages: value.EXTRACT_MAX_PDF_PAGES ?? DEFAULT_EXTRACTION_LIMITS.maxPdfPages,
      maxHtmlDepth: value.EXTRACT_MAX_HTML_DEPTH ?? DEFAULT_EXTRACTION_LIMITS.maxHtmlDepth,
      maxTextChars: value.EXTRACT_MAX_TEXT_CHARS ?? DEFAULT_EXTRACTION_LIMITS.maxTextChars,
    },
    quotas: {
      documents: value.QUOTA_DOCUMENTS ?? DEFAULT_SERVER_QUOTAS.documents,
      bytes:
        value.QUOTA_MEGABYTES === undefined
          ? DEFAULT_SERVER_QUOTAS.bytes
          : value.QUOTA_MEGABYTES * 1024 * 1024,
      paragraphs: value.QUOTA_PARAGRAPHS ?? DEFAULT_SERVER_QUOTAS.paragraphs,
      addsPerHour: value.QUOTA_ADDS_PER_HOUR ?? DEFAULT_SERVER_QUOTAS.addsPerHour,
    },
    shardList: value.SHARD_LIST ?? Array.from({ length: value.SHARD_COUNT ?? 1 }, (_, id) => id),
    semantic: (value.SEMANTIC ?? 'on') === 'on',
    semanticDeadlineMs: value.SEMANTIC_DEADLINE_MS ?? DEFAULT_SEMANTIC_DEADLINE_MS,
    shardIds: value.SHARDS,
    fetchLoopbackForTests: false,
    healthPort: value.HEALTH_PORT,
    healthHost: value.HEALTH_HOST ?? '127.0.0.1',
    indexMemoryMb: value.INDEX_MEMORY_MB ?? DEFAULT_INDEX_MEMORY_MB,
    insightsRetentionDays: value.INSIGHTS_RETENTION_DAYS ?? 90,
    autoAnswer: value.AUTO_ANSWER === 'on',
  };
}

function millis(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
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
