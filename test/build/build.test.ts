/**
 * `npm run build` then `npm run start:prod`: the compiled program runs on plain Node (no tsx loader), finds
 * the shipped corpus and the wink model from dist/, and answers a question in the terminal mode exactly as
 * `npm start` does; and the compiled bot, as the Dockerfile runs it, answers /ask against the loopback
 * Discord and reports healthy on HEALTH_PORT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.ts';
import { startFakeDiscord } from '../helpers/fake-discord.ts';
import { slashCommand } from '../helpers/interactions.ts';

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

  it('runs the bot compiled: /ask answered through the loopback Discord, /healthz 200, SIGTERM stops it', async () => {
    const discord = await startFakeDiscord();
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
      },
    });
    try {
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const line = (msg: string): Promise<Record<string, unknown>> =>
        new Promise((resolve, reject) => {
          const look = (): boolean => {
            for (const text of stderr.split('\n')) {
              if (!text.startsWith('{')) continue;
              const parsed = JSON.parse(text) as Record<string, unknown>;
              if (parsed.msg === msg) {
                resolve(parsed);
                return true;
              }
            }
            return false;
          };
          child.stderr.on('data', () => void look());
          void exited.then(() => reject(new Error(`exited before "${msg}":\n${stderr}`)));
        });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const listening = await line('health and metrics server listening');
      await line('bot ready');
      const health = await fetch(`http://127.0.0.1:${String(listening.port)}/healthz`);
      expect(health.status, stderr).toBe(200);
      const record = await discord.interact(slashCommand({ name: 'ask', options: { question: QUESTION } }));
      const message = await record.waitForMessage();
      expect(message.embeds[0]?.description).toContain('— Revealed: UK government ignored Uighur repression');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await discord.close();
    }
  });
});
