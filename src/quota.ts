/**
 * Per-server quotas: how much one server may store (documents, bytes of text, paragraphs) and how often
 * it may add. One server's moderator must not be able to spend the memory every other server's answers
 * live in (30 files of 5 MB took the bot from 259 MB to 1.6 GB) nor the time of the next start.
 *
 * The rules are pure functions of a server's usage, so they hold whatever stores the documents: the
 * library computes the usage it has and asks `checkQuota` before every write that adds text, and
 * `AddRate` before every add. The CLI and Discord both go through the library, so both refuse alike.
 */
import { VerbatimError } from './core/index.ts';

export interface ServerQuotas {
  /** Documents one server may hold. */
  documents: number;
  /** Bytes (UTF-8) of stored text, all of one server's documents together. */
  bytes: number;
  /** Paragraphs, all of one server's documents together. */
  paragraphs: number;
  /** Documents one server may add in any hour. */
  addsPerHour: number;
}

/**
 * Ten times the shipped corpus is a large library for one server; 20 MB of text indexes into roughly
 * 170 MB of memory, so a bot in a few dozen busy servers still fits a small machine.
 */
export const DEFAULT_SERVER_QUOTAS: ServerQuotas = {
  documents: 200,
  bytes: 20 * 1024 * 1024,
  paragraphs: 20_000,
  addsPerHour: 30,
};

/** What a server stores now, or would store after a change. */
export interface ServerUsage {
  documents: number;
  bytes: number;
  paragraphs: number;
}

const HOUR_MS = 60 * 60 * 1000;

function megabytes(bytes: number): string {
  const tenths = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)} MB`;
}

function quotaError(sentence: string): VerbatimError {
  return new VerbatimError('QUOTA_EXCEEDED', sentence);
}

/**
 * Refuses, with one sentence that states the limit, a change that would leave the server's usage
 * `after` past a quota. `label` names what is being added ("The pasted text", `"report.pdf"`).
 */
export function checkQuota(quotas: ServerQuotas, after: ServerUsage, label: string): void {
  const advice = 'remove or shorten some of its documents first.';
  if (after.documents > quotas.documents)
    throw quotaError(
      `This server already has ${quotas.documents.toLocaleString('en')} ${quotas.documents === 1 ? 'document' : 'documents'}, its limit: remove one before adding another.`,
    );
  if (after.bytes > quotas.bytes)
    throw quotaError(
      `${label} would bring this server's documents to ${megabytes(after.bytes)} of text, past its limit of ${megabytes(quotas.bytes)}: ${advice}`,
    );
  if (after.paragraphs > quotas.paragraphs)
    throw quotaError(
      `${label} would bring this server's documents to ${after.paragraphs.toLocaleString('en')} paragraphs, past its limit of ${quotas.paragraphs.toLocaleString('en')}: ${advice}`,
    );
}

/** Adds per server in a sliding hour: `check` before an add, `record` once it is stored. */
export class AddRate {
  readonly #perHour: number;
  readonly #now: () => number;
  /** Per server, when each add of the last hour happened (oldest first). */
  readonly #adds = new Map<string, number[]>();

  constructor(perHour: number, now: () => number = Date.now) {
    this.#perHour = perHour;
    this.#now = now;
  }

  /** Refuses when `server` has already added its hourly number, saying when it may add again. */
  check(server: string): void {
    const recent = this.#recent(server);
    if (recent.length < this.#perHour) return;
    const oldest = recent[0] ?? this.#now();
    const minutes = Math.max(1, Math.ceil((oldest + HOUR_MS - this.#now()) / 60_000));
    throw quotaError(
      `This server has added ${this.#perHour} documents in the last hour, its limit: add again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }

  record(server: string): void {
    const recent = this.#recent(server);
    recent.push(this.#now());
    this.#adds.set(server, recent);
  }

  #recent(server: string): number[] {
    const since = this.#now() - HOUR_MS;
    const recent = (this.#adds.get(server) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#adds.delete(server);
    else this.#adds.set(server, recent);
    return recent;
  }
}
