import { pino } from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The one logger factory. Logs go to stderr so that stdout stays clean for `--json` output, and the
 * Discord token is redacted wherever it might appear in a logged object.
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'config.discordToken', 'discordToken', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
