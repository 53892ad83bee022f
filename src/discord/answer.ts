/**
 * Answering a question, shared by /ask, the "Find sources" menu and the answer's buttons (more results,
 * context, post to channel). Reads nothing from the interaction but who and where; the library answers
 * and the renderer writes.
 */
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { guildScope, MAX_RESULTS } from '../core/index.ts';
import type { Scope } from '../core/index.ts';
import type { CommandContext } from './command.ts';
import { logQuestion } from './dispatch.ts';
import type { Button, Payload } from './render.ts';
import { askedHeading, renderAnswer, renderContext, renderNoAnswer, renderNotice } from './render.ts';
import { resolvedReply } from './reply-body.ts';

/** The command whose button handler serves answer buttons. */
export const ANSWER_BUTTONS = 'ask';
/** Passages per message: the `results` option's range and what is shown when the asker does not say. */
export const RESULTS_RANGE = { min: 1, max: 5, default: 3 } as const;
/** Paragraphs shown on each side of a quoted one by the context button. */
export const CONTEXT_RADIUS = 1;

export interface AskRequest {
  question: string;
  /** Restrict to one document id. */
  source?: string | undefined;
  /** Passages per message, 1–5. */
  results: number;
  private: boolean;
}

export function scopeOf(interaction: { guildId: string | null }): Scope | undefined {
  return interaction.guildId ? guildScope(interaction.guildId) : undefined;
}

/** The answer message for `request`, showing passages from `offset` on. */
export function answerPayload(
  ctx: CommandContext,
  guildId: string | null,
  request: AskRequest,
  offset: number,
  asker: { id: string; name?: string },
): Payload {
  const scope = scopeOf({ guildId });
  // Throws UNKNOWN_DOCUMENT (with what to do) for a document this server cannot see.
  if (request.source) ctx.library.describe(request.source, scope);
  const limit = Math.min(MAX_RESULTS, offset + request.results);
  const result = ctx.library.ask(request.question, {
    ...(scope ? { scope } : {}),
    limit,
    ...(request.source ? { documentIds: [request.source] } : {}),
  });
  const passages = result.passages.slice(offset);
  if (!result.answered || passages.length === 0) {
    return offset === 0
      ? renderNoAnswer(result)
      : renderNotice('No more passages answer this question. Try other words, or see /source.');
  }
  // `u`: who asked, so that only the asker's clicks may answer in public (the state is signed, so it holds).
  const base = {
    q: request.question,
    n: request.results,
    u: asker.id,
    ...(request.source ? { s: request.source } : {}),
  };
  const firstRow: Button[] = [];
  if (result.passages.length === limit && limit < MAX_RESULTS) {
    firstRow.push({
      customId: ctx.buttonState.customId(
        ANSWER_BUTTONS,
        'more',
        { ...base, o: limit, p: request.private },
        guildId,
      ),
      label: 'More results',
      style: 'primary',
    });
  }
  if (request.private) {
    firstRow.push({
      customId: ctx.buttonState.customId(ANSWER_BUTTONS, 'post', { ...base, o: offset }, guildId),
      label: 'Post to channel',
    });
  }
  const contextRow: Button[] = passages.map((passage, index) => ({
    customId: ctx.buttonState.customId(
      ANSWER_BUTTONS,
      'ctx',
      { d: passage.documentId, p: passage.paragraph },
      guildId,
    ),
    label: `Context of ${offset + index + 1} (¶${passage.paragraph})`,
  }));
  return renderAnswer(passages, {
    private: request.private,
    heading: askedHeading(request.question, asker.name),
    buttons: [firstRow, contextRow],
  });
}

/** Runs a question from a slash command or a context menu, within the asker's cooldown. */
export async function answerQuestion(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  ctx: CommandContext,
  request: AskRequest,
): Promise<void> {
  ctx.cooldowns.take(interaction.user.id);
  logQuestion(ctx, interaction, request.question);
  // The search is in memory and takes milliseconds, well inside Discord's 3 seconds: no deferral needed.
  await interaction.reply(
    resolvedReply(
      interaction,
      answerPayload(ctx, interaction.guildId, request, 0, { id: interaction.user.id }),
    ),
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function requestFrom(data: Record<string, unknown>, isPrivate: boolean): AskRequest {
  return {
    question: text(data.q) ?? '',
    source: text(data.s),
    results: typeof data.n === 'number' ? data.n : RESULTS_RANGE.default,
    private: isPrivate,
  };
}

/**
 * The answer buttons: more results, the paragraphs around a passage, post a private answer publicly. Each
 * click searches or reads, so it takes from the clicker's /ask budget. Only the asker's own clicks may
 * answer in public: anyone else who clicks a public answer's button gets their result privately.
 */
export async function answerButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
  ctx.cooldowns.take(interaction.user.id);
  const { data } = click;
  const offset = typeof data.o === 'number' ? data.o : 0;
  const clicker = { id: interaction.user.id, name: interaction.user.username };
  const byAsker = data.u === clicker.id;
  switch (click.action) {
    case 'more':
      await interaction.reply(
        resolvedReply(
          interaction,
          answerPayload(ctx, interaction.guildId, requestFrom(data, data.p === true || !byAsker), offset, {
            id: clicker.id,
          }),
        ),
      );
      return;
    case 'post':
      await interaction.reply(
        resolvedReply(
          interaction,
          answerPayload(ctx, interaction.guildId, requestFrom(data, !byAsker), offset, clicker),
        ),
      );
      return;
    case 'ctx': {
      const scope = scopeOf(interaction);
      const id = text(data.d) ?? '';
      const paragraph = typeof data.p === 'number' ? data.p : 1;
      const passages = ctx.library.around(id, paragraph, CONTEXT_RADIUS, scope);
      await interaction.reply(resolvedReply(interaction, renderContext(passages, paragraph)));
      return;
    }
    default:
      throw new Error(`unknown answer button action: ${click.action}`);
  }
}
