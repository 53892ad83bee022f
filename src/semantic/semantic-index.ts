/**
 * The semantic index: sentence vectors of every indexed part, ready for the core's semantic stage, and
 * the question's vector within a deadline.
 *
 * Vectors are computed once. A part's sentences are looked up by text hash among the vectors already
 * stored (the shipped corpus's own file, then `DATA_DIR`'s); the ones missing are encoded in the
 * background in small batches and appended to the vector file. A new document is answerable lexically at
 * once and semantically when its vectors are ready; `progress` says how far that is.
 *
 * A question's vector is asked for urgently; if it is not back within the deadline (or the encoder is
 * still loading, or failed) the question is answered lexically: late is worse than lexical.
 */
import { performance } from 'node:perf_hooks';
import {
  partKey,
  quantiseVector,
  type PartVectors,
  type Paragraph,
  type Scope,
  type SemanticInput,
  type SourceDocument,
} from '../core/index.ts';
import type { Logger } from '../log.ts';
import type { Encoder } from './encoder.ts';
import { partTextsOf, sentenceKey } from './sentences.ts';
import { readVectorFile, VectorFileWriter } from './vector-file.ts';
import { VectorStore, type StoredVector } from './vector-store.ts';

export interface SemanticIndexOptions {
  encoder: Encoder;
  dimensions: number;
  logger: Logger;
  /** Vector files read at start and never written (the shipped corpus's). */
  readOnlyFiles?: readonly string[];
  /** Where new vectors are appended and read from at start; absent: kept in memory only. */
  vectorFile?: string;
  /** How long a question may wait for its vector, in milliseconds. */
  deadlineMs: number;
  /** Sentences per background request: small, so a question never waits long behind one. Default 8. */
  batchSize?: number;
}

/** How much of some scopes is semantically indexed, in answerable parts. */
export interface SemanticProgress {
  parts: number;
  ready: number;
}

const QUESTION_CACHE_SIZE = 256;

/** Reads the stored vectors, then returns the index (empty until documents are tracked). */
export async function openSemanticIndex(options: SemanticIndexOptions): Promise<SemanticIndex> {
  const stored = new VectorStore(options.dimensions);
  for (const path of [
    ...(options.readOnlyFiles ?? []),
    ...(options.vectorFile === undefined ? [] : [options.vectorFile]),
  ]) {
    try {
      const { slab, tornBytes } = await readVectorFile(path, options.dimensions);
      stored.add(slab);
      const records = slab.scales.length;
      if (records > 0 || tornBytes > 0)
        options.logger.debug({ file: path, records, tornBytes }, 'Sentence vectors read');
    } catch (error) {
      options.logger.warn(
        { file: path, err: error },
        'Could not read stored sentence vectors; they will be computed again',
      );
    }
  }
  return new SemanticIndex(options, stored);
}

export class SemanticIndex {
  /**
   * Vectors of every part whose texts are all encoded (its sentences, then the part whole), by `partKey`;
   * a part whose sentences are stored but not its whole has its sentences' meanwhile.
   */
  readonly parts = new Map<string, PartVectors>();
  readonly #options: SemanticIndexOptions;
  readonly #stored: VectorStore;
  readonly #writer: VectorFileWriter | undefined;
  /** Part keys per scope and document, for progress and `forget`. */
  readonly #documents = new Map<Scope, Map<string, string[]>>();
  /** Parts still waiting for some sentence vectors: the sentence keys they need. */
  readonly #waiting = new Map<string, string[]>();
  /** Sentences to encode, by key. */
  readonly #queue = new Map<string, string>();
  readonly #questions = new Map<string, Float32Array>();
  #running: Promise<void> | undefined;
  #writes = new Set<Promise<void>>();
  #encoded = 0;

  constructor(options: SemanticIndexOptions, stored: VectorStore) {
    this.#options = options;
    this.#stored = stored;
    this.#writer =
      options.vectorFile === undefined
        ? undefined
        : new VectorFileWriter(options.vectorFile, options.dimensions);
  }

