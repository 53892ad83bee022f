/** Helpers for the terminal-mode tests: in-process runs with captured streams, and real subprocesses. */
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli, type RunOptions } from '../../src/cli/run.ts';
import { silentLogger } from '../../src/log.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The terminal tests run lexically unless they set SEMANTIC themselves: loading the sentence encoder in
 * every test would cost a worker and ~300 MB each; test/cli/semantic.test.ts runs it for real.
 */
const LEXICAL = { SEMANTIC: 'off' };

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Runs `npm run cli -- ...args` in this process, with `input` as piped stdin (not a TTY). */
export async function runInProcess(
  args: readonly string[],
  env: Record<string, string>,
  input = '',
  openLibrary?: RunOptions['openLibrary'],
): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const readOut = collect(stdout);
  const readErr = collect(stderr);
  const code = await runCli(
    args,
    { stdin: Readable.from([input]), stdout, stderr },
    { env: { ...LEXICAL, ...env }, logger: silentLogger(), ...(openLibrary ? { openLibrary } : {}) },
  );
  return { code, stdout: readOut(), stderr: readErr() };
}

/** Runs a TypeScript entry point of this repository as a real process, the way npm scripts do (tsx). */
export function runProcess(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  input = '',
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot,
      // Only what the program needs: no DISCORD_TOKEN from the developer's shell leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...LEXICAL, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
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
