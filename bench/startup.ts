/**
 * "ready" of the program itself, compiled against tsx: `npm start` runs `node --import tsx src/main.ts`,
 * `npm run start:prod` runs `node dist/src/main.js` (built by `npm run build` at the start of this
 * section, so it measures the code of this commit). Each run is a fresh process in the terminal mode
 * over the shipped corpus, its index loaded from the snapshot in a shared temporary DATA_DIR (a warm-up
 * run of each writes it first), one question on stdin; ready = spawn() until the first quote is printed.
 * Runs alternate between the two so that machine load falls on both alike.
 * `npm run bench -- --only startup` runs this section alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.ts';
import { percentile } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUESTION = 'Who did the British civil servants meet in China?';

export interface StartupResult {
  setup: string;
  runs: number;
  tsx: { p50Ms: number; minMs: number; maxMs: number };
  compiled: { p50Ms: number; minMs: number; maxMs: number };
}

/** Milliseconds from spawn() to the first quote on stdout. */
function readyOnce(args: readonly string[], dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    let readyMs: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (readyMs === undefined && stdout.includes('“')) readyMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 && readyMs !== undefined) resolve(readyMs);
      else reject(new Error(`${args.join(' ')} exited ${code} without a quote:\n${stdout}${stderr}`));
    });
    child.stdin.end(`${QUESTION}\n`);
  });
}

function summary(samples: number[]): StartupResult['tsx'] {
  return { p50Ms: percentile(samples, 50), minMs: Math.min(...samples), maxMs: Math.max(...samples) };
}

export async function measureStartup(
  quick: boolean,
  progress: (message: string) => void,
): Promise<StartupResult> {
  progress('startup: npm run build');
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
  const tsx = ['--import', 'tsx', 'src/main.ts'];
  const compiled = ['dist/src/main.js'];
  const runs = quick ? 3 : 10;
  const machine = describeMachine();
  const dataDir = mkdtempSync(join(tmpdir(), 'verbatim-bench-startup-'));
  try {
    // Warm-ups: the first writes the snapshot, and both fill the OS file cache.
    await readyOnce(tsx, dataDir);
    await readyOnce(compiled, dataDir);
    const samples = { tsx: [] as number[], compiled: [] as number[] };
    for (let run = 0; run < runs; run++) {
      progress(`startup: run ${run + 1} of ${runs}`);
      samples.tsx.push(await readyOnce(tsx, dataDir));
      samples.compiled.push(await readyOnce(compiled, dataDir));
    }
    return {
      setup:
        'ready = spawn() of the program until its first quote is printed: terminal mode, shipped corpus, index ' +
        `loaded from its snapshot; ${runs} runs each, alternating, after one warm-up each. tsx = npm start ` +
        '(node --import tsx src/main.ts); compiled = npm run start:prod (node dist/src/main.js). ' +
        `Node ${machine.node}, ${machine.cores} cores, load average at start ${machine.loadAverage.join(' / ')}.`,
      runs,
      tsx: summary(samples.tsx),
      compiled: summary(samples.compiled),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatStartup(result: StartupResult): string {
  const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;
  const rows: Array<[string, number, number]> = [
    ['ready, median', result.tsx.p50Ms, result.compiled.p50Ms],
    ['ready, fastest', result.tsx.minMs, result.compiled.minMs],
    ['ready, slowest', result.tsx.maxMs, result.compiled.maxMs],
  ];
  return [
    'Start-up: compiled (npm run start:prod) against tsx (npm start)',
    result.setup,
    `${'metric'.padEnd(16)}${'tsx'.padStart(10)}${'compiled'.padStart(10)}  compiled/tsx`,
    ...rows.map(
      ([name, tsx, compiled]) =>
        `${name.padEnd(16)}${ms(tsx).padStart(10)}${ms(compiled).padStart(10)}  ${(compiled / tsx).toFixed(2)}×`,
    ),
  ].join('\n');
}
