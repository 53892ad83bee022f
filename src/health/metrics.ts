/**
 * The Prometheus metrics (prom-client), each process with its own registry so that several bots in one
 * process (tests) do not share counters. Label sets are bounded: no label carries a server id, a user id
 * or text, so the number of series stays the same for ten servers or ten thousand. What each metric means
 * is in docs/operations.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LibraryStats } from '../library.ts';

/** How a handled interaction ended, as logged and counted. */
export type InteractionOutcome = 'answered' | 'declined' | 'refused' | 'error' | 'done';

/** The state of one gateway shard this process runs. */
export interface ShardState {
  id: number;
  ready: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** A question's result: `answered`, or `declined` with the no-answer reason. */
  readonly questions: Counter<'outcome' | 'reason'>;
  /** From the interaction reaching the bot to its answer sent, for interactions that asked a question. */
  readonly answerSeconds: Histogram<'outcome'>;
  readonly interactions: Counter<'command' | 'outcome'>;
  /** For the storage code: every failed database operation, by operation (`read`, `write`, `connect`...). */
  readonly databaseErrors: Counter<'operation'>;
  /** Where the document and paragraph gauges read from (set once the library is open). */
  watchLibrary(stats: () => LibraryStats): void;
  /** Where `verbatim_index_memory_bytes` reads from. */
  watchIndexMemory(bytes: () => number): void;
  /** Where `verbatim_shard_ready` reads from (set once the gateway client exists). */
  watchShards(shards: () => readonly ShardState[]): void;
}

/** Seconds; an in-memory answer takes milliseconds, a slow Discord round trip up to seconds. */
const ANSWER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Process memory, CPU, event-loop lag and GC: what the index costs shows in the heap figures.
  collectDefaultMetrics({ register: registry });
  let libraryStats: (() => LibraryStats) | undefined;
  let indexMemory: (() => number) | undefined;
  let shardStates: (() => readonly ShardState[]) | undefined;

  const questions = new Counter({
    name: 'verbatim_questions_total',
    help: 'Questions asked through Discord, by outcome (answered, declined) and, when declined, the reason.',
    labelNames: ['outcome', 'reason'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'verbatim_answer_seconds',
    help: 'Time from a question interaction reaching the bot to its reply sent, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: ANSWER_BUCKETS,
    registers,
  });
  const interactions = new Counter({
    name: 'verbatim_interactions_total',
    help: 'Interactions handled, by command and outcome (answered, declined, refused, error, done).',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'verbatim_database_errors_total',
    help: 'Failed database operations, by operation.',
    labelNames: ['operation'] as const,
    registers,
  });
  new Gauge({
    name: 'verbatim_documents',
    help: 'Documents in the index: scope="shipped" the shipped corpus, scope="servers" all servers together.',
    labelNames: ['scope'] as const,
    registers,
    collect() {
      this.reset();
      const stats = libraryStats?.();
      if (!stats) return;
      this.set({ scope: 'shipped' }, stats.shipped.documents);
      this.set({ scope: 'servers' }, stats.servers.documents);
    },
  });
  new Gauge({
    name: 'verbatim_paragraphs',
    help: 'Paragraphs in the index, by scope as verbatim_documents.',
    labelNames: ['scope'] as const,
    registers,
    collect() {
      this.reset();
      const stats = libraryStats?.();
      if (!stats) return;
      this.set({ scope: 'shipped' }, stats.shipped.paragraphs);
      this.set({ scope: 'servers' }, stats.servers.paragraphs);
    },
  });
  new Gauge({
    name: 'verbatim_servers_with_documents',
    help: 'Servers that have at least one document of their own in this process.',
    registers,
    collect() {
      this.reset();
      const stats = libraryStats?.();
      if (stats) this.set(stats.servers.scopes);
    },
  });
  new Gauge({
    name: 'verbatim_index_memory_bytes',
    help: 'Memory held by the index and its texts (an estimate; see docs/operations.md).',
    registers,
    collect() {
      this.reset();
      const bytes = indexMemory?.();
      if (bytes !== undefined) this.set(bytes);
    },
  });
  new Gauge({
    name: 'verbatim_shard_ready',
    help: '1 when the gateway shard is connected and ready, 0 otherwise, per shard this process runs.',
    labelNames: ['shard'] as const,
    registers,
    collect() {
      this.reset();
      for (const shard of shardStates?.() ?? []) this.set({ shard: String(shard.id) }, shard.ready ? 1 : 0);
    },
  });

  return {
    registry,
    questions,
    answerSeconds,
    interactions,
    databaseErrors,
    watchLibrary: (stats) => (libraryStats = stats),
    watchIndexMemory: (bytes) => (indexMemory = bytes),
    watchShards: (shards) => (shardStates = shards),
  };
}