  get encoder(): Encoder {
    return this.#options.encoder;
  }

  /** Sentences encoded by this process (the rest came from stored vectors). */
  get encodedSentences(): number {
    return this.#encoded;
  }

  /** Takes a document's parts into the index; what is not stored yet is encoded in the background. */
  track(document: SourceDocument, paragraphs: readonly Paragraph[]): void {
    const { scope, id } = document.meta;
    this.forget(scope, id);
    const keys: string[] = [];
    for (const paragraph of paragraphs) {
      const key = partKey(scope, id, paragraph.number, paragraph.part);
      keys.push(key);
      const { texts, sentences } = partTextsOf(document.text.slice(paragraph.start, paragraph.end));
      const sentenceKeys = texts.map(sentenceKey);
      texts.forEach((sentence, i) => {
        const sentenceId = sentenceKeys[i] as string;
        if (!this.#stored.has(sentenceId)) this.#queue.set(sentenceId, sentence);
      });
      if (sentenceKeys.every((sentenceId) => this.#stored.has(sentenceId))) {
        this.#complete(key, sentenceKeys);
        continue;
      }
      this.#waiting.set(key, sentenceKeys);
      // Vectors stored before parts were also encoded whole: the sentences rank the part meanwhile.
      const ofSentences = this.#stored.part(sentenceKeys.slice(0, sentences));
      if (ofSentences !== undefined) this.parts.set(key, ofSentences);
    }
    let ofScope = this.#documents.get(scope);
    if (ofScope === undefined) this.#documents.set(scope, (ofScope = new Map()));
    ofScope.set(id, keys);
    this.#start();
  }

  /** Drops a document's parts (removed, or about to be tracked again with new text). */
  forget(scope: Scope, documentId: string): void {
    const keys = this.#documents.get(scope)?.get(documentId);
    if (keys === undefined) return;
    for (const key of keys) {
      this.parts.delete(key);
      this.#waiting.delete(key);
    }
    this.#documents.get(scope)?.delete(documentId);
  }

  /** Parts of `scopes` and how many of them have their vectors. */
  progress(scopes: readonly Scope[]): SemanticProgress {
    let parts = 0;
    let ready = 0;
    for (const scope of new Set(scopes)) {
      for (const keys of this.#documents.get(scope)?.values() ?? []) {
        parts += keys.length;
        for (const key of keys) if (this.parts.has(key)) ready += 1;
      }
    }
    return { parts, ready };
  }

  /**
   * The semantic stage's input for `question`, or undefined when its vector is not there within the
   * deadline (the question is then answered lexically).
   */
  async input(question: string): Promise<SemanticInput | undefined> {
    const vector = await this.questionVector(question);
    return vector === undefined ? undefined : { question: vector, parts: this.parts };
  }

  /** The question's unit vector, or undefined when it would be late (or the encoder is not ready). */
  async questionVector(question: string): Promise<Float32Array | undefined> {
    const cached = this.#questions.get(question);
    if (cached !== undefined) return cached;
    const { encoder, deadlineMs } = this.#options;
    if (encoder.state !== 'ready') return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deadlineMs);
    });
    const encoded = encoder
      .encode([question], { urgent: true, deadline: performance.now() + deadlineMs })
      .then(([vector]) => vector)
      .catch(() => undefined);
    try {
      const vector = await Promise.race([encoded, late]);
      if (vector !== undefined) {
        if (this.#questions.size >= QUESTION_CACHE_SIZE) {
          const oldest = this.#questions.keys().next().value;
          if (oldest !== undefined) this.#questions.delete(oldest);
        }
        this.#questions.set(question, vector);
      }
      return vector;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Vectors of `texts` without a deadline, from the stored ones when there, else encoded (urgent) and
   * stored: for tools that need many at once (the evaluation's questions). Rejects when the encoder fails.
   */
  async vectorsOf(texts: readonly string[], batchSize = 32): Promise<Float32Array[]> {
    const keys = texts.map(sentenceKey);
    const missing = [...new Map(texts.map((text, i) => [keys[i] as string, text])).entries()].filter(
      ([key]) => !this.#stored.has(key),
    );
    for (let at = 0; at < missing.length; at += batchSize) {
      const batch = missing.slice(at, at + batchSize);
      const vectors = await this.#options.encoder.encode(
        batch.map(([, text]) => text),
        { urgent: true },
      );
      const fresh: Array<[string, StoredVector]> = batch.map(([key], i) => [
        key,
        quantiseVector(vectors[i] as Float32Array),
      ]);
      this.#stored.append(fresh);
      this.#encoded += fresh.length;
      this.#persist(fresh);
    }
    return keys.map((key) => {
      const { values, scale } = this.#stored.get(key) as StoredVector;
      return Float32Array.from(values, (value) => value * scale);
    });
  }

  /** Resolves when every tracked part has its vectors, or the encoder has failed; for tests and tools. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
    await Promise.all([...this.#writes]);
  }

  /** Stops background work after the current batch; waits for vectors being written. */
  async close(): Promise<void> {
    this.#queue.clear();
    await this.idle();
  }

  #complete(key: string, sentenceKeys: readonly string[]): void {
    const vectors = this.#stored.part(sentenceKeys);
    if (vectors === undefined) return;
    this.parts.set(key, vectors);
    this.#waiting.delete(key);
  }

