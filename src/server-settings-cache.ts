/**
 * Servers' `/settings` as this process knows them: each server's stored choices read once (a failed read
 * is not kept, so the next question reads again), a change checked against its bounds, written and kept,
 * and the defaults applied whenever they are read. A server's settings are changed only by the process
 * serving it, in its queue of changes.
 */
import type { SettingsChange } from './library-api.ts';
import type { StoreDatabase } from './store/db/connect.ts';
import { VerbatimError } from './core/index.ts';
import type { Provenance } from './core/index.ts';
import {
  applyDefaults,
  NO_CHOICES,
  readServerSettings,
  SETTINGS_LIMITS,
  writeServerSettings,
} from './store/db/settings.ts';
import type { ServerSettings, SettingsDefaults, StoredSettings } from './store/db/settings.ts';

export class ServerSettingsCache {
  readonly #database: StoreDatabase | undefined;
  readonly defaults: SettingsDefaults;
  readonly #now: () => Date;
  /** Servers' stored choices read so far (one small object per server this process serves). */
  readonly #stored = new Map<string, Promise<StoredSettings>>();

  constructor(database: StoreDatabase | undefined, defaults: SettingsDefaults, now: () => Date) {
    this.#database = database;
    this.defaults = defaults;
    this.#now = now;
  }

  async read(guildId: string): Promise<ServerSettings> {
    return applyDefaults(await this.#storedOf(guildId), this.defaults);
  }

  /** Applies `change` (throws BAD_OPTION when a value is out of bounds, writing nothing). */
  async change(
    guildId: string,
    change: SettingsChange,
    actor: Omit<Provenance, 'at'>,
  ): Promise<ServerSettings> {
    const database = this.#database;
    if (database === undefined) throw new Error('ServerSettingsCache.change: no database');
    const next = withChange(await this.#storedOf(guildId), change);
    await writeServerSettings(database, guildId, next, actor, this.#now());
    this.#stored.set(guildId, Promise.resolve(next));
    return applyDefaults(next, this.defaults);
  }

  /** The server's settings were erased (it was left 30 days ago). */
  forget(guildId: string): void {
    this.#stored.delete(guildId);
  }

  #storedOf(guildId: string): Promise<StoredSettings> {
    const database = this.#database;
    if (database === undefined) return Promise.resolve(NO_CHOICES);
    let stored = this.#stored.get(guildId);
    if (stored === undefined) {
      stored = readServerSettings(database, guildId);
      this.#stored.set(guildId, stored);
      stored.catch(() => this.#stored.delete(guildId));
    }
    return stored;
  }
}

/** `stored` with `change` applied; throws BAD_OPTION when a value is out of bounds. */
function withChange(stored: StoredSettings, change: SettingsChange): StoredSettings {
  const next: StoredSettings = { ...stored };
  if (change.answers !== undefined) next.answers = change.answers;
  if (change.insights !== undefined) next.insights = change.insights;
  if (change.retentionDays !== undefined) {
    const { min, max } = SETTINGS_LIMITS.retentionDays;
    if (!Number.isInteger(change.retentionDays) || change.retentionDays < min || change.retentionDays > max)
      throw new VerbatimError('BAD_OPTION', `Retention is counted in whole days, from ${min} to ${max}.`);
    next.retentionDays = change.retentionDays;
  }
  if (change.publicChannel !== undefined)
    next.publicChannels = toggled(stored.publicChannels, change.publicChannel.id, change.publicChannel.allow);
  if (change.autoAnswerChannel !== undefined)
    next.autoAnswerChannels = toggled(
      stored.autoAnswerChannels,
      change.autoAnswerChannel.id,
      change.autoAnswerChannel.on,
    );
  return next;
}

function toggled(list: readonly string[], id: string, present: boolean): string[] {
  const without = list.filter((item) => item !== id);
  if (!present) return without;
  if (without.length >= SETTINGS_LIMITS.channels)
    throw new VerbatimError(
      'BAD_OPTION',
      `A server can list at most ${SETTINGS_LIMITS.channels} channels here; take one off first.`,
    );
  return [...without, id];
}
