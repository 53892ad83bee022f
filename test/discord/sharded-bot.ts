/**
 * The bot as real processes under discord.js's ShardingManager (`npm start` with SHARD_COUNT > 1, run with
 * tsx as `npm start` runs it): one child, the manager, whose shard processes write to its stderr too, so
 * the log lines of one manager are those of one machine. Shared by the sharding end-to-end tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeDiscord } from '../helpers/fake-discord.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One pino line of the bot's stderr. */
export interface LogLine {
  level: number;
  msg: string;
  pid: number;
  shards?: number[];
  [field: string]: unknown;
}

/** The bot's processes as one child (the manager), with its log lines and a way to wait for one. */
export class RunningBot {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  #output = '';

  /** Everything the processes wrote, log lines or not. */
  get output(): string {
    return this.#output;
  }
  #waiters: Array<() => void> = [];

  readonly child: ChildProcessWithoutNullStreams;

  constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#output += chunk;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) {
        try {
          this.lines.push(JSON.parse(part) as LogLine);
        } catch {
          // Not a log line (a stack trace, a Node warning): kept in the output for failure messages only.
        }
      }
      for (const wake of this.#waiters) wake();
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.#output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the matching log lines once `count` have come; fails with the output after `timeoutMs`. */
  waitForLines(match: (line: LogLine) => boolean, count: number, timeoutMs: number): Promise<LogLine[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.filter(match);
        if (found.length < count) return false;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        reject(
          new Error(
            `${count} matching log lines did not come within ${timeoutMs} ms:\n${this.#output.slice(-4000)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.#waiters.push(wake);
    });
  }
}

/**
 * `npm start` against `fake`, as a real process: the manager, which forks the shards. `env` is all the bot
 * gets besides PATH, HOME and the fake's token, id and address: nothing from the developer's shell (a real
 * token, another DATA_DIR) leaks in.
 */
export function startShardedBot(
  fake: FakeDiscord,
  env: Record<string, string>,
  token = fake.token,
): RunningBot {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DISCORD_TOKEN: token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new RunningBot(child);
}

/** Kills what is left of a bot that a failed test did not stop: the manager and every shard it started. */
export function killLeftovers(running: RunningBot | undefined): void {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGKILL');
  for (const line of running.lines.filter((l) => l.msg === 'shard started')) {
    try {
      process.kill(line.shardPid as number, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
