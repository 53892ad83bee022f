/**
 * The sentence encoder, run in a `worker_threads` worker: loading the model and encoding take tens to
 * hundreds of milliseconds of CPU that would otherwise stop the bot and the terminal answering anyone.
 *
 * One request is in the worker at a time, so a question (`urgent`) waits at most for one small background
 * batch, never behind a queue of them. A request that is still queued at its deadline is dropped unsent. A
 * worker that fails to load, dies, or keeps a request past `hangMs` is ended for good: every request then
 * fails at once and callers answer lexically.
 *
 * The worker runs the TypeScript source through tsx, started the same way as the extraction worker
 * (src/store/extract-off-thread.ts), so it loads under `tsx` and under plain `node` alike.
 */
import { Worker } from 'node:worker_threads';
import { beginMemoryWork } from '../memory-work.ts';

export type EncoderState = 'loading' | 'ready' | 'failed';

export interface EncodeOptions {
  /** Questions: sent before any background batch. */
  urgent?: boolean;
  /** `performance.now()` after which the request is dropped if it has not been sent yet. */
  deadline?: number;
}

/** What the semantic index needs from an encoder; tests pass a deterministic fake. */
export interface Encoder {
  readonly state: EncoderState;
  /** Resolves true once the model is loaded, false when it never will be. */
  readonly ready: Promise<boolean>;
  /** Why the encoder failed, when `state` is `failed`. */
  readonly failure: string | undefined;
  /** Unit vectors of `texts`, in order. Rejects when the encoder failed or the deadline passed unsent. */
  encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Main thread → worker. */
export interface EncoderRequest {
  id: number;
  texts: readonly string[];
}

/** Worker → main thread. */
export type EncoderReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'vectors'; id: number; dimensions: number; vectors: Float32Array }
  | { type: 'error'; id: number; message: string };

export interface WorkerEncoderOptions {
  /** The worker module; default `./encoder-worker.ts` (tests pass workers that hang or die). */
  workerUrl?: URL;
  /** Longest a loaded model may take for one request before the worker is deemed hung. Default 60 s. */
  hangMs?: number;
  /** Longest the model may take to load. Default 120 s. */
  loadMs?: number;
  /** Told once when the encoder fails for good, with why. */
  onFailure?: (reason: string) => void;
}

const DEFAULT_WORKER_URL = new URL('./encoder-worker.ts', import.meta.url);
/** tsx's API, found from this module rather than from the working directory the worker starts in. */
const TSX_API = resolvedOr('tsx/esm/api');

function resolvedOr(specifier: string): string {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}

function bootstrap(workerUrl: URL): string {
  return `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); })`;
}

interface Pending {
  id: number;
  texts: readonly string[];
  urgent: boolean;
  deadline: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

export class EncoderUnavailable extends Error {}

/** Starts the worker at once; the model loads in it while the caller goes on. */
export function startWorkerEncoder(options: WorkerEncoderOptions = {}): Encoder {
  return new WorkerEncoder(options);
}

class WorkerEncoder implements Encoder {
  state: EncoderState = 'loading';
  failure: string | undefined;
  readonly ready: Promise<boolean>;
  readonly #worker: Worker;
  readonly #queue: Pending[] = [];
  readonly #hangMs: number;
  readonly #onFailure: ((reason: string) => void) | undefined;
  #inWorker: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;
  // The worker is busy (loading the model or encoding) exactly while its watchdog is armed: that is also
  // when it may grow the process's memory, which the upload guard must not blame on a file.
  #endMemoryWork: (() => void) | undefined;
  #nextId = 1;
  #settleReady: (ok: boolean) => void = () => undefined;

  constructor(options: WorkerEncoderOptions) {
    this.#hangMs = options.hangMs ?? 60_000;
    this.#onFailure = options.onFailure;
    this.ready = new Promise((resolve) => (this.#settleReady = resolve));
    this.#worker = new Worker(bootstrap(options.workerUrl ?? DEFAULT_WORKER_URL), { eval: true });
    // The worker must never keep the process alive: a bot or a terminal that is done exits.
    this.#worker.unref();
    this.#arm(options.loadMs ?? 120_000, 'the model did not load in time');
    this.#worker.on('message', (reply: EncoderReply) => this.#receive(reply));
    this.#worker.on('error', (error) => this.#fail(`the encoder worker failed: ${error.message}`));
    this.#worker.on('exit', (code) => this.#fail(`the encoder worker exited (code ${code})`));
  }

  encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    if (this.state === 'failed') return Promise.reject(new EncoderUnavailable(this.failure));
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        id: this.#nextId++,
        texts,
        urgent: options.urgent ?? false,
        deadline: options.deadline ?? Number.POSITIVE_INFINITY,
        resolve,
        reject,
      };
      // Urgent requests go after other urgent ones, before every background one.
      const at = pending.urgent ? this.#queue.findIndex((queued) => !queued.urgent) : -1;
      if (at === -1) this.#queue.push(pending);
      else this.#queue.splice(at, 0, pending);
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#fail('the encoder was closed', false);
    await this.#worker.terminate();
  }

  #pump(): void {
    if (this.state !== 'ready' || this.#inWorker !== undefined) return;
    let next = this.#queue.shift();
    while (next !== undefined && next.deadline < performance.now()) {
      next.reject(new EncoderUnavailable('the deadline passed before the request was sent'));
      next = this.#queue.shift();
    }
    if (next === undefined) return;
    this.#inWorker = next;
    // Kept alive only while it has work: an idle worker must not hold a finished process open.
    this.#worker.ref();
    this.#arm(this.#hangMs, 'the encoder worker stopped answering');
    const request: EncoderRequest = { id: next.id, texts: next.texts };
    this.#worker.postMessage(request);
  }

  #receive(reply: EncoderReply): void {
    if (this.state === 'failed') return;
    if (reply.type === 'ready') {
      this.state = 'ready';
      this.#disarm();
      this.#settleReady(true);
      this.#pump();
      return;
    }
    if (reply.type === 'failed') {
      this.#fail(`the model could not load: ${reply.message}`);
      return;
    }
    const pending = this.#inWorker;
    if (pending === undefined || pending.id !== reply.id) return;
    this.#inWorker = undefined;
    this.#disarm();
    this.#worker.unref();
    if (reply.type === 'error') pending.reject(new Error(reply.message));
    else {
      const rows: Float32Array[] = [];
      for (let i = 0; i < pending.texts.length; i++)
        rows.push(reply.vectors.subarray(i * reply.dimensions, (i + 1) * reply.dimensions));
      pending.resolve(rows);
    }
    this.#pump();
  }

  #arm(ms: number, reason: string): void {
    this.#disarm();
    this.#endMemoryWork = beginMemoryWork();
    this.#timer = setTimeout(() => {
      this.#fail(reason);
      void this.#worker.terminate();
    }, ms);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#endMemoryWork?.();
    this.#endMemoryWork = undefined;
  }

  #fail(reason: string, report = true): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.failure = reason;
    this.#disarm();
    this.#settleReady(false);
    const error = new EncoderUnavailable(reason);
    for (const pending of [...(this.#inWorker === undefined ? [] : [this.#inWorker]), ...this.#queue])
      pending.reject(error);
    this.#inWorker = undefined;
    this.#queue.length = 0;
    if (report) this.#onFailure?.(reason);
  }
}
