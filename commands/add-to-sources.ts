/** "Add to sources" (message menu, moderators): the message becomes a document, its author and link the source. */
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType } from 'discord.js';
import { guildScope, VerbatimError } from '../src/core/index.ts';
import type { Command } from '../src/discord/command.ts';
import { MODERATOR_PERMISSION, requireModerator } from '../src/discord/permissions.ts';
import { renderDocumentChanged } from '../src/discord/render-documents.ts';
import { shorten } from '../src/discord/render.ts';

export const command = {
  data: new ContextMenuCommandBuilder()
    .setName('Add to sources')
    .setType(ApplicationCommandType.Message)
    .setDefaultMemberPermissions(MODERATOR_PERMISSION)
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    if (!interaction.isMessageContextMenuCommand()) return;
    const guildId = requireModerator(interaction);
    const message = interaction.targetMessage;
    const text = message.content.trim();
    if (text === '')
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        'That message has no text to add (only its written text can become a source).',
      );
    const firstLine = text.split('\n')[0] ?? text;
    await interaction.deferReply({ flags: 'Ephemeral' });
    const summary = await ctx.library.add({
      scope: guildScope(guildId),
      source: { kind: 'text', text },
      title: shorten(`${firstLine} (message by ${message.author.username})`, 200),
      publisher: message.author.username,
      date: message.createdAt.toISOString().slice(0, 10),
      url: message.url,
      actor: { userId: interaction.user.id, userName: interaction.user.username },
    });
    const { flags: _private, ...edit } = renderDocumentChanged('Added', summary);
    await interaction.editReply(edit);
  },
} satisfies Command;
