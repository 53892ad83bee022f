/** What the benchmark needs from a search engine, so ours and plain MiniSearch run the same code. */
import type { BenchCorpus } from '../corpus.ts';

export type EngineName = 'ours' | 'plain';

export interface BenchEngine {
  /** Indexes every document of the corpus. */
  build(corpus: BenchCorpus): void;
  /** Entries in the index (paragraphs, or paragraph parts for ours). */
  readonly entries: number;
  /**
   * The whole `ask`: analysis, search, ranking and the passages a user would be shown (top 3).
   * Returns how many passages came back, so the work cannot be optimised away.
   */
  ask(question: string): number;
  /** Serialises the index; undefined while the engine has no snapshot API. */
  readonly saveSnapshot: (() => string) | undefined;
}

export interface EngineFactory {
  create(): BenchEngine;
  /** Rebuilds an engine from `saveSnapshot`'s output and the corpus text; undefined without a snapshot API. */
  readonly loadSnapshot: ((serialized: string, corpus: BenchCorpus) => BenchEngine) | undefined;
}

/** How a 5 MB document is added while queries run, for the event-loop stall measurement. */
export interface LargeAddPath {
  /** E.g. "MiniSearch addAllAsync (chunks of 10)" or "Library.add (async)". */
  readonly description: string;
  /** Called once before the measurement, to index the 2k corpus the queries run against. */
  prepare(corpus: BenchCorpus): Promise<void>;
  /** The Library's ask is async (it may wait for the question's vector); the stall timer does not wait. */
  ask(question: string): number | Promise<number>;
  add(text: string): Promise<void>;
  close(): Promise<void>;
}
