/**
 * The one interactionCreate error boundary. Routes slash commands, message context menus, autocomplete
 * and buttons to their command; a VerbatimError (the user's mistake) becomes a private ❌ message with its
 * sentence, anything else is logged with the interaction id, command and latency and answered with a
 * short private apology. Every handled interaction is logged at info with its outcome (answered, declined
 * with the reason, refused with the error code, error, or done for anything that asked no question) and
 * counted in the metrics; the question itself appears in that line only at debug level.
 */
import type {
  BaseInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { guildScope, isVerbatimError } from '../core/index.ts';
import type { InteractionOutcome, Metrics } from '../health/metrics.ts';
import { buttonCommand } from './button-state.ts';
import type { Command, CommandContext } from './command.ts';
import { noting, type InteractionNote } from './outcome.ts';
import type { Payload } from './render.ts';
import { renderApology, renderError } from './render.ts';

type Repliable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction;

function commandNameOf(interaction: Interaction): string | undefined {
  if (
    interaction.isChatInputCommand() ||
    interaction.isMessageContextMenuCommand() ||
    interaction.isAutocomplete()
  )
    return interaction.commandName;
  if (interaction.isButton()) return buttonCommand(interaction.customId);
  return undefined;
}

/** Sends `message` privately whatever state the interaction is in. */
async function sendPrivately(interaction: Repliable, message: Payload): Promise<void> {
  // Buttons here never defer a reply; a deferred *update* edited with an error would overwrite the message.
  if (interaction.deferred && !interaction.replied && !interaction.isButton()) {
    // A deferral already chose public or private; only editing it replaces the "thinking…" state.
    const { flags: _flags, ...edit } = message;
    await interaction.editReply(edit);
  } else if (interaction.replied || interaction.deferred) {
    await interaction.followUp(message);
  } else {
    await interaction.reply(message);
  }
}

/**
 * How long an interaction waits for its server's index to come into memory before its command runs: a
 * small server's snapshot loads in milliseconds; past this the command runs anyway (its reads say "still
 * loading") so Discord's 3-second reply window is kept. Questions do not wait here (`waitsForItsServer`).
 */
const PREPARE_WAIT_MS = 1_000;

async function run(interaction: Interaction, command: Command, ctx: CommandContext): Promise<void> {
  // Servers' indexes are loaded on first use (issue 12); the commands' reads are synchronous. A question
  // defers first instead: a large server's load can hold this thread for 2 s (its snapshot read, measured
  // at 10 MB of text), and a second of waiting on top of that missed Discord's 3 seconds.
  const waitsItself =
    command.waitsForItsServer === true && !interaction.isButton() && !interaction.isAutocomplete();
  if (interaction.guildId !== null && !waitsItself)
    await ctx.library.prepare(guildScope(interaction.guildId), PREPARE_WAIT_MS);
  if (interaction.isAutocomplete()) {
    if (command.autocomplete) await command.autocomplete(interaction, ctx);
    else await interaction.respond([]);
    return;
  }
  if (interaction.isButton()) {
    if (!command.button) throw new Error(`command ${commandNameOf(interaction)} has no button handler`);
    await command.button(interaction, ctx);
    return;
  }
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
    await command.execute(interaction, ctx);
  }
}

/** The outcome of an interaction whose handler returned: from what the library answered, if it was asked. */
function outcomeOf(note: InteractionNote): InteractionOutcome {
  if (note.answered === undefined) return 'done';
  return note.answered ? 'answered' : 'declined';
}

/**
 * Builds the interactionCreate listener over `commands`. It never throws. `receivedAt` (performance.now()
 * when the event arrived, default now) starts the answer time, so a wait in the queue counts. `metrics`, when given, counts
 * each interaction's outcome and times questions; the library in `ctx` should be `observedAsks` over the
 * same metrics for answered and declined to be told apart.
 */
export function createDispatcher(
  commands: ReadonlyMap<string, Command>,
  ctx: CommandContext,
  metrics?: Metrics,
): (interaction: Interaction, receivedAt?: number) => Promise<void> {
  return async (interaction: Interaction, receivedAt = performance.now()): Promise<void> => {
    const started = performance.now();
    const name = commandNameOf(interaction);
    const command = name === undefined ? undefined : commands.get(name);
    const note: InteractionNote = {};
    const fields = (): Record<string, unknown> => ({
      interactionId: interaction.id,
      command: name,
      guildId: interaction.guildId,
      latencyMs: Date.now() - interaction.createdTimestamp,
      handlerMs: Math.round(performance.now() - started),
      ...(note.reason === undefined ? {} : { reason: note.reason }),
      // The asker's words: only when an operator asked for debug logs (see README, LOG_LEVEL).
      ...(note.question !== undefined && ctx.logger.isLevelEnabled('debug')
        ? { question: note.question }
        : {}),
    });
    const count = (outcome: InteractionOutcome): void => {
      if (!metrics) return;
      metrics.interactions.inc({ command: name ?? 'unknown', outcome });
      if (note.answered !== undefined)
        metrics.answerSeconds.observe({ outcome }, (performance.now() - receivedAt) / 1000);
    };
    if (!command) {
      if (name !== undefined) ctx.logger.warn(fields(), 'interaction for an unknown command');
      if (interaction.isAutocomplete()) await interaction.respond([]).catch(() => undefined);
      else if (isRepliable(interaction))
        await sendPrivately(
          interaction,
          renderError('This command is not available any more. Try /ask or /source.'),
        ).catch(() => undefined);
      return;
    }
    try {
      await noting(note, () => run(interaction, command, ctx));
      const outcome = outcomeOf(note);
      count(outcome);
      ctx.logger.info({ ...fields(), outcome }, 'interaction handled');
    } catch (error) {
      count(isVerbatimError(error) ? 'refused' : 'error');
      await answerFailure(interaction, error, ctx, fields);
    }
  };
}

function isRepliable(interaction: BaseInteraction): interaction is Repliable {
  return (
    interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand() || interaction.isButton()
  );
}

async function answerFailure(
  interaction: Interaction,
  error: unknown,
  ctx: CommandContext,
  fields: () => Record<string, unknown>,
): Promise<void> {
  const userMistake = isVerbatimError(error);
  if (userMistake)
    ctx.logger.info({ ...fields(), outcome: 'refused', code: error.code }, 'interaction refused');
  else ctx.logger.error({ ...fields(), outcome: 'error', err: error }, 'interaction failed');
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
    } else if (isRepliable(interaction)) {
      await sendPrivately(interaction, userMistake ? renderError(error.message) : renderApology());
    }
  } catch (sendError) {
    // The interaction may have expired (3 s / 15 min): nothing more can reach the user.
    ctx.logger.warn({ ...fields(), err: sendError }, 'could not tell the user about a failure');
  }
}

/** For handlers that run a question: logged only at debug level, because questions are the users' words. */
export function logQuestion(ctx: CommandContext, interaction: BaseInteraction, question: string): void {
  ctx.logger.debug({ interactionId: interaction.id, question }, 'question');
}
