import { pino } from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  /**
   * Human-readable lines (pino-pretty) instead of one JSON object per line. Default: when stderr is a
   * terminal, so a person at a console reads lines and a log collector (a pipe, a file, a container
   * runtime) gets JSON.
   */
  pretty?: boolean;
  /** Where to write; default stderr. */
  destination?: NodeJS.WritableStream;
}

/**
 * The one logger factory. Logs go to stderr so that stdout stays clean for `--json` output, and the
 * Discord token is redacted wherever it might appear in a logged object (before either format applies).
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const humans = options.pretty ?? process.stderr.isTTY === true;
  const stream = humans
    ? // Synchronous like pino.destination(2): the last lines before an exit are not lost.
      pretty({
        destination: options.destination ?? 2,
        sync: true,
        colorize: options.destination === undefined,
      })
    : (options.destination ?? pino.destination(2));
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'config.discordToken', 'discordToken', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    stream,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
