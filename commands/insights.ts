/** /insights view|export|clear: what members asked and did not get, for moderators (Manage Server). */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { SlashCommandSubcommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import {
  askToClear,
  DEFAULT_PERIOD,
  exportInsights,
  insightsButton,
  PERIODS,
  showInsights,
} from '../src/discord/insights-view.ts';
import { MODERATOR_PERMISSION } from '../src/discord/permissions.ts';

function withPeriod(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub.addIntegerOption((o) =>
    o
      .setName('period')
      .setDescription(`How far back, in days (default ${DEFAULT_PERIOD})`)
      .addChoices(...PERIODS.map((days) => ({ name: `last ${days} days`, value: days }))),
  );
}

export const command = {
  data: new SlashCommandBuilder()
    .setName('insights')
    .setDescription('What members asked: unanswered questions, answers voted down, documents used')
    .setDefaultMemberPermissions(MODERATOR_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      withPeriod(sub.setName('view').setDescription('The report, with a chart per week')),
    )
    .addSubcommand((sub) => withPeriod(sub.setName('export').setDescription('Every stored question as CSV')))
    .addSubcommand((sub) =>
      sub.setName('clear').setDescription("Erase this server's stored questions and votes"),
    ),

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    const days = interaction.options.getInteger('period') ?? DEFAULT_PERIOD;
    switch (interaction.options.getSubcommand()) {
      case 'view':
        await showInsights(interaction, ctx, days);
        return;
      case 'export':
        await exportInsights(interaction, ctx, days);
        return;
      case 'clear':
        await askToClear(interaction, ctx);
        return;
    }
  },

  button: insightsButton,
} satisfies Command;
