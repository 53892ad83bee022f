/**
 * Moderator checks. The command data already asks Discord to show moderator commands only to members
 * with Manage Server; the handler checks again because server admins can override that default.
 */
import { PermissionFlagsBits } from 'discord.js';
import type { BaseInteraction } from 'discord.js';
import { VerbatimError } from '../core/index.ts';

/** What moderator commands require, for their `default_member_permissions`. */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageGuild;

/**
 * The server's id when the member may manage it; throws VerbatimError NOT_PERMITTED otherwise, saying
 * they cannot change `what`.
 */
export function requireModerator(interaction: BaseInteraction, what = 'the sources'): string {
  if (!interaction.inGuild() || interaction.guildId === null) {
    throw new VerbatimError('NOT_PERMITTED', 'This command works only inside a server.');
  }
  if (!interaction.memberPermissions?.has(MODERATOR_PERMISSION)) {
    throw new VerbatimError(
      'NOT_PERMITTED',
      `Only members with the Manage Server permission can change ${what}. Ask a moderator.`,
    );
  }
  return interaction.guildId;
}
