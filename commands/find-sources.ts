/** "Find sources" (message menu, anyone): asks the message's text as the question, privately. */
import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS, VerbatimError } from '../src/core/index.ts';
import { answerQuestion, RESULTS_RANGE } from '../src/discord/answer.ts';
import type { Command } from '../src/discord/command.ts';

/** The message's text as a question: a message longer than /ask takes is cut at the last space before it. */
function asQuestion(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_QUESTION_CHARS) return trimmed;
  const cut = trimmed.lastIndexOf(' ', MAX_QUESTION_CHARS);
  return trimmed.slice(0, cut > 0 ? cut : MAX_QUESTION_CHARS);
}

export const command = {
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),

  async execute(interaction, ctx) {
    if (!interaction.isMessageContextMenuCommand()) return;
    const question = asQuestion(interaction.targetMessage.content);
    if (question === '')
      throw new VerbatimError('BAD_OPTION', 'That message has no text to look up in the sources.');
    await answerQuestion(interaction, ctx, { question, results: RESULTS_RANGE.default, private: true });
  },
} satisfies Command;
