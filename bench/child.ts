/**
 * One measurement in a fresh process, so engines and sizes do not pollute each other's memory and start
 * time. Started by spawn.ts with --expose-gc; the task comes as JSON in argv[2], reports go back over IPC.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCorpus, loadLargeDocument, parseSize, squadQuestions } from './corpus.ts';
import type { EngineFactory, EngineName, LargeAddPath } from './engines/types.ts';
import {
  READY_QUESTION,
  type ChildReport,
  type ChildTask,
  type ParentMessage,
  type StallFigures,
} from './protocol.ts';
import { percentile, timed, timedAsync } from './stats.ts';

function send(report: ChildReport): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) throw new Error('bench/child.ts runs only as a child of bench/main.ts');
    process.send(report, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

async function factoryFor(engine: EngineName): Promise<EngineFactory> {
  // Imported on demand so that a child pays only for the engine it measures.
  if (engine === 'plain') return (await import('./engines/plain.ts')).plainFactory;
  return (await import('./engines/ours.ts')).oursFactory;
}

async function largeAddPathFor(engine: EngineName): Promise<LargeAddPath> {
  if (engine === 'plain') return (await import('./engines/plain.ts')).plainLargeAddPath();
  return (await import('./engines/ours.ts')).oursLargeAddPath();
}

function memoryAfterGc(): ChildReport {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the child needs --expose-gc');
  gc();
  gc();
  const usage = process.memoryUsage();
  return { kind: 'memory', rssBytes: usage.rss, heapUsedBytes: usage.heapUsed };
}

async function build(task: Extract<ChildTask, { kind: 'build' }>): Promise<void> {
  const factory = await factoryFor(task.engine);
  const corpus = loadCorpus(parseSize(task.size.label));
  const engine = factory.create();
  const built = timed(() => engine.build(corpus));
  engine.ask(READY_QUESTION);
  await send({
    kind: 'ready',
    sinceProcessStartMs: performance.now(),
    loadMs: built.ms,
    entries: engine.entries,
  });
  await send(memoryAfterGc());

  const questions = squadQuestions();
  for (let i = 0; i < task.warmup; i++) engine.ask(questions[i % questions.length] as string);
  const samples: number[] = [];
  let answered = 0;
  for (let i = 0; i < task.queries; i++) {
    const question = questions[(task.warmup + i) % questions.length] as string;
    const start = performance.now();
    const passages = engine.ask(question);
    samples.push(performance.now() - start);
    if (passages > 0) answered++;
  }
  await send({
    kind: 'queries',
    count: samples.length,
    answered,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
  });

  const save = engine.saveSnapshot;
  if (save) {
    const saved = timed(() => {
      const serialized = save();
      writeFileSync(task.snapshotFile, serialized);
      return Buffer.byteLength(serialized);
    });
    await send({ kind: 'snapshot-saved', bytes: saved.value, saveMs: saved.ms });
  }
  // Keep the corpus and the engine alive until here, so the memory figure above counted both.
  void corpus;
}

async function baseline(task: Extract<ChildTask, { kind: 'baseline' }>): Promise<void> {
  const corpus = loadCorpus(parseSize(task.size.label));
  await send(memoryAfterGc());
  void corpus;
}

async function snapshot(task: Extract<ChildTask, { kind: 'snapshot' }>): Promise<void> {
  const factory = await factoryFor(task.engine);
  const load = factory.loadSnapshot;
  if (!load) return send({ kind: 'unavailable', reason: 'the engine has no snapshot API yet' });
  const corpus = loadCorpus(parseSize(task.size.label));
  const loaded = timed(() => load(readFileSync(task.snapshotFile, 'utf8'), corpus));
  loaded.value.ask(READY_QUESTION);
  await send({
    kind: 'ready',
    sinceProcessStartMs: performance.now(),
    loadMs: loaded.ms,
    entries: loaded.value.entries,
  });
  await send(memoryAfterGc());
}

/** Runs `work` while a timer asks a question every `intervalMs`; reports the longest event-loop stall. */
async function stallDuring(
  path: LargeAddPath,
  questions: readonly string[],
  intervalMs: number,
  work: () => Promise<void>,
): Promise<StallFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let queries = 0;
  const timer = setInterval(() => {
    path.ask(questions[queries % questions.length] as string);
    queries++;
  }, intervalMs);
  histogram.enable();
  const { ms } = await timedAsync(work);
  // Let the histogram's own timer fire once more: a synchronous stretch is only recorded when it ends.
  await sleep(10);
  histogram.disable();
  clearInterval(timer);
  return { maxStallMs: histogram.max / 1e6, workMs: ms, queries };
}

async function stall(task: Extract<ChildTask, { kind: 'stall' }>): Promise<void> {
  const path = await largeAddPathFor(task.engine);
  await path.prepare(loadCorpus(parseSize('2k')));
  const questions = squadQuestions();
  for (const question of questions.slice(0, 200)) path.ask(question);
  const text = loadLargeDocument();
  const baseline = await stallDuring(path, questions, task.intervalMs, () => sleep(task.baselineMs));
  const duringAdd = await stallDuring(path, questions, task.intervalMs, () => path.add(text));
  await path.close();
  await send({
    kind: 'stall',
    path: path.description,
    baseline,
    duringAdd,
    addedBytes: Buffer.byteLength(text),
  });
}

/** The bot as `npm start` runs it, but over the bench's corpus folder and a loopback Discord server. */
async function bot(task: Extract<ChildTask, { kind: 'bot' }>): Promise<void> {
  const [{ loadConfig }, { openLibrary }, { silentLogger }, { startBot }] = await Promise.all([
    import('../src/config.ts'),
    import('../src/library.ts'),
    import('../src/log.ts'),
    import('../src/discord/client.ts'),
  ]);
  const config = loadConfig({
    DISCORD_TOKEN: task.token,
    DISCORD_CLIENT_ID: task.applicationId,
    DISCORD_API_URL: task.apiUrl,
    DATA_DIR: task.dataDir,
    LOG_LEVEL: 'silent',
  });
  const logger = silentLogger();
  const opened = await timedAsync(() =>
    openLibrary({ corpusFolder: task.corpusFolder, dataDir: task.dataDir, logger }),
  );
  const library = opened.value;
  const running = await startBot({ config, library, logger, handleSignals: false });
  const stopped = new Promise<void>((resolve) => {
    const listen = (message: ParentMessage): void => {
      if (message.kind === 'memory') {
        const memory = memoryAfterGc() as Extract<ChildReport, { kind: 'memory' }>;
        const { client } = running;
        void send({
          kind: 'bot-memory',
          rssBytes: memory.rssBytes,
          heapUsedBytes: memory.heapUsedBytes,
          users: client.users.cache.size,
          members: client.guilds.cache.reduce((sum, guild) => sum + guild.members.cache.size, 0),
        });
        return;
      }
      process.off('message', listen);
      resolve();
    };
    process.on('message', listen);
  });
  await send({ kind: 'ready', sinceProcessStartMs: performance.now(), loadMs: opened.ms, entries: 0 });
  await stopped;
  await running.stop();
}

const task = JSON.parse(process.argv[2] ?? 'null') as ChildTask;
if (task.kind === 'baseline') await baseline(task);
else if (task.kind === 'build') await build(task);
else if (task.kind === 'snapshot') await snapshot(task);
else if (task.kind === 'bot') await bot(task);
else await stall(task);
await send({ kind: 'done' });
process.disconnect?.();
