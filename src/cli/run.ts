/**
 * The terminal commands' dispatcher and their one error boundary: a user's mistake is one line on stderr
 * and exit 1; anything else is a bug, reported in one short line (the stack only at LOG_LEVEL=debug)
 * with exit 2. stdout carries results only.
 */
import { loadConfig, type Config } from '../config.ts';
import { isVerbatimError, VerbatimError } from '../core/index.ts';
import { createLogger, type Logger } from '../log.ts';
import { askCommand } from './commands/ask.ts';
import { backupCommand, migrateCommand, restoreCommand } from './commands/database.ts';
import { addCommand, removeCommand, updateCommand } from './commands/documents.ts';
import { evalCommand } from './commands/eval.ts';
import { listCommand } from './commands/list.ts';
import { showCommand } from './commands/show.ts';
import {
  writeLine,
  type CliCommand,
  type CliContext,
  type CliIo,
  type OpenLibraryRequest,
  terminalLogLevel,
} from './context.ts';
import type { Library } from '../library.ts';

export const commands: readonly CliCommand[] = [
  askCommand,
  listCommand,
  showCommand,
  addCommand,
  updateCommand,
  removeCommand,
  evalCommand,
  migrateCommand,
  backupCommand,
  restoreCommand,
];

export interface RunOptions {
  /** The environment to read the config from. */
  env: Record<string, string | undefined>;
  /** Defaults to a pino logger on stderr at the configured level. */
  logger?: Logger;
  /** Defaults to the real library; tests may pass their own. */
  openLibrary?: CliContext['openLibrary'];
}

export function usageText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    ...commands.map(
      (command) =>
        `  ${command.name.padEnd(width)}  ${command.summary}\n  ${' '.repeat(width)}  ${command.usage}`,
    ),
    '',
    'Without a command, `npm start` opens the interactive mode.',
  ].join('\n');
}

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo, options: RunOptions): Promise<number> {
  let config: Config | undefined;
  let logger = options.logger;
  try {
    config = loadConfig(options.env);
    logger ??= createLogger(terminalLogLevel(config.logLevel));
    const [name, ...args] = argv;
    if (name === 'help' || name === '--help' || name === '-h') {
      await writeLine(io.stdout, usageText());
      return 0;
    }
    const command = commands.find((candidate) => candidate.name === name);
    if (command === undefined) {
      const names = commands.map((candidate) => candidate.name).join(', ');
      const what = name === undefined ? 'No command given' : `Unknown command "${name}"`;
      throw new VerbatimError('BAD_OPTION', `${what}. Commands: ${names}. See npm run cli -- help.`);
    }
    const context: CliContext = {
      io,
      config,
      logger,
      openLibrary: options.openLibrary ?? ((request) => openDefault(request, context)),
    };
    return await command.run(args, context);
  } catch (error) {
    return reportError(error, io, config, logger);
  }
}

/** Loaded on first use, so `help` and mistyped commands answer without loading the search engine. */
async function openDefault(request: OpenLibraryRequest, context: CliContext): Promise<Library> {
  const { openTerminalLibrary } = await import('./open.ts');
  return openTerminalLibrary(request, context.config, context.logger);
}

async function reportError(
  error: unknown,
  io: CliIo,
  config: Config | undefined,
  logger: Logger | undefined,
): Promise<number> {
  if (isVerbatimError(error)) {
    // BAD_CONFIG lists one problem per line; every other message is one sentence on one line.
    const message = error.code === 'BAD_CONFIG' ? error.message : error.message.replace(/\s*\n\s*/g, ' ');
    await writeLine(io.stderr, message);
    return 1;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  logger?.debug({ err: error }, 'unexpected error');
  const stack =
    config?.logLevel === 'debug' || config?.logLevel === 'trace'
      ? `\n${error instanceof Error ? error.stack : ''}`
      : '';
  await writeLine(
    io.stderr,
    `Unexpected error: ${message}. This is a bug; run with LOG_LEVEL=debug for details.${stack}`,
  );
  return 2;
}
