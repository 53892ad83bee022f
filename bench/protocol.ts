/** What the benchmark's parent asks of a child process, and what the child reports back over IPC. */
import type { CorpusSize } from './corpus.ts';
import type { EngineName } from './engines/types.ts';

export type ChildTask =
  /** Load the corpus text only and report memory: what the process costs before any index. */
  | { kind: 'baseline'; size: CorpusSize }
  /** Load the corpus text, build the index, answer once (ready), then memory, query latency, snapshot save. */
  | {
      kind: 'build';
      engine: EngineName;
      size: CorpusSize;
      warmup: number;
      queries: number;
      snapshotFile: string;
    }
  /** Load the corpus text and a saved snapshot, answer once (ready), then memory. */
  | { kind: 'snapshot'; engine: EngineName; size: CorpusSize; snapshotFile: string }
  /** Run the bot (src/discord/client.ts) against a loopback Discord server until told to stop. */
  | {
      kind: 'bot';
      apiUrl: string;
      token: string;
      applicationId: string;
      corpusFolder: string;
      dataDir: string;
    }
  /** Index SQuAD dev, then the longest event-loop stall with queries only, and while a 5 MB document is added. */
  | { kind: 'stall'; engine: EngineName; intervalMs: number; baselineMs: number };

export interface StallFigures {
  /** Longest event-loop delay seen (monitorEventLoopDelay, resolution 1 ms). */
  maxStallMs: number;
  /** How long the work ran (the add, or the baseline period). */
  workMs: number;
  /** Queries the timer managed to run meanwhile. */
  queries: number;
}

export type ChildReport =
  | { kind: 'unavailable'; reason: string }
  | { kind: 'ready'; sinceProcessStartMs: number; loadMs: number; entries: number }
  | { kind: 'memory'; rssBytes: number; heapUsedBytes: number }
  /** The bot's memory after a full GC, and how many users and members discord.js holds. */
  | { kind: 'bot-memory'; rssBytes: number; heapUsedBytes: number; users: number; members: number }
  | { kind: 'queries'; count: number; answered: number; p50Ms: number; p99Ms: number }
  | { kind: 'snapshot-saved'; bytes: number; saveMs: number }
  | { kind: 'stall'; path: string; baseline: StallFigures; duringAdd: StallFigures; addedBytes: number }
  | { kind: 'done' };

/** What the parent may tell a running child. */
export type ParentMessage = { kind: 'stop' } | { kind: 'memory' };

/** The question answered once to count as "ready to answer" (the first SQuAD dev question). */
export const READY_QUESTION = 'Which NFL team represented the AFC at Super Bowl 50?';
