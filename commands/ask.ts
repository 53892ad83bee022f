/** /ask: the best passages for a question, each quoted exactly with its source. */
import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/core/index.ts';
import { answerButton, answerQuestion, RESULTS_RANGE } from '../src/discord/answer.ts';
import type { Command } from '../src/discord/command.ts';
import { documentChoices } from '../src/discord/choices.ts';

export const command = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Answer a question with exact quotes from the sources')
    .addStringOption((o) =>
      o
        .setName('question')
        .setDescription('What do you want to know?')
        .setRequired(true)
        .setMinLength(3)
        .setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption((o) =>
      o.setName('source').setDescription('Only quote this document').setAutocomplete(true),
    )
    .addIntegerOption((o) =>
      o
        .setName('results')
        .setDescription(
          `How many passages (${RESULTS_RANGE.min}–${RESULTS_RANGE.max}, default ${RESULTS_RANGE.default})`,
        )
        .setMinValue(RESULTS_RANGE.min)
        .setMaxValue(RESULTS_RANGE.max),
    )
    .addBooleanOption((o) =>
      o.setName('private').setDescription('Only you see the answer (default: the server’s choice)'),
    ),

  waitsForItsServer: true,

  async execute(interaction, ctx) {
    if (!interaction.isChatInputCommand()) return;
    await answerQuestion(interaction, ctx, {
      question: interaction.options.getString('question', true),
      source: interaction.options.getString('source') ?? undefined,
      results: interaction.options.getInteger('results') ?? RESULTS_RANGE.default,
      private: interaction.options.getBoolean('private') ?? undefined,
    });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(documentChoices(interaction, ctx, 'all'));
  },

  button: answerButton,
} satisfies Command;
