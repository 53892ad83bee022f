/**
 * `npm run bench -- --only memory` (issue 12): resident memory of one process whose database holds 1,000
 * servers × 20 documents, of which 50 are active, with servers loaded on demand (the bot) against today's
 * load-everything (the terminal's library), and the time of a first question to a cold server, built from
 * its texts and loaded from its snapshot; plain MiniSearch over the same paragraphs in the same run.
 *
 * The documents are generated cheaply (a seeded PRNG over a 1,500-word made-up vocabulary, 4 paragraphs of
 * 2 to 4 sentences each) and stored once in a SQLite database under bench/data/, reused while its name
 * (seed and sizes) matches: storing 20,000 documents through the store's transactions takes minutes on 2 cores.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { guildScope, type SourceDocument } from '../src/core/index.ts';
import { silentLogger } from '../src/log.ts';
import { openDocumentDatabase } from '../src/store/db/index.ts';
import { DATA_DIR } from './corpus.ts';
import { pick, randomIndex, seededRandom } from './random.ts';

const SERVERS = 1_000;
const DOCUMENTS_PER_SERVER = 20;
const ACTIVE = 50;
const SEED = 12;
const BUDGET_MB = 256;
const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

export interface MemoryFigures {
  servers: number;
  documentsPerServer: number;
  active: number;
  budgetMb: number;
  generateMs: number | undefined;
  everything: Child;
  onDemand: Child;
  restart: Child;
  plainAll: Child;
  plainActive: Child;
  plainCold: Child;
}

interface Child {
  before: { rssBytes: number; heapUsedBytes: number };
  after?: { rssBytes: number; heapUsedBytes: number };
  openMs?: number;
  coldMs?: number;
  coldSource?: string;
  coldAnswered?: boolean;
  documents?: number;
  loads?: { snapshot: number; built: number };
  /** Mean time to load one of the active servers (built on the first run, from its snapshot after a restart). */
  meanLoadMs?: number;
  /** Mean INDEX_MEMORY_MB estimate of one server's index. */
  meanEstimateBytes?: number;
}

const guildOf = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));

/** A generated document of server `guildId`, stored as a moderator's would be (the memory and stored benches). */
export function benchDocument(guildId: string, id: string, title: string, text: string): SourceDocument {
  return {
    meta: {
      id,
      title,
      publisher: 'bench',
      date: '2026-01-01',
      dateEstimated: false,
      url: '',
      language: 'und',
      scope: guildScope(guildId),
      added: { userId: '1', userName: 'bench', at: '2026-01-01T00:00:00.000Z' },
    },
    text,
  };
}

function documentsOf(server: number, random: () => number, words: readonly string[]): SourceDocument[] {
  const sentence = (): string => {
    const length = 6 + randomIndex(random, 12);
    const text = Array.from({ length }, () => pick(random, words)).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  return Array.from({ length: DOCUMENTS_PER_SERVER }, (_, d) => {
    const paragraphs = Array.from({ length: 4 }, () =>
      Array.from({ length: 2 + randomIndex(random, 3) }, sentence).join(' '),
    );
    return benchDocument(
      guildOf(server),
      `notes-${d}`,
      `Notes ${d} of server ${server}`,
      `Notes ${d}\n\n${paragraphs.join('\n\n')}\n\nWhich harbour keeps the winter ledger of the lighthouse: entry ${d}.`,
    );
  });
}

/** The database of generated servers, made once (into a temporary folder, renamed when complete). */
async function ensureDatabase(progress: (message: string) => void): Promise<{ dir: string; ms?: number }> {
  const dir = `${DATA_DIR}memory-${SERVERS}x${DOCUMENTS_PER_SERVER}-seed${SEED}-v1`;
  if (existsSync(dir)) return { dir };
  const temporary = `${dir}.partial`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  progress(`memory: generating ${SERVERS} servers × ${DOCUMENTS_PER_SERVER} documents into ${dir}`);
  const started = performance.now();
  const random = seededRandom(SEED);
  const syllables = ['ka', 'lo', 'mir', 'ten', 'sa', 'vor', 'el', 'dun', 'pri', 'ost', 'ul', 'ne'];
  const words = Array.from({ length: 1_500 }, () =>
    Array.from({ length: 2 + randomIndex(random, 2) }, () => pick(random, syllables)).join(''),
  );
  const store = await openDocumentDatabase({ dataDir: temporary, logger: silentLogger() });
  try {
    for (let server = 0; server < SERVERS; server++) {
      for (const document of documentsOf(server, random, words)) await store.save(document);
      if (server % 100 === 99) progress(`memory: ${server + 1} servers stored`);
    }
  } finally {
    await store.close();
  }
  renameSync(temporary, dir);
  return { dir, ms: performance.now() - started };
}

function runChild(args: string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`the memory bench child (${args[0]}) exited with ${code}`));
      else resolve(JSON.parse(output) as Child);
    });
  });
}

