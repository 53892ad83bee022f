/**
 * Finds the commands: every module in commands/ must export `command` shaped like a Command. Shared by
 * the client and the deploy script, so what is registered is exactly what runs.
 */
import { readdir } from 'node:fs/promises';
import type { Command } from './command.ts';
import { commandJson } from './command.ts';

/** The repository's commands/ folder. */
export const COMMANDS_DIR = new URL('../../commands/', import.meta.url);

/** Why `value` is not a Command, or undefined when it is one. */
export function commandShapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object')
    return 'must export `command` (export const command = { data, execute } satisfies Command)';
  const candidate = value as Record<string, unknown>;
  const data = candidate.data as Record<string, unknown> | undefined;
  if (data === null || typeof data !== 'object')
    return '`command.data` must be a command builder or its JSON body';
  if (typeof candidate.execute !== 'function') return '`command.execute` must be a function';
  for (const optional of ['autocomplete', 'button'] as const) {
    if (candidate[optional] !== undefined && typeof candidate[optional] !== 'function')
      return `\`command.${optional}\` must be a function when present`;
  }
  let json: { name?: unknown };
  try {
    json = commandJson(candidate as unknown as Command);
  } catch (error) {
    return `\`command.data\` does not build: ${(error as Error).message}`;
  }
  if (typeof json.name !== 'string' || json.name === '') return '`command.data` has no name';
  return undefined;
}

function isCommandFile(name: string): boolean {
  return /\.(ts|js|mjs)$/.test(name) && !/\.(d|test|spec)\.(ts|js|mjs)$/.test(name);
}

/**
 * Imports every command module in `dir`, in file-name order. Throws an Error naming the file for a module
 * that is not shaped like a Command, and for two commands with one name.
 */
export async function loadCommands(dir: URL = COMMANDS_DIR): Promise<Map<string, Command>> {
  const files = (await readdir(dir)).filter(isCommandFile).sort();
  const commands = new Map<string, Command>();
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const url = new URL(file, dir);
    const module = (await import(url.href)) as { command?: unknown };
    const problem = commandShapeProblem(module.command);
    if (problem) throw new Error(`commands/${file}: ${problem}.`);
    const command = module.command as Command;
    const { name } = commandJson(command);
    const earlier = fileOf.get(name);
    if (earlier)
      throw new Error(`commands/${file}: the command name "${name}" is already used by commands/${earlier}.`);
    commands.set(name, command);
    fileOf.set(name, file);
  }
  if (commands.size === 0) throw new Error(`No commands found in ${dir.pathname}.`);
  return commands;
}
