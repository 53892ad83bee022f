/** The figures of one run, as the table and `--json` show them. Undefined means "not measured". */
import type { Machine } from './machine.ts';
import type { MembersResult } from './members.ts';
import type { StallFigures } from './protocol.ts';
import type { StartupResult } from './startup.ts';

export interface EngineFigures {
  /** Why this engine has no figures at this size, when it has none. */
  unavailable?: string;
  entries?: number;
  buildMs?: number;
  paragraphsPerSecond?: number;
  /** fork() → first question answered, index built from the text. */
  readyMs?: number;
  rssBytes?: number;
  heapUsedBytes?: number;
  queries?: { count: number; warmup: number; answered: number; p50Ms: number; p99Ms: number };
  snapshot?: {
    /** Why the snapshot figures are missing, when they are. */
    unavailable?: string;
    bytes?: number;
    saveMs?: number;
    loadMs?: number;
    /** fork() → first question answered, index loaded from the snapshot. */
    readyMs?: number;
    rssBytes?: number;
  };
}

export interface SizeFigures {
  label: string;
  origin: 'squad-dev' | 'generated';
  documents: number;
  paragraphs: number;
  characters: number;
  /** Memory of a process that loaded the corpus text and built no index. */
  baseline: { rssBytes: number; heapUsedBytes: number };
  ours: EngineFigures;
  plain: EngineFigures;
}

export type StallResult =
  | { unavailable: string }
  | { path: string; baseline: StallFigures; duringAdd: StallFigures; addedBytes: number };

export type DiscordResult =
  | { pending: string }
  | {
      setup: string;
      /** Bot process start → logged in and ready (library opened over the 2k corpus). */
      botReadyMs: number | undefined;
      rounds: Array<{ users: number; requests: number; quoted: number; p50Ms: number; p99Ms: number }>;
    };

export interface BenchResults {
  command: string;
  machine: Machine;
  startedAt: string;
  durationMs: number;
  corpora: string;
  engines: { ours: string; plain: string };
  sizes: SizeFigures[];
  stall: { intervalMs: number; corpus: string; ours: StallResult; plain: StallResult };
  discord: DiscordResult;
  members: MembersResult;
  startup: StartupResult;
}