  #start(): void {
    if (this.#running !== undefined || this.#queue.size === 0) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      this.#start();
    });
  }

  async #run(): Promise<void> {
    const { encoder, logger } = this.#options;
    const batchSize = this.#options.batchSize ?? 8;
    const started = performance.now();
    let encoded = 0;
    logger.info(
      { sentences: this.#queue.size, waitingParts: this.#waiting.size, readyParts: this.parts.size },
      `Semantic index: encoding sentences in the background (${this.parts.size} of ${this.parts.size + this.#waiting.size} parts ready)`,
    );
    let lastLog = started;
    while (this.#queue.size > 0) {
      const batch = [...this.#queue].slice(0, batchSize);
      let vectors: Float32Array[];
      try {
        vectors = await encoder.encode(batch.map(([, text]) => text));
      } catch (error) {
        if (encoder.state === 'failed') {
          this.#queue.clear();
          return;
        }
        // One batch the model refused: leave those parts lexical rather than retry forever.
        logger.warn({ err: error }, 'Semantic index: a batch of sentences could not be encoded');
        for (const [sentenceId] of batch) this.#queue.delete(sentenceId);
        continue;
      }
      const fresh: Array<[string, StoredVector]> = batch.map(([sentenceId], i) => [
        sentenceId,
        quantiseVector(vectors[i] as Float32Array),
      ]);
      this.#stored.append(fresh);
      for (const [sentenceId] of batch) this.#queue.delete(sentenceId);
      this.#encoded += fresh.length;
      encoded += fresh.length;
      this.#persist(fresh);
      for (const [key, sentenceKeys] of this.#waiting) {
        if (sentenceKeys.every((sentenceId) => this.#stored.has(sentenceId)))
          this.#complete(key, sentenceKeys);
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        logger.info(
          { readyParts: this.parts.size, waitingParts: this.#waiting.size },
          `Semantic index: ${this.parts.size} of ${this.parts.size + this.#waiting.size} parts ready`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    logger.info(
      { sentences: encoded, seconds: Number(seconds.toFixed(1)), readyParts: this.parts.size },
      `Semantic index ready: ${this.parts.size} of ${this.parts.size + this.#waiting.size} parts (${encoded} sentences encoded in ${seconds.toFixed(1)} s)`,
    );
  }

  #persist(vectors: Array<[string, StoredVector]>): void {
    if (this.#writer === undefined) return;
    const writing = this.#writer.append(vectors).catch((error: unknown) => {
      this.#options.logger.warn(
        { err: error, file: this.#writer?.path },
        'Could not store sentence vectors; they will be computed again next start',
      );
    });
    this.#writes.add(writing);
    void writing.finally(() => this.#writes.delete(writing));
  }
}
