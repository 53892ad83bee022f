/** What every terminal command gets: its streams, the parsed config, a logger and a way to open the library. */
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../config.ts';
import type { Library } from '../library.ts';
import type { Logger, LogLevel } from '../log.ts';
import type { OutputStream } from './style.ts';

export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  /** Results only. */
  stdout: Writable & OutputStream;
  /** User errors and logs. */
  stderr: Writable;
}

export interface OpenLibraryRequest {
  /** `--corpus DIR`: index this folder of .txt/.md files instead of the shipped corpus and DATA_DIR. */
  folder?: string;
  /**
   * The semantic stage: true or false as `--semantic`/`--no-semantic` said, `'config'` as SEMANTIC says;
   * absent: not wanted (commands that do not rank, such as list and add).
   */
  semantic?: boolean | 'config';
}

export interface CliContext {
  io: CliIo;
  config: Config;
  logger: Logger;
  openLibrary(request: OpenLibraryRequest): Promise<Library>;
}

export interface CliCommand {
  name: string;
  /** One line: the command and its flags. */
  usage: string;
  summary: string;
  /** Resolves to the exit code. Throws VerbatimError for a user's mistake. */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

/** Opens the library, runs `work` and closes the library again, whatever happens. */
export async function withLibrary<T>(
  context: CliContext,
  request: OpenLibraryRequest,
  work: (library: Library) => Promise<T> | T,
): Promise<T> {
  const library = await context.openLibrary(request);
  try {
    return await work(library);
  } finally {
    await library.close();
  }
}

/** Writes `text` and a newline to `stream`, waiting when the stream asks for it (a slow pipe). */
export async function writeLine(stream: Writable, text: string): Promise<void> {
  if (!stream.write(`${text}\n`)) {
    await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}

/**
 * The log level of the terminal adapters: `info` becomes `warn`, because start-up notes such as "Library
 * ready" are noise in a conversation or next to a command's output; warnings, errors and debug stay.
 */
export function terminalLogLevel(level: LogLevel): LogLevel {
  return level === 'info' ? 'warn' : level;
}
