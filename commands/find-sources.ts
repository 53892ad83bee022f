/** "Find sources" (message menu, anyone): asks the message's text as the question, privately. */
import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { VerbatimError } from '../src/core/index.ts';
import { answerQuestion, RESULTS_RANGE } from '../src/discord/answer.ts';
import type { Command } from '../src/discord/command.ts';
import { asQuestion } from '../src/discord/question-text.ts';

export const command = {
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),
  waitsForItsServer: true,

  async execute(interaction, ctx) {
    if (!interaction.isMessageContextMenuCommand()) return;
    const question = asQuestion(interaction.targetMessage.content);
    if (question === '')
      throw new VerbatimError('BAD_OPTION', 'That message has no text to look up in the sources.');
    await answerQuestion(interaction, ctx, { question, results: RESULTS_RANGE.default, private: true });
  },
} satisfies Command;
