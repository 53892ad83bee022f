/**
 * Telling a moderator that a change was stored, when Discord will not take the edit of the deferred reply.
 * The document is stored whatever happens here, so a failure must neither reach the error boundary (it
 * would try to edit in an apology for something that worked) nor leave "thinking…" until it expires: the
 * edit is tried again, then the confirmation goes out as a private follow-up, and the log says which way
 * it went. discord.js already retries a 5xx three times inside each attempt.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from './command.ts';
import type { Payload } from './render.ts';

/** Attempts at the edit, and the pause before each retry. */
const RETRY_PAUSES_MS = [500];

export async function confirmStored(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  payload: Payload,
  ctx: Pick<CommandContext, 'logger'>,
): Promise<void> {
  const { flags: _private, ...edit } = payload;
  const fields = { interactionId: interaction.id, guildId: interaction.guildId };
  let lastError: unknown;
  for (let attempt = 0; attempt <= RETRY_PAUSES_MS.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSES_MS[attempt - 1]));
    try {
      await interaction.editReply(edit);
      if (attempt > 0)
        ctx.logger.info({ ...fields, attempts: attempt + 1 }, 'stored; the reply was edited on a retry');
      return;
    } catch (error) {
      lastError = error;
    }
  }
  try {
    await interaction.followUp({ ...edit, flags: 'Ephemeral' });
    ctx.logger.warn(
      { ...fields, err: lastError },
      'stored; the deferred reply could not be edited, told by follow-up',
    );
  } catch (error) {
    ctx.logger.error(
      { ...fields, err: error, editError: lastError },
      'stored, but the moderator could not be told: Discord refused the edit and the follow-up',
    );
  }
}
