/**
 * What a module in commands/ exports as `command`: its definition for Discord and its handlers.
 * Handlers are thin: read options, call the library, hand the result to the renderer.
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.ts';
import type { Library } from '../library.ts';
import type { Logger } from '../log.ts';
import type { AutoAnswerAvailability } from './auto-answer-intent.ts';
import type { ButtonState } from './button-state.ts';
import type { Cooldowns } from './cooldown.ts';

/** What every handler gets besides the interaction. */
export interface CommandContext {
  library: Library;
  config: Config;
  logger: Logger;
  cooldowns: Cooldowns;
  buttonState: ButtonState;
  /** Whether `/settings auto-answer` can be turned on (AUTO_ANSWER=on and the intent granted). Default: no. */
  autoAnswer?: AutoAnswerAvailability;
  /** Salt of the hash that dedupes votes (member + answer) without storing who voted. */
  voterSalt: Buffer;
}

/** A discord.js builder (anything with `name` and `toJSON()`) or the raw REST body. */
export type CommandData =
  | { readonly name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody }
  | RESTPostAPIApplicationCommandsJSONBody;

export interface Command {
  data: CommandData;
  /** Slash commands get a ChatInputCommandInteraction, message context menus a MessageContextMenuCommandInteraction. */
  execute(
    interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    ctx: CommandContext,
  ): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** Clicks on buttons whose custom_id starts with `<data.name>:`. */
  button?(interaction: ButtonInteraction, ctx: CommandContext): Promise<void>;
  /**
   * `execute` waits for its server's index itself, after deferring when it is not in memory (questions:
   * answer.ts), so the dispatcher runs it at once instead of first waiting up to a second for the load.
   */
  waitsForItsServer?: true;
}

/** The REST body Discord stores for a command. */
export function commandJson(command: Pick<Command, 'data'>): RESTPostAPIApplicationCommandsJSONBody {
  const { data } = command;
  return 'toJSON' in data && typeof data.toJSON === 'function'
    ? data.toJSON()
    : (data as RESTPostAPIApplicationCommandsJSONBody);
}
