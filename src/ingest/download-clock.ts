/**
 * The time limits and the size limit of one download, shared by attachment downloads and url fetches.
 *
 * Three clocks, because each catches a different way a server can hold the bot: `connectMs` until the
 * response headers arrive (a server that accepts the connection and never answers), `idleMs` between two
 * chunks of body (one that stops halfway), and `totalMs` for the whole download (one that trickles a byte
 * at a time, never idle for long). Whichever runs out first aborts the download's signal and is named in
 * the refusal, so the moderator reads why, not only that, it failed.
 */

export interface DownloadLimits {
  /** Until the response headers arrive, in milliseconds. */
  connectMs: number;
  /** Longest wait between two chunks of body, in milliseconds. */
  idleMs: number;
  /** The whole download, in milliseconds. */
  totalMs: number;
}

/** Discord's CDN answers in well under a second; these only stop a download that will never finish. */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { connectMs: 10_000, idleMs: 10_000, totalMs: 30_000 };

/** Milliseconds as seconds for a sentence: 400 → "0.4", 10 000 → "10". */
export function secondsText(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

export class DownloadClock {
  readonly #controller = new AbortController();
  readonly #limits: DownloadLimits;
  readonly #total: NodeJS.Timeout;
  #phase: NodeJS.Timeout | undefined;
  #why: string | undefined;

  constructor(limits: DownloadLimits) {
    this.#limits = limits;
    this.#total = setTimeout(
      () => this.#expire(`it took longer than ${secondsText(limits.totalMs)} seconds`),
      limits.totalMs,
    );
    this.#phase = setTimeout(
      () => this.#expire(`it did not start within ${secondsText(limits.connectMs)} seconds`),
      limits.connectMs,
    );
  }

  /** Aborts when any limit runs out: hand it to the request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the download was stopped, as the end of a sentence ("it stalled for 10 seconds"); undefined if it was not. */
  get expired(): string | undefined {
    return this.#why;
  }

  /** The headers arrived, or another chunk of body: the idle limit starts again. */
  progress(): void {
    if (this.#why !== undefined) return;
    clearTimeout(this.#phase);
    this.#phase = setTimeout(
      () => this.#expire(`it stalled for ${secondsText(this.#limits.idleMs)} seconds`),
      this.#limits.idleMs,
    );
  }

  /** The download is over, whichever way: no timer may outlive it. */
  stop(): void {
    clearTimeout(this.#total);
    clearTimeout(this.#phase);
  }

  #expire(why: string): void {
    if (this.#why !== undefined) return;
    this.#why = why;
    this.stop();
    this.#controller.abort(new Error(why));
  }
}

/**
 * Reads `body` whole, calling `tooMuch` (which throws) as soon as more than `maxBytes` have arrived, so a
 * body never holds more than the limit in memory whatever it declared; each chunk restarts the idle clock.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  clock: DownloadClock,
  tooMuch: () => never,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    clock.progress();
    total += chunk.byteLength;
    if (total > maxBytes) tooMuch();
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}
