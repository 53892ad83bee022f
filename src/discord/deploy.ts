/**
 * `npm run deploy`: registers every command in commands/ over REST — to DISCORD_GUILD_ID when set (it
 * updates at once), else globally (Discord may take up to an hour to show changes everywhere).
 */
import { REST, Routes } from 'discord.js';
import type { RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { VerbatimError, isVerbatimError } from '../core/index.ts';
import type { Command } from './command.ts';
import { commandJson } from './command.ts';
import { loadCommands } from './loader.ts';

export interface DeployResult {
  /** Where they went: a server id, or 'global'. */
  target: string;
  registered: RESTPutAPIApplicationCommandsResult;
}

export async function deployCommands(
  config: Config,
  commands?: ReadonlyMap<string, Command>,
): Promise<DeployResult> {
  const missing = [
    config.discordToken ? undefined : 'DISCORD_TOKEN (the bot token)',
    config.discordClientId ? undefined : 'DISCORD_CLIENT_ID (the application id)',
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || !config.discordToken || !config.discordClientId) {
    throw new VerbatimError(
      'BAD_CONFIG',
      `Cannot register commands: set ${missing.join(' and ')} in .env (see .env.example).`,
    );
  }
  const loaded = commands ?? (await loadCommands());
  const body = [...loaded.values()].map(commandJson);
  const rest = new REST({ version: '10', api: config.discordApiUrl }).setToken(config.discordToken);
  const route = config.discordGuildId
    ? Routes.applicationGuildCommands(config.discordClientId, config.discordGuildId)
    : Routes.applicationCommands(config.discordClientId);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { target: config.discordGuildId ?? 'global', registered };
}

async function main(): Promise<void> {
  loadDotEnv();
  try {
    const { target, registered } = await deployCommands(loadConfig(process.env));
    const where =
      target === 'global' ? 'globally (may take up to an hour to appear everywhere)' : `to server ${target}`;
    console.log(
      `Registered ${registered.length} commands ${where}: ${registered.map((c) => c.name).join(', ')}.`,
    );
  } catch (error) {
    console.error(
      isVerbatimError(error) ? error.message : `Could not register commands: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
