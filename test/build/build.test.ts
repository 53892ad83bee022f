/**
 * `npm run build` then `npm run start:prod`: the compiled program runs on plain Node (no tsx loader), finds
 * the shipped corpus and the wink model from dist/, and answers a question in the terminal mode exactly as
 * `npm start` does; and the compiled bot, as the Dockerfile runs it, answers /ask against the loopback
 * Discord and reports healthy on HEALTH_PORT.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.ts';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { quotesOf } from '../discord/bot-harness.ts';

const QUESTION = 'Who did the British civil servants meet in China?';
let dataDir: string;

/** `node dist/src/main.js` with only `env` (no token from the developer's shell), `input` on stdin. */
function startProd(
  env: Record<string, string>,
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-build-'));
  // The npm script itself, as the Dockerfile's build stage runs it.
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, encoding: 'utf8' });
  expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
}, 180_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('emits JavaScript whose relative imports all name .js files that exist', async () => {
    const files = (await filesUnder(join(repoRoot, 'dist'))).filter((file) => file.endsWith('.js'));
    expect(files).toContain(join(repoRoot, 'dist/src/main.js'));
    expect(files).toContain(join(repoRoot, 'dist/commands/ask.js'));
    for (const file of files) {
      const code = await readFile(file, 'utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/\.js$/);
        expect(existsSync(join(file, '..', specifier as string)), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('imports only Node built-ins and runtime dependencies, which is all the Dockerfile installs (npm ci --omit=dev)', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const runtime = new Set(Object.keys(manifest.dependencies));
    const packageOf = (specifier: string): string =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    const files = (await filesUnder(join(repoRoot, 'dist'))).filter((file) => file.endsWith('.js'));
    const outside = new Set<string>();
    for (const file of files) {
      const code = await readFile(file, 'utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import\()\s*['"]([^'"./][^'"]*)['"]/g)) {
        const name = packageOf(specifier as string);
        if (!name.startsWith('node:') && !runtime.has(name)) outside.add(`${name} (${file})`);
      }
    }
    expect([...outside]).toEqual([]);
  });

  it('runs with plain node and answers a question in the terminal mode, quoting the shipped corpus', async () => {
    const run = await startProd({ DATA_DIR: dataDir }, `${QUESTION}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Ask a question about 5 documents');
    expect(run.stdout).toContain(
      '“More than 20 of the UK’s most senior civil servants flew to China last year to meet with executives',
    );
    expect(run.stdout).toContain('— Revealed: UK government ignored Uighur repression');
  });

  it('extracts an uploaded HTML page in a worker thread that runs the compiled worker module', () => {
    // process's 'worker' event shows the thread: extractOffThread would otherwise fall back to this thread unseen.
    // The worker first says it is ready, then sends the outcome.
    const script = `
      import { readFileSync } from 'node:fs';
      import { extractOffThread } from './dist/src/store/extract-off-thread.js';
      let workerReplied = false;
      process.on('worker', (worker) => worker.on('message', (reply) => (workerReplied ||= reply.ok === true)));
      const bytes = new Uint8Array(readFileSync('test/fixtures/article.html'));
      const extracted = await extractOffThread({ fileName: 'article.html', bytes });
      console.log(JSON.stringify({ workerReplied, characters: extracted.text.length }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { workerReplied: boolean; characters: number };
    expect(result.workerReplied).toBe(true);
    expect(result.characters).toBeGreaterThan(100);
  });

  it('runs the bot compiled: /ask answered through the loopback Discord, /healthz 200, SIGTERM stops it', async () => {
    const discord = await startFakeDiscord();
    const bot = startCompiledBot(discord, {});
    try {
      const listening = await bot.line('health and metrics server listening');
      await bot.line('bot ready');
      const health = await fetch(`http://127.0.0.1:${String(listening.port)}/healthz`);
      expect(health.status, bot.stderr()).toBe(200);
      const record = await discord.interact(slashCommand({ name: 'ask', options: { question: QUESTION } }));
      const message = await record.waitForMessage();
      expect(quotesOf(message)[0]?.description).toContain(
        '— Revealed: UK government ignored Uighur repression',
      );
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
      await discord.close();
    }
  });

  it('runs two shard processes compiled under the manager, healthy on its HEALTH_PORT', async () => {
    const discord = await startFakeDiscord({ shards: 2 });
    const bot = startCompiledBot(discord, { SHARD_COUNT: '2' });
    try {
      const listening = await bot.line('health and metrics server listening');
      await bot.line('every shard is ready');
      const health = await fetch(`http://127.0.0.1:${String(listening.port)}/healthz`);
      const report = (await health.json()) as { checks: Record<string, unknown> };
      expect(health.status, bot.stderr()).toBe(200);
      expect(Object.keys(report.checks)).toContain('shard-1/gateway');
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
      await discord.close();
    }
  }, 60_000);
});

/** `node dist/src/main.js` as the bot against `discord`, with HEALTH_PORT=0; `line(msg)` waits for a log line. */
function startCompiledBot(
  discord: FakeDiscord,
  env: Record<string, string>,
): {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  stderr: () => string;
  line: (msg: string) => Promise<Record<string, unknown>>;
} {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DISCORD_TOKEN: discord.token,
      DISCORD_CLIENT_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: dataDir,
      HEALTH_PORT: '0',
      ...env,
    },
  });
  let stderr = '';
  const lines: Array<Record<string, unknown>> = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const complete = (stderr + chunk).split('\n').length - 1;
    stderr += chunk;
    // Whole lines only: a chunk can end in the middle of one.
    const all = stderr.split('\n').slice(0, complete);
    lines.length = 0;
    for (const text of all) {
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = (msg: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        const found = lines.find((parsed) => parsed.msg === msg);
        if (found) {
          child.stderr.off('data', look);
          resolve(found);
        }
      };
      child.stderr.on('data', look);
      look();
      void exited.then(() => reject(new Error(`exited before "${msg}":\n${stderr}`)));
    });
  return { child, exited, stderr: () => stderr, line };
}
