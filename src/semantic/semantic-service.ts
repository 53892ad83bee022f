/**
 * The semantic stage as the library uses it: starts the encoder worker and reads the stored vectors in
 * the background (neither delays the bot's log-in nor the terminal's prompt), keeps the semantic index in
 * step with the documents the library indexes, and hands `ask` the semantic input when it is there in
 * time. Whatever goes wrong here, questions are still answered, lexically.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Paragraph, Scope, SemanticInput, SourceDocument } from '../core/index.ts';
import type { Logger } from '../log.ts';
import { startWorkerEncoder, type Encoder } from './encoder.ts';
import { DIMENSIONS, vectorFileName } from './model.ts';
import { openSemanticIndex, type SemanticIndex } from './semantic-index.ts';

export interface SemanticOptions {
  /** `SEMANTIC=off`: no worker, no vectors, lexical ranking only. */
  enabled: boolean;
  /** `SEMANTIC_DEADLINE_MS`: how long a question waits for its vector before it is answered lexically. */
  deadlineMs: number;
  /**
   * Starts the encoder, which calls `onFailure` once if it fails for good. Default: the Universal
   * Sentence Encoder in a worker thread; tests pass a fake or a worker that dies.
   */
  createEncoder?: (onFailure: (reason: string) => void) => Encoder;
}

/** What `/source` says about the semantic index. */
export interface SemanticStatus {
  /** `off` by configuration; `loading` the model; `ready`; `failed` to load or died (lexical only). */
  state: 'off' | 'loading' | 'ready' | 'failed';
  /** Answerable parts in the scopes asked about, and how many have their vectors. */
  parts: number;
  ready: number;
}

/** One sentence for `/source` (Discord and terminal): how far semantic ranking reaches here. */
export function describeSemanticStatus(status: SemanticStatus): string {
  switch (status.state) {
    case 'off':
      return 'Semantic ranking is off (SEMANTIC=off): answers match words only.';
    case 'loading':
      return 'Semantic ranking is starting (loading its model): answers match words only until it is ready.';
    case 'failed':
      return 'Semantic ranking is unavailable (its model could not run): answers match words only.';
    case 'ready': {
      const share = status.parts === 0 ? 100 : Math.floor((100 * status.ready) / status.parts);
      const rest =
        status.ready < status.parts ? '; the rest match words only until their vectors are ready' : '';
      return `Semantically indexed: ${status.ready.toLocaleString('en')} of ${status.parts.toLocaleString('en')} passages (${share}%)${rest}.`;
    }
  }
}

/** The vector file the shipped corpus ships (`corpus/vectors/`), read-only. */
export function corpusVectorFile(corpusDir: string): string {
  return join(corpusDir, 'vectors', vectorFileName());
}

/** The vector file under the data directory, where vectors of servers' documents are added. */
export function dataVectorFile(dataDir: string): string {
  return join(dataDir, 'vectors', vectorFileName());
}

export interface SemanticServiceOptions extends SemanticOptions {
  logger: Logger;
  /** Read-only vector files (the shipped corpus's). */
  readOnlyFiles: readonly string[];
  /** Where new vectors are stored; absent: kept in memory for this run only. */
  vectorFile?: string;
}

export class SemanticService {
  readonly #encoder: Encoder | undefined;
  #index: SemanticIndex | undefined;
  readonly #opening: Promise<void> | undefined;
  /** Documents indexed before the semantic index opened: tracked when it does (latest version each). */
  readonly #early = new Map<string, { document: SourceDocument; paragraphs: readonly Paragraph[] } | null>();

  constructor(options: SemanticServiceOptions) {
    const { logger } = options;
    if (!options.enabled) {
      logger.info('Semantic ranking is off (SEMANTIC=off): answering lexically');
      return;
    }
    const started = performance.now();
    const onFailure = (reason: string): void =>
      logger.warn({ reason }, `Semantic ranking is off: ${reason}; answering lexically`);
    this.#encoder = (options.createEncoder ?? ((report) => startWorkerEncoder({ onFailure: report })))(
      onFailure,
    );
    void this.#encoder.ready.then((ok) => {
      if (ok) logger.info({ ms: Math.round(performance.now() - started) }, 'Sentence encoder ready');
    });
    this.#opening = openSemanticIndex({
      encoder: this.#encoder,
      dimensions: DIMENSIONS,
      logger,
      deadlineMs: options.deadlineMs,
      readOnlyFiles: options.readOnlyFiles,
      ...(options.vectorFile === undefined ? {} : { vectorFile: options.vectorFile }),
    }).then(
      (index) => {
        this.#index = index;
        for (const [, early] of this.#early)
          if (early !== null) index.track(early.document, early.paragraphs);
        this.#early.clear();
      },
      (error: unknown) => logger.warn({ err: error }, 'Semantic ranking is off: its index could not open'),
    );
  }

  /** Resolves when the model is loaded or failed, and the stored vectors are read. */
  async ready(): Promise<void> {
    await this.#opening;
    await this.#encoder?.ready;
  }

  /** Resolves when the stored vectors are read and documents indexed so far are tracked (tests, tools). */
  async opened(): Promise<void> {
    await this.#opening;
  }

  /** Resolves when every tracked part has its vectors or the encoder failed (tests, tools). */
  async idle(): Promise<void> {
    await this.#opening;
    await this.#index?.idle();
  }

  /** Sentences this process had to encode (the rest came from stored vectors). */
  get encodedSentences(): number {
    return this.#index?.encodedSentences ?? 0;
  }

  track(document: SourceDocument, paragraphs: readonly Paragraph[]): void {
    if (this.#encoder === undefined) return;
    if (this.#index === undefined)
      this.#early.set(keyOf(document.meta.scope, document.meta.id), { document, paragraphs });
    else this.#index.track(document, paragraphs);
  }

  forget(scope: Scope, documentId: string): void {
    if (this.#index === undefined) this.#early.set(keyOf(scope, documentId), null);
    else this.#index.forget(scope, documentId);
  }

  /** The semantic input for a question, or undefined (off, loading, failed, or late): answer lexically. */
  async input(question: string): Promise<SemanticInput | undefined> {
    if (this.#index === undefined || this.#encoder?.state !== 'ready') return undefined;
    return this.#index.input(question);
  }

  status(scopes: readonly Scope[]): SemanticStatus {
    const state = this.#encoder === undefined ? 'off' : this.#encoder.state;
    const progress = this.#index?.progress(scopes) ?? { parts: 0, ready: 0 };
    return { state, ...progress };
  }

  async close(): Promise<void> {
    await this.#opening;
    await this.#index?.close();
    await this.#encoder?.close();
  }
}

function keyOf(scope: Scope, id: string): string {
  return `${scope}\u0000${id}`;
}
