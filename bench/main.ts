/**
 * `npm run bench`: ours against plain MiniSearch on the same paragraphs, in the same run, each measurement
 * in a fresh child process. Progress goes to stderr; stdout holds only the table (or JSON with --json).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { parseBenchArgs, USAGE, type BenchArgs } from './args.ts';
import {
  corpusDescription,
  DATA_DIR,
  ensureCorpus,
  ensureLargeDocument,
  loadCorpus,
  type CorpusSize,
} from './corpus.ts';
import { formatDiscordOnly, measureDiscord } from './discord.ts';
import { formatMembers, measureMembers } from './members.ts';
import { formatMemory, measureMemory } from './memory.ts';
import { formatSemantic, measureSemantic } from './semantic.ts';
import { formatStartup, measureStartup } from './startup.ts';
import { formatStored, measureStored } from './stored.ts';
import { ENGINE_DESCRIPTIONS } from './engines/descriptions.ts';
import type { EngineName } from './engines/types.ts';
import { describeMachine } from './machine.ts';
import type { BenchResults, EngineFigures, SizeFigures, StallResult } from './results.ts';
import { reportOf, runChild } from './spawn.ts';
import { renderTable } from './table.ts';

const STALL_INTERVAL_MS = 5;
const STALL_BASELINE_MS = 1000;

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Fewer queries where plain MiniSearch takes long per query, to keep a full run within ~10 minutes. */
function queryBudget(paragraphs: number, quick: boolean): { warmup: number; queries: number } {
  if (quick) return paragraphs <= 5_000 ? { warmup: 50, queries: 300 } : { warmup: 5, queries: 50 };
  if (paragraphs <= 5_000) return { warmup: 200, queries: 2_000 };
  if (paragraphs <= 50_000) return { warmup: 50, queries: 500 };
  return { warmup: 20, queries: 200 };
}

async function measureEngine(
  engine: EngineName,
  size: CorpusSize,
  paragraphs: number,
  args: BenchArgs,
): Promise<EngineFigures> {
  const snapshotFile = `${DATA_DIR}snapshots/${engine}-${size.label}.json`;
  const budget = queryBudget(paragraphs, args.quick);
  progress(`${size.label} ${engine}: build, memory, ${budget.queries} queries, snapshot save`);
  const built = await runChild({ kind: 'build', engine, size, snapshotFile, ...budget });
  const unavailable = reportOf(built, 'unavailable');
  if (unavailable) return { unavailable: unavailable.reason };
  const ready = reportOf(built, 'ready');
  const memory = reportOf(built, 'memory');
  const queries = reportOf(built, 'queries');
  const saved = reportOf(built, 'snapshot-saved');
  const figures: EngineFigures = {
    entries: ready?.entries,
    buildMs: ready?.loadMs,
    paragraphsPerSecond: ready ? paragraphs / (ready.loadMs / 1000) : undefined,
    readyMs: built.readyWallMs,
    rssBytes: memory?.rssBytes,
    heapUsedBytes: memory?.heapUsedBytes,
    queries: queries && {
      count: queries.count,
      warmup: budget.warmup,
      answered: queries.answered,
      p50Ms: queries.p50Ms,
      p99Ms: queries.p99Ms,
    },
  };
  if (!saved) {
    figures.snapshot = { unavailable: 'the engine has no snapshot API yet' };
    return figures;
  }
  progress(`${size.label} ${engine}: ready from snapshot`);
  const restored = await runChild({ kind: 'snapshot', engine, size, snapshotFile });
  rmSync(snapshotFile, { force: true });
  const restoredReady = reportOf(restored, 'ready');
  figures.snapshot = {
    unavailable: reportOf(restored, 'unavailable')?.reason,
    bytes: saved.bytes,
    saveMs: saved.saveMs,
    loadMs: restoredReady?.loadMs,
    readyMs: restored.readyWallMs,
    rssBytes: reportOf(restored, 'memory')?.rssBytes,
  };
  return figures;
}

