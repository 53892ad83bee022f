/**
 * /glossary add|remove|list: moderators teach the search their server's vocabulary ("TikTok owner" means
 * "ByteDance"; "Uighur" and "Uyghur" are one word). Entries change which passages are found, never what
 * a passage quotes.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { guildScope, MAX_GLOSSARY_TERM_CHARS } from '../src/core/index.ts';
import type { Command } from '../src/discord/command.ts';
import { MODERATOR_PERMISSION, requireModerator } from '../src/discord/permissions.ts';
import {
  renderGlossaryAdded,
  renderGlossaryChoices,
  renderGlossaryList,
  renderGlossaryRemoved,
} from '../src/discord/render-glossary.ts';

export const command = {
  data: new SlashCommandBuilder()
    .setName('glossary')
    .setDescription("Manage this server's glossary: words the search treats as meaning others (moderators)")
    .setDefaultMemberPermissions(MODERATOR_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Questions using the term also search for what it means')
        .addStringOption((o) =>
          o
            .setName('term')
            .setDescription('A word or name members use, e.g. "TikTok owner"')
            .setRequired(true)
            .setMaxLength(MAX_GLOSSARY_TERM_CHARS),
        )
        .addStringOption((o) =>
          o
            .setName('means')
            .setDescription('What the documents call it, e.g. "ByteDance"')
            .setRequired(true)
            .setMaxLength(MAX_GLOSSARY_TERM_CHARS),
        )
        .addBooleanOption((o) =>
          o
            .setName('both_ways')
            .setDescription('The two are interchangeable (e.g. Uighur and Uyghur); default: one way'),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription("Remove a term's entries")
        .addStringOption((o) =>
          o
            .setName('term')
            .setDescription('The term, as listed')
            .setRequired(true)
            .setAutocomplete(true)
            .setMaxLength(MAX_GLOSSARY_TERM_CHARS),
        )
        .addStringOption((o) =>
          o
            .setName('means')
            .setDescription('Only the entry with this meaning (default: every entry of the term)')
            .setMaxLength(MAX_GLOSSARY_TERM_CHARS),
        ),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription("This server's glossary and the shipped one")),

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    const guildId = requireModerator(interaction, 'the glossary');
    const scope = guildScope(guildId);
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === 'list') {
      const own = await ctx.library.glossary(scope);
      await interaction.reply(renderGlossaryList(own, ctx.library.shippedGlossary()));
      return;
    }
    if (subcommand === 'remove') {
      const means = interaction.options.getString('means') ?? undefined;
      const removed = await ctx.library.removeGlossaryEntry(
        scope,
        interaction.options.getString('term', true),
        means,
      );
      await interaction.reply(renderGlossaryRemoved(removed));
      return;
    }
    const entry = await ctx.library.addGlossaryEntry(
      scope,
      {
        term: interaction.options.getString('term', true),
        means: interaction.options.getString('means', true),
        bothWays: interaction.options.getBoolean('both_ways') ?? false,
      },
      { userId: interaction.user.id, userName: interaction.user.username },
    );
    await interaction.reply(renderGlossaryAdded(entry));
  },

  async autocomplete(interaction, ctx) {
    // Only moderators see the server's entries; anyone else gets no suggestion, not an error.
    if (!interaction.inGuild() || !interaction.memberPermissions.has(MODERATOR_PERMISSION)) {
      await interaction.respond([]);
      return;
    }
    const entries = await ctx.library.glossary(guildScope(interaction.guildId));
    await interaction.respond(renderGlossaryChoices(entries, String(interaction.options.getFocused())));
  },
} satisfies Command;
