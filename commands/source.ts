/** /source: the documents this server can quote (paged), or one document's details. */
import { SlashCommandBuilder } from 'discord.js';
import { scopeOf } from '../src/discord/answer.ts';
import type { Command, CommandContext } from '../src/discord/command.ts';
import { documentChoices } from '../src/discord/choices.ts';
import { renderDocumentDetails, renderSourceList } from '../src/discord/render-documents.ts';
import { describeSemanticStatus } from '../src/library.ts';

function pageButton(ctx: CommandContext, guildId: string | null): (page: number) => string {
  return (page) => ctx.buttonState.customId('source', 'page', { n: page }, guildId);
}

export const command = {
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription('List the documents the bot quotes, or show one')
    .addStringOption((o) => o.setName('document').setDescription('Show this document').setAutocomplete(true)),

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    const scope = scopeOf(interaction);
    const id = interaction.options.getString('document');
    if (id) await interaction.reply(renderDocumentDetails(ctx.library.describe(id, scope)));
    else
      await interaction.reply(
        renderSourceList(
          ctx.library.list(scope),
          0,
          pageButton(ctx, interaction.guildId),
          describeSemanticStatus(ctx.library.semanticStatus(scope)),
        ),
      );
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(documentChoices(interaction, ctx, 'all'));
  },

  async button(interaction, ctx) {
    const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
    const page = typeof click.data.n === 'number' ? click.data.n : 0;
    // The list is read again for the server where the click happened, never from the button's state.
    const { flags: _private, ...update } = renderSourceList(
      ctx.library.list(scopeOf(interaction)),
      page,
      pageButton(ctx, interaction.guildId),
      describeSemanticStatus(ctx.library.semanticStatus(scopeOf(interaction))),
    );
    await interaction.update(update);
  },
} satisfies Command;