export async function measureMemory(progress: (message: string) => void): Promise<MemoryFigures> {
  const { dir, ms } = await ensureDatabase(progress);
  // Each run starts without servers' snapshots, so the first one builds and the restart loads them.
  rmSync(`${dir}/index`, { recursive: true, force: true });
  const active = Array.from({ length: ACTIVE }, (_, i) => guildOf(i * (SERVERS / ACTIVE))).join(',');
  // Eleven servers no one asked before (none is active), each asked once: the median is printed.
  const cold = Array.from({ length: 11 }, (_, i) => guildOf(i * (SERVERS / ACTIVE) + 1)).join(',');
  progress('memory: load-everything (today)');
  const everything = await runChild(['everything', dir]);
  progress(`memory: on demand, ${ACTIVE} active servers, then a cold one built from its texts`);
  const onDemand = await runChild(['on-demand', dir, active, cold, String(BUDGET_MB)]);
  progress('memory: restart, the same servers from their snapshots, then a cold one from its snapshot');
  const restart = await runChild(['on-demand', dir, active, cold, String(BUDGET_MB)]);
  progress('memory: plain MiniSearch');
  const plainAll = await runChild(['plain-all', dir]);
  const plainActive = await runChild(['plain-active', dir, active]);
  const plainCold = await runChild(['plain-cold', dir, '', cold]);
  return {
    servers: SERVERS,
    documentsPerServer: DOCUMENTS_PER_SERVER,
    active: ACTIVE,
    budgetMb: BUDGET_MB,
    generateMs: ms,
    everything,
    onDemand,
    restart,
    plainAll,
    plainActive,
    plainCold,
  };
}

const mib = (bytes: number | undefined): string =>
  bytes === undefined ? '—' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const msOf = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;

const kib = (bytes: number | undefined): string =>
  bytes === undefined ? '—' : `${(bytes / 1024).toFixed(0)} KiB`;

/** What one more server in memory costs: the heap of every server less that of the active ones, per server. */
function perServer(f: MemoryFigures): number | undefined {
  const all = f.everything.after?.heapUsedBytes;
  const some = f.onDemand.after?.heapUsedBytes;
  const loaded = (f.onDemand.loads?.built ?? 0) + (f.onDemand.loads?.snapshot ?? 0);
  return all === undefined || some === undefined ? undefined : (all - some) / (f.servers - loaded);
}

export function formatMemory(f: MemoryFigures): string {
  const row = (name: string, ours: string, plain: string, r: string): string =>
    `${name.padEnd(52)} ${ours.padStart(12)} ${plain.padStart(12)} ${r.padStart(10)}`;
  const lines = [
    `memory that follows active servers: ${f.servers} servers × ${f.documentsPerServer} documents (generated), ${f.active} active, INDEX_MEMORY_MB=${f.budgetMb}`,
    f.generateMs === undefined
      ? 'database reused from bench/data/'
      : `database generated in ${(f.generateMs / 1000).toFixed(0)} s`,
    row('', 'ours', 'plain', 'ours/plain'),
    row(
      'RSS, load-everything (every server indexed)',
      mib(f.everything.after?.rssBytes),
      mib(f.plainAll.after?.rssBytes),
      ratio(f.everything.after?.rssBytes, f.plainAll.after?.rssBytes),
    ),
    row(
      'heap, load-everything',
      mib(f.everything.after?.heapUsedBytes),
      mib(f.plainAll.after?.heapUsedBytes),
      ratio(f.everything.after?.heapUsedBytes, f.plainAll.after?.heapUsedBytes),
    ),
    row(
      `RSS, on demand (${f.active} active servers asked)`,
      mib(f.onDemand.after?.rssBytes),
      mib(f.plainActive.after?.rssBytes),
      ratio(f.onDemand.after?.rssBytes, f.plainActive.after?.rssBytes),
    ),
    row(
      'heap, on demand',
      mib(f.onDemand.after?.heapUsedBytes),
      mib(f.plainActive.after?.heapUsedBytes),
      ratio(f.onDemand.after?.heapUsedBytes, f.plainActive.after?.heapUsedBytes),
    ),
    row('RSS, on demand after a restart (from snapshots)', mib(f.restart.after?.rssBytes), '', ''),
    row(
      'on demand / load-everything, RSS',
      ratio(f.onDemand.after?.rssBytes, f.everything.after?.rssBytes),
      '',
      '',
    ),
    row(
      'on demand / load-everything, heap',
      ratio(f.onDemand.after?.heapUsedBytes, f.everything.after?.heapUsedBytes),
      '',
      '',
    ),
    row('mean load of one active server, built', msOf(f.onDemand.meanLoadMs), '', ''),
    row('mean load of one active server, from its snapshot', msOf(f.restart.meanLoadMs), '', ''),
    row('heap per server, measured (load-everything − on demand)', kib(perServer(f)), '', ''),
    row('heap per server, INDEX_MEMORY_MB estimate', kib(f.onDemand.meanEstimateBytes), '', ''),
    row('open: load-everything', msOf(f.everything.openMs), '', ''),
    row('open: on demand', msOf(f.onDemand.openMs), '', ''),
    row(
      `first question, cold server, median of 11 (${f.onDemand.coldSource ?? '?'})`,
      msOf(f.onDemand.coldMs),
      msOf(f.plainCold.coldMs),
      ratio(f.onDemand.coldMs, f.plainCold.coldMs),
    ),
    row(
      `first question, cold server, median of 11 (${f.restart.coldSource ?? '?'})`,
      msOf(f.restart.coldMs),
      msOf(f.plainCold.coldMs),
      ratio(f.restart.coldMs, f.plainCold.coldMs),
    ),
    `server loads (active and cold): first run ${f.onDemand.loads?.built ?? '?'} built, ${f.onDemand.loads?.snapshot ?? '?'} from snapshot; restart ${f.restart.loads?.built ?? '?'} built, ${f.restart.loads?.snapshot ?? '?'} from snapshot`,
    "plain: MiniSearch default options over the same paragraphs (load-everything: every server; on demand: the active servers; cold: one server's index built, then searched)",
  ];
  return lines.join('\n');
}
