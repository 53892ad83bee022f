/**
 * What a button needs to know when it is clicked. Small state travels in the custom_id itself
 * (`command:action:<sig>=<json>`), so it survives restarts; larger state (a 300-character question) stays
 * in a cache bounded in size and in age — 15 minutes, the life of an interaction token — and the custom_id
 * carries only its key (`command:action:<sig>#<key>`). A key that is gone gives a clear private message.
 *
 * Every custom_id is signed: `<sig>` is HMAC-SHA256 over the rest of the custom_id under a key only the bot
 * knows (see button-key.ts), truncated to 16 base64url characters (96 bits, to leave room in Discord's 100).
 * Anyone can send an interaction with any custom_id; without the signature a member could write the state
 * of a "More results" button by hand (any question, any offset) or pose as another asker.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { userError } from '../core/index.ts';

export type ButtonData = Record<string, string | number | boolean>;

export interface ButtonClick {
  command: string;
  action: string;
  data: ButtonData;
}

export interface ButtonStateOptions {
  /** Most states kept; the oldest go first. Default 5 000. */
  maxEntries: number;
  /** How long a state is kept, in milliseconds. Default 15 minutes. */
  maxAgeMs: number;
  /** Clock, for tests. Default `Date.now`. */
  now: () => number;
  /** The signing key. Default: a fresh random one, good until the process ends (terminal mode, tests). */
  key: Buffer;
}

export const defaultButtonStateOptions: Omit<ButtonStateOptions, 'key'> = {
  maxEntries: 5000,
  maxAgeMs: 15 * 60_000,
  now: Date.now,
};

/** Base64url characters of the truncated HMAC. */
const SIGNATURE_LENGTH = 16;

const CUSTOM_ID_MAX = 100;
/** Random bytes per cache key (12 base64url characters): unguessable, so no one can read another's private question. */
const KEY_BYTES = 9;
/**
 * Keys drawn per call to the system's random source: a `randomBytes` call per key was about 1% of the bot's CPU
 * in a profile of `npm run bench -- --only discord`.
 */
const KEYS_PER_DRAW = 256;

let randomPool = Buffer.alloc(0);
let randomPoolAt = 0;

/** A fresh random cache key. */
function randomKey(): string {
  if (randomPoolAt + KEY_BYTES > randomPool.length) {
    randomPool = randomBytes(KEY_BYTES * KEYS_PER_DRAW);
    randomPoolAt = 0;
  }
  const key = randomPool.toString('base64url', randomPoolAt, randomPoolAt + KEY_BYTES);
  randomPoolAt += KEY_BYTES;
  return key;
}

interface Entry {
  data: ButtonData;
  guildId: string | null;
  at: number;
}

/** The command a custom_id belongs to (what the dispatcher routes on), or undefined. */
export function buttonCommand(customId: string): string | undefined {
  const colon = customId.indexOf(':');
  return colon > 0 ? customId.slice(0, colon) : undefined;
}

export class ButtonState {
  readonly options: ButtonStateOptions;
  private readonly entries = new Map<string, Entry>();
  /** The key each shared state was cached under; weak, so a message's state goes when nothing holds it. */
  private readonly sharedKeys = new WeakMap<ButtonData, string>();

  constructor(options: Partial<ButtonStateOptions> = {}) {
    this.options = { ...defaultButtonStateOptions, key: randomBytes(32), ...options };
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.options.key)
      .update(unsigned)
      .digest('base64url')
      .slice(0, SIGNATURE_LENGTH);
  }

  /** `command:action:<sig><payload>`. */
  private signed(command: string, action: string, payload: string): string {
    return `${command}:${action}:${this.sign(`${command}:${action}:${payload}`)}${payload}`;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A custom_id for `command:action` carrying `data` (and `shared`, when given); cached (for `guildId` only)
   * when it does not fit. `shared` is state common to several buttons of one message (an answer's question,
   * on its "More results" and every "Context"): when it is too long to travel inline it is cached once, under
   * one key, and each button carries that key plus its own `data` (`#<key>=<json>`, signed like the rest).
   * Pass the same object for every button of the message. `data` wins over `shared` for a key in both.
   */
  customId(
    command: string,
    action: string,
    data: ButtonData,
    guildId: string | null,
    shared?: ButtonData,
  ): string {
    if (command.includes(':') || action.includes(':'))
      throw new Error(`button command/action may not contain ':' (${command}:${action})`);
    const whole = shared ? { ...shared, ...data } : data;
    const inline = this.signed(command, action, `=${JSON.stringify(whole)}`);
    if (inline.length <= CUSTOM_ID_MAX) return inline;
    if (shared) {
      const withKey = this.signed(
        command,
        action,
        `#${this.sharedKey(shared, guildId)}=${JSON.stringify(data)}`,
      );
      if (withKey.length <= CUSTOM_ID_MAX) return withKey;
    }
    return this.signed(command, action, `#${this.store(whole, guildId)}`);
  }

  /** The cache key of `shared`: the one it was stored under while that entry lives, else a new one. */
  private sharedKey(shared: ButtonData, guildId: string | null): string {
    const known = this.sharedKeys.get(shared);
    if (known !== undefined && this.entries.has(known)) return known;
    const key = this.store(shared, guildId);
    this.sharedKeys.set(shared, key);
    return key;
  }

  private store(data: ButtonData, guildId: string | null): string {
    const key = randomKey();
    this.prune();
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { data, guildId, at: this.options.now() });
    return key;
  }

  /**
   * The click's command, action and data; throws VerbatimError BUTTON_FORGED when the signature does not
   * match and BUTTON_EXPIRED when the state is gone.
   */
  read(customId: string, guildId: string | null): ButtonClick {
    const [command, action, ...rest] = customId.split(':');
    const signedPayload = rest.join(':');
    if (!command || !action) throw userError('BUTTON_FORGED');
    const given = Buffer.from(signedPayload.slice(0, SIGNATURE_LENGTH));
    const payload = signedPayload.slice(SIGNATURE_LENGTH);
    const expected = Buffer.from(this.sign(`${command}:${action}:${payload}`));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw userError('BUTTON_FORGED');
    if (payload.startsWith('=')) return { command, action, data: inlineData(payload.slice(1)) };
    if (payload.startsWith('#')) {
      // `#<key>` or `#<key>=<json>` (a key is base64url, so it holds no '=').
      const equals = payload.indexOf('=');
      const key = equals < 0 ? payload.slice(1) : payload.slice(1, equals);
      const entry = this.entries.get(key);
      // Another server's key is as good as expired: state never crosses servers.
      if (!entry || entry.guildId !== guildId || this.options.now() - entry.at > this.options.maxAgeMs) {
        throw userError('BUTTON_EXPIRED');
      }
      const own = equals < 0 ? {} : inlineData(payload.slice(equals + 1));
      return { command, action, data: { ...entry.data, ...own } };
    }
    throw userError('BUTTON_FORGED');
  }

  private prune(): void {
    const oldest = this.options.now() - this.options.maxAgeMs;
    // Map keeps insertion order, so the expired entries are at the front.
    for (const [key, entry] of this.entries) {
      if (entry.at >= oldest) break;
      this.entries.delete(key);
    }
  }
}

/** The JSON object a signed custom_id carries. */
function inlineData(json: string): ButtonData {
  try {
    const data: unknown = JSON.parse(json);
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) return data as ButtonData;
  } catch {
    // A custom_id that does not parse came from an older version of the bot: treat it as expired.
  }
  throw userError('BUTTON_EXPIRED');
}
