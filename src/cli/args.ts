/**
 * Flag parsing for the terminal commands: node:util parseArgs, with its errors turned into one-line
 * VerbatimErrors that name the command and its usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { guildScope, MAX_RESULTS, VerbatimError, type Scope } from '../core/index.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<T extends Options> {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/** Parses `args` strictly; an unknown flag or a missing value is a BAD_OPTION that shows `usage`. */
export function parseCommandArgs<T extends Options>(
  args: readonly string[],
  options: T,
  usage: string,
): ParsedArgs<T> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs<T>['values'], positionals };
  } catch (error) {
    throw new VerbatimError('BAD_OPTION', `${describeParseError(error)}. Usage: ${usage}`);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message)
      ? `Option ${flag} takes no value`
      : `Option ${flag} needs a value`;
  }
  return message.split('\n')[0] ?? 'Bad arguments';
}

/** `--limit`: a whole number from 1 to MAX_RESULTS; undefined keeps the engine's default. */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const limit = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
    throw new VerbatimError(
      'BAD_OPTION',
      `--limit must be a whole number from 1 to ${MAX_RESULTS}, not "${value}".`,
    );
  }
  return limit;
}

/** `--server`: a Discord server id, turned into that server's scope. */
export function parseServer(value: string | undefined): Scope | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{17,20}$/.test(trimmed)) {
    throw new VerbatimError(
      'BAD_OPTION',
      `--server must be a Discord server id (17 to 20 digits), not "${value}".`,
    );
  }
  return guildScope(trimmed);
}

/** Exactly `count` positional arguments, or a BAD_OPTION naming what is missing or extra. */
export function expectPositionals(
  positionals: readonly string[],
  names: readonly string[],
  usage: string,
  optional = 0,
): string[] {
  const required = names.length - optional;
  if (positionals.length < required) {
    throw new VerbatimError('BAD_OPTION', `Missing ${names[positionals.length]}. Usage: ${usage}`);
  }
  if (positionals.length > names.length) {
    throw new VerbatimError(
      'BAD_OPTION',
      `Unexpected argument "${positionals[names.length]}". Usage: ${usage}`,
    );
  }
  return [...positionals];
}
