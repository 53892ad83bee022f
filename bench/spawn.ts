/** Starts one measurement in a child process and collects its reports. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReport, ChildTask, ParentMessage } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
/** The same TypeScript loader `npm start` uses, so start-up costs what it costs in production. */
const TSX = import.meta.resolve('tsx');

export interface ChildRun {
  reports: ChildReport[];
  /** Wall time from fork() to the child's `ready` report: start-up, loading and indexing, first answer. */
  readyWallMs: number | undefined;
}

export interface RunningChild {
  /** Resolves at the child's `ready` report with the wall time from fork() (undefined if it never got ready). */
  ready: Promise<number | undefined>;
  /** Resolves when the child exits after reporting `done`; rejects with its output otherwise. */
  finished: Promise<ChildRun>;
  tell(message: ParentMessage): void;
  process: ChildProcess;
}

export function startChild(task: ChildTask): RunningChild {
  const reports: ChildReport[] = [];
  let readyWallMs: number | undefined;
  const started = performance.now();
  const child = fork(CHILD, [JSON.stringify(task)], {
    execArgv: ['--import', TSX, '--expose-gc'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let onReady: (ms: number) => void = () => {};
  const ready = new Promise<number>((resolve) => (onReady = resolve));
  child.on('message', (message: ChildReport) => {
    if (message.kind === 'ready') {
      readyWallMs = performance.now() - started;
      onReady(readyWallMs);
    }
    reports.push(message);
  });
  const finished = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && reports.some((report) => report.kind === 'done')) resolve({ reports, readyWallMs });
      else {
        const why = signal ?? `exit ${code}`;
        reject(new Error(`bench child ${JSON.stringify(task)} failed (${why}):\n${output.slice(-4000)}`));
      }
    });
  });
  return {
    // A child that dies before it is ready must not leave the caller waiting forever.
    ready: Promise.race([ready, finished.then(() => undefined)]),
    finished,
    tell: (message) => child.send(message),
    process: child,
  };
}

export function runChild(task: ChildTask): Promise<ChildRun> {
  return startChild(task).finished;
}

export function reportOf<K extends ChildReport['kind']>(
  run: ChildRun,
  kind: K,
): Extract<ChildReport, { kind: K }> | undefined {
  return run.reports.find((report): report is Extract<ChildReport, { kind: K }> => report.kind === kind);
}