async function measureSize(size: CorpusSize, args: BenchArgs): Promise<SizeFigures> {
  const corpus = loadCorpus(size);
  progress(`${size.label}: memory with the corpus text loaded and no index`);
  const baseline = reportOf(await runChild({ kind: 'baseline', size }), 'memory');
  if (!baseline) throw new Error('the baseline child reported no memory');
  const plain = await measureEngine('plain', size, corpus.paragraphCount, args);
  const ours = await measureEngine('ours', size, corpus.paragraphCount, args);
  return {
    label: size.label,
    origin: corpus.origin,
    documents: corpus.documents.length,
    paragraphs: corpus.paragraphCount,
    characters: corpus.characters,
    baseline: { rssBytes: baseline.rssBytes, heapUsedBytes: baseline.heapUsedBytes },
    ours,
    plain,
  };
}

async function measureStall(engine: EngineName): Promise<StallResult> {
  progress(`stall ${engine}: 5 MB add during queries`);
  const run = await runChild({
    kind: 'stall',
    engine,
    intervalMs: STALL_INTERVAL_MS,
    baselineMs: STALL_BASELINE_MS,
  });
  const unavailable = reportOf(run, 'unavailable');
  if (unavailable) return { unavailable: unavailable.reason };
  const stall = reportOf(run, 'stall');
  if (!stall) throw new Error(`the ${engine} stall child reported nothing`);
  return {
    path: stall.path,
    baseline: stall.baseline,
    duringAdd: stall.duringAdd,
    addedBytes: stall.addedBytes,
  };
}

async function main(): Promise<void> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const args = parsed;
  if (args.only === 'discord') {
    const discord = await measureDiscord(args.quick, progress);
    console.log(args.json ? JSON.stringify(discord, null, 2) : formatDiscordOnly(args.command, discord));
    return;
  }
  if (args.only === 'semantic') {
    progress('semantic stage: model, questions, memory, vectoring (one child process)');
    const semantic = await measureSemantic(args.quick);
    console.log(
      args.json ? JSON.stringify(semantic, null, 2) : `${args.command}\n${formatSemantic(semantic)}`,
    );
    return;
  }
  if (args.only === 'members') {
    const members = await measureMembers(args.quick, progress);
    console.log(args.json ? JSON.stringify(members, null, 2) : `${args.command}\n${formatMembers(members)}`);
    return;
  }
  if (args.only === 'memory') {
    const memory = await measureMemory(progress);
    console.log(args.json ? JSON.stringify(memory, null, 2) : `${args.command}\n${formatMemory(memory)}`);
    return;
  }
  if (args.only === 'stored') {
    const stored = await measureStored(progress);
    console.log(args.json ? JSON.stringify(stored, null, 2) : `${args.command}\n${formatStored(stored)}`);
    return;
  }
  if (args.only === 'startup') {
    const startup = await measureStartup(args.quick, progress);
    console.log(args.json ? JSON.stringify(startup, null, 2) : `${args.command}\n${formatStartup(startup)}`);
    return;
  }
  const started = performance.now();
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  mkdirSync(`${DATA_DIR}snapshots`, { recursive: true });
  for (const size of args.sizes)
    if (ensureCorpus(size)) progress(`generated the ${size.label} corpus into bench/data/`);
  ensureLargeDocument();

  const sizes: SizeFigures[] = [];
  for (const size of args.sizes) sizes.push(await measureSize(size, args));
  const stall = {
    intervalMs: STALL_INTERVAL_MS,
    corpus: '2k',
    plain: await measureStall('plain'),
    ours: await measureStall('ours'),
  };
  const discord = await measureDiscord(args.quick, progress);
  const members = await measureMembers(args.quick, progress);
  progress('semantic stage: model, questions, memory, vectoring (one child process)');
  const semantic = await measureSemantic(args.quick);
  const startup = await measureStartup(args.quick, progress);

  const results: BenchResults = {
    command: args.command,
    machine,
    startedAt,
    durationMs: performance.now() - started,
    corpora: corpusDescription(),
    engines: ENGINE_DESCRIPTIONS,
    sizes,
    stall,
    discord,
    members,
    startup,
  };
  console.log(
    args.json
      ? JSON.stringify({ ...results, semantic }, null, 2)
      : `${renderTable(results)}\n\n${formatMembers(members)}\n\n${formatSemantic(semantic)}\n\n${formatStartup(startup)}`,
  );
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
