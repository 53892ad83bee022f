/**
 * Each server's settings (`/settings`) in the database, one row per server in `server_settings`. A server
 * that never changed a setting has no row and gets the defaults; a value left null follows the default,
 * so an operator's new default (INSIGHTS_RETENTION_DAYS) reaches every server that did not choose its own.
 */
import { z } from 'zod';
import type { StoreDatabase } from './connect.ts';
import type { Actor } from './documents.ts';

/** How `/ask` answers when the asker does not say. */
export type AnswerVisibility = 'public' | 'private';

/** A server's settings as the bot applies them (stored choices over the defaults). */
export interface ServerSettings {
  /** How `/ask` answers when the asker does not choose: `public` (the channel sees it) or `private`. */
  answers: AnswerVisibility;
  /** Channels where `/ask` may answer publicly; elsewhere every answer is private. Empty: every channel. */
  publicChannels: string[];
  /** Whether questions are recorded for `/insights`. */
  insights: boolean;
  /** Days a recorded question is kept. */
  retentionDays: number;
  /** Forum or text channels where the bot answers new posts (or messages that mention it) on its own. */
  autoAnswerChannels: string[];
}

/** What the defaults can set: the rest starts empty. */
export type SettingsDefaults = Pick<ServerSettings, 'answers' | 'insights' | 'retentionDays'>;

export const DEFAULT_SETTINGS: SettingsDefaults = { answers: 'public', insights: true, retentionDays: 90 };

/** Bounds: a row stays small whatever a moderator does. */
export const SETTINGS_LIMITS = { channels: 25, retentionDays: { min: 1, max: 365 } } as const;

/** What a server chose; `null`: follow the default. */
export interface StoredSettings {
  answers: AnswerVisibility | null;
  publicChannels: string[];
  insights: boolean | null;
  retentionDays: number | null;
  autoAnswerChannels: string[];
}

export const NO_CHOICES: StoredSettings = {
  answers: null,
  publicChannels: [],
  insights: null,
  retentionDays: null,
  autoAnswerChannels: [],
};

const channelList = z.array(z.string().regex(/^\d{1,20}$/)).max(SETTINGS_LIMITS.channels);

/** A channel list as stored (JSON); a damaged one reads as empty rather than stopping the server's answers. */
function channels(json: string): string[] {
  try {
    const parsed = channelList.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The settings the bot applies: the server's choices over `defaults`. */
export function applyDefaults(stored: StoredSettings, defaults: SettingsDefaults): ServerSettings {
  return {
    answers: stored.answers ?? defaults.answers,
    publicChannels: stored.publicChannels,
    insights: stored.insights ?? defaults.insights,
    retentionDays: stored.retentionDays ?? defaults.retentionDays,
    autoAnswerChannels: stored.autoAnswerChannels,
  };
}

/** What `guildId` chose, or NO_CHOICES when it never changed a setting. */
export async function readServerSettings(database: StoreDatabase, guildId: string): Promise<StoredSettings> {
  const row = await database.db
    .selectFrom('server_settings')
    .selectAll()
    .where('guild_id', '=', guildId)
    .executeTakeFirst();
  if (row === undefined) return NO_CHOICES;
  return {
    answers: row.answers === 'public' || row.answers === 'private' ? row.answers : null,
    publicChannels: channels(row.public_channels),
    insights: row.insights === null ? null : row.insights !== 0,
    retentionDays: row.retention_days,
    autoAnswerChannels: channels(row.auto_answer_channels),
  };
}

/** Every server that chose its own insights retention, with the days it chose (for the daily purge). */
export async function readRetentionChoices(
  database: StoreDatabase,
): Promise<{ guildId: string; days: number }[]> {
  const rows = await database.db
    .selectFrom('server_settings')
    .select(['guild_id', 'retention_days'])
    .where('retention_days', 'is not', null)
    .execute();
  return rows.flatMap((row) =>
    row.retention_days === null ? [] : [{ guildId: row.guild_id, days: row.retention_days }],
  );
}

/** Stores `guildId`'s choices whole (one row, replaced in one statement), with who changed them and when. */
export async function writeServerSettings(
  database: StoreDatabase,
  guildId: string,
  settings: StoredSettings,
  actor: Actor,
  at: Date,
): Promise<void> {
  const values = {
    answers: settings.answers,
    public_channels: JSON.stringify(channelList.parse(settings.publicChannels)),
    insights: settings.insights === null ? null : settings.insights ? 1 : 0,
    retention_days: settings.retentionDays,
    auto_answer_channels: JSON.stringify(channelList.parse(settings.autoAnswerChannels)),
    updated_at: at.toISOString(),
    updated_by: actor.userId,
  };
  await database.db
    .insertInto('server_settings')
    .values({ guild_id: guildId, ...values })
    .onConflict((conflict) => conflict.column('guild_id').doUpdateSet(values))
    .execute();
}

/** Forgets `guildId`'s settings (the server's data is erased): it gets the defaults again. */
export async function deleteServerSettings(database: StoreDatabase, guildId: string): Promise<void> {
  await database.db.deleteFrom('server_settings').where('guild_id', '=', guildId).execute();
}
