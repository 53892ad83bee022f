/** "Find sources" (message menu, anyone): asks the message's text as the question, privately. */
import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import { VerbatimError } from '../src/core/index.ts';
import { answerQuestion } from '../src/discord/answer.ts';
import type { Command } from '../src/discord/command.ts';

/** The longest question /ask takes; a longer message is cut at the last space before it. */
const QUESTION_MAX = 300;

function asQuestion(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= QUESTION_MAX) return trimmed;
  const cut = trimmed.lastIndexOf(' ', QUESTION_MAX);
  return trimmed.slice(0, cut > 0 ? cut : QUESTION_MAX);
}

export const command = {
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),

  async execute(interaction, ctx) {
    if (!interaction.isMessageContextMenuCommand()) return;
    const question = asQuestion(interaction.targetMessage.content);
    if (question === '')
      throw new VerbatimError('BAD_OPTION', 'That message has no text to look up in the sources.');
    await answerQuestion(interaction, ctx, { question, results: 3, private: true });
  },
} satisfies Command;
