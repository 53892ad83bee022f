/**
 * Closing the loop on answers: every question asked in a server is recorded for `/insights` (its words,
 * answered or declined and why, the passages shown and their ranks, no user id), and every answer carries
 * "Answered it" / "Didn't answer" buttons. A vote is kept once per member per answer under a salted hash
 * of the two (the salt stays in DATA_DIR), so a member can change it and nobody can tell who voted.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ButtonInteraction } from 'discord.js';
import type { AskOptions, AskResult, Scope } from '../core/index.ts';
import { guildScope, VerbatimError } from '../core/index.ts';
import type { QuestionOrigin } from '../store/db/insights.ts';
import type { CommandContext } from './command.ts';
import type { Button } from './render.ts';
import { renderNotice } from './render.ts';
import { resolvedReply } from './reply-body.ts';

/** Random bytes of an answer key: unguessable, so no one votes on an answer they were not shown. */
const ANSWER_KEY_BYTES = 9;

/**
 * Records `result` (the passages from `offset` on were shown) for the server's insights; returns the
 * answer's key for its vote buttons, or undefined where nothing is recorded (a DM, no database). The
 * write goes on in the background: a failure is logged, never shown to the asker.
 */
export function recordAnswer(
  ctx: CommandContext,
  scope: Scope | undefined,
  question: string,
  askOptions: AskOptions,
  result: AskResult,
  offset: number,
  origin: QuestionOrigin,
): string | undefined {
  const insights = ctx.library.insights;
  // "More results" past the last passage is not a new question.
  if (insights === undefined || scope === undefined || (offset > 0 && result.passages.length <= offset))
    return undefined;
  const answerKey = randomBytes(ANSWER_KEY_BYTES).toString('base64url');
  // The same analysis as the search: its terms are the question's normalised words; its best candidate is
  // what a declined question came nearest to (both group "the same question in other words").
  const explained = ctx.library.explain(question, askOptions);
  const best = explained.candidates[0];
  const shown = result.passages.slice(offset);
  insights
    .record({
      answerKey,
      scope,
      question: result.question,
      words: [...new Set(explained.terms.map((term) => term.term))].sort(),
      answered: result.answered && shown.length > 0,
      reason: result.answered ? undefined : result.reason,
      origin,
      passages: shown.map((passage, index) => ({
        documentId: passage.documentId,
        paragraph: passage.paragraph,
        rank: offset + index + 1,
      })),
      best: best === undefined ? undefined : { documentId: best.documentId, paragraph: best.paragraph },
    })
    .catch((error: unknown) =>
      ctx.logger.warn({ err: error, scope }, 'Could not record a question for insights'),
    );
  return answerKey;
}

/** The row of vote buttons for an answer. */
export function voteButtons(
  ctx: CommandContext,
  command: string,
  answerKey: string,
  guildId: string | null,
): Button[] {
  return [
    {
      customId: ctx.buttonState.customId(command, 'vote', { a: answerKey, v: 1 }, guildId),
      label: 'Answered it',
      style: 'success',
    },
    {
      customId: ctx.buttonState.customId(command, 'vote', { a: answerKey, v: 0 }, guildId),
      label: 'Didn’t answer',
      style: 'danger',
    },
  ];
}

/** A click on a vote button (its state already read and signed): stored, and acknowledged privately. */
export async function vote(
  interaction: ButtonInteraction,
  ctx: CommandContext,
  data: Record<string, unknown>,
): Promise<void> {
  const insights = ctx.library.insights;
  const answerKey = typeof data.a === 'string' ? data.a : '';
  const helpful = data.v === 1;
  const guildId = interaction.guildId;
  if (insights === undefined || guildId === null || answerKey === '') {
    throw new VerbatimError('BAD_OPTION', 'Votes are only kept for answers in a server.');
  }
  const scope = guildScope(guildId);
  const voter = createHmac('sha256', ctx.voterSalt)
    .update(`${interaction.user.id}\n${answerKey}`)
    .digest('base64url');
  const outcome = await insights.vote(scope, answerKey, voter, helpful);
  const label = helpful ? '“Answered it”' : '“Didn’t answer”';
  const sentence = {
    recorded: `Thanks: your vote ${label} is recorded. You can change it with the other button.`,
    changed: `Your vote is now ${label}.`,
    unchanged: `Your vote was already ${label}.`,
    'unknown-answer':
      'This answer is no longer kept (its server erased its insights, or they passed their retention), so the vote was not recorded.',
  }[outcome];
  await interaction.reply(resolvedReply(interaction, renderNotice(sentence)));
}
