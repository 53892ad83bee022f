/**
 * A per-user cooldown on asking: at most `limit` asks in any `windowMs`. Kept in memory (a restart forgets
 * it, which only ever lets someone ask sooner) and pruned as it is used, so it cannot grow without bound.
 */
import { VerbatimError } from '../core/index.ts';

export interface CooldownOptions {
  /** Asks allowed per window. Default 5. */
  limit: number;
  /** Window length in milliseconds. Default 30 000. */
  windowMs: number;
  /** Clock, for tests. Default `Date.now`. */
  now: () => number;
}

export const defaultCooldownOptions: CooldownOptions = { limit: 5, windowMs: 30_000, now: Date.now };

export class Cooldowns {
  readonly options: CooldownOptions;
  private readonly asks = new Map<string, number[]>();

  constructor(options: Partial<CooldownOptions> = {}) {
    this.options = { ...defaultCooldownOptions, ...options };
  }

  /** Counts one ask by `userId`; throws VerbatimError RATE_LIMITED (saying how long to wait) when over. */
  take(userId: string): void {
    const now = this.options.now();
    const since = now - this.options.windowMs;
    const recent = (this.asks.get(userId) ?? []).filter((at) => at > since);
    if (recent.length >= this.options.limit) {
      const waitMs = (recent[0] as number) + this.options.windowMs - now;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new VerbatimError(
        'RATE_LIMITED',
        `You have asked ${this.options.limit} times in ${Math.round(this.options.windowMs / 1000)} seconds: wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`,
      );
    }
    recent.push(now);
    this.asks.set(userId, recent);
    if (this.asks.size > 10_000) this.prune(since);
  }

  private prune(since: number): void {
    for (const [user, times] of this.asks) if (times.every((at) => at <= since)) this.asks.delete(user);
  }
}
