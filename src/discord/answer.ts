/**
 * Answering a question, shared by /ask, the "Find sources" menu and the answer's buttons (more results,
 * context, post to channel). Reads nothing from the interaction but who and where; the library answers
 * and the renderer writes.
 */
import { MessageFlags } from 'discord.js';
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { guildScope, MAX_RESULTS, VerbatimError } from '../core/index.ts';
import type { AskResult, Scope } from '../core/index.ts';
import type { QuestionOrigin } from '../store/db/insights.ts';
import type { CommandContext } from './command.ts';
import { logQuestion } from './dispatch.ts';
import { recordAnswer, vote, voteButtons } from './feedback.ts';
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

/**
 * The answer message for `request`, showing passages from `offset` on. The question is recorded for
 * `/insights` (and the answer carries vote buttons) unless the server turned insights off.
 */
export async function answerPayload(
  ctx: CommandContext,
  guildId: string | null,
  request: AskRequest,
  offset: number,
  asker: { id: string; name?: string },
  origin: QuestionOrigin,
  /** The library's answer when the caller already asked (auto-answer decides on it before replying). */
  asked?: AskResult,
): Promise<Payload> {
  const scope = scopeOf({ guildId });
  // Throws UNKNOWN_DOCUMENT (with what to do) for a document this server cannot see.
  if (request.source) ctx.library.describe(request.source, scope);
  const limit = Math.min(MAX_RESULTS, offset + request.results);
  const askOptions = {
    ...(scope ? { scope } : {}),
    limit,
    ...(request.source ? { documentIds: [request.source] } : {}),
  };
  const result = asked ?? (await ctx.library.ask(request.question, askOptions));
  const recording = guildId !== null && (await ctx.library.settings(guildId)).insights;
  const answerKey = recording
    ? recordAnswer(ctx, scope, request.question, askOptions, result, offset, origin)
    : undefined;
  const passages = result.passages.slice(offset);
  if (!result.answered || passages.length === 0) {
    return offset === 0
      ? renderNoAnswer(result)
      : renderNotice('No more passages answer this question. Try other words, or see /source.');
  }
  // `u`: who asked, so that only the asker's clicks may answer in public (the state is signed, so it holds).
  // `o`: this page's offset, for "Back to the answer" after a context shown in place; `w`: the heading names
  // the asker (a posted answer). One object for every button, so a long question is cached once.
  const base = {
    q: request.question,
    n: request.results,
    u: asker.id,
    o: offset,
    ...(request.source ? { s: request.source } : {}),
    ...(asker.name === undefined ? {} : { w: true }),
  };
  const firstRow: Button[] = [];
  if (result.passages.length === limit && limit < MAX_RESULTS) {
    firstRow.push({
      customId: ctx.buttonState.customId(
        ANSWER_BUTTONS,
        'more',
        { o: limit, p: request.private },
        guildId,
        base,
      ),
      label: 'More results',
      style: 'primary',
    });
  }
  if (request.private) {
    firstRow.push({
      customId: ctx.buttonState.customId(ANSWER_BUTTONS, 'post', {}, guildId, base),
      label: 'Post to channel',
    });
  }
  // A private answer's context is private anyway: its buttons carry no question.
  const contextRow: Button[] = passages.map((passage, index) => ({
    customId: request.private
      ? ctx.buttonState.customId(
          ANSWER_BUTTONS,
          'ctx',
          { d: passage.documentId, p: passage.paragraph },
          guildId,
        )
      : ctx.buttonState.customId(
          ANSWER_BUTTONS,
          'ctx',
          { d: passage.documentId, p: passage.paragraph },
          guildId,
          base,
        ),
    label: `Context of ${offset + index + 1} (¶${passage.paragraph})`,
  }));
  return renderAnswer(passages, {
    private: request.private,
    heading: askedHeading(request.question, asker.name),
    buttons: [
      firstRow,
      contextRow,
      answerKey === undefined ? [] : voteButtons(ctx, ANSWER_BUTTONS, answerKey, guildId),
    ],
  });
}

/**
 * Whether an answer may be public where `interaction` happened: the server's `/settings public-channel`
 * list (a thread counts as its parent channel); an empty list allows every channel.
 */
async function publicAllowedAt(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction,
  ctx: CommandContext,
): Promise<boolean> {
  if (interaction.guildId === null) return true;
  const { publicChannels } = await ctx.library.settings(interaction.guildId);
  if (publicChannels.length === 0) return true;
  const parentId = interaction.channel?.isThread() ? interaction.channel.parentId : null;
  return publicChannels.some((id) => id === interaction.channelId || id === parentId);
}

/**
 * Runs a question from a slash command or a context menu, within the asker's cooldown. `private`
 * undefined: the asker did not choose, and the server's default applies; outside the server's public
 * channels the answer is private whatever was asked.
 */
export async function answerQuestion(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  ctx: CommandContext,
  asked: Omit<AskRequest, 'private'> & { private: boolean | undefined },
): Promise<void> {
  ctx.cooldowns.take(interaction.user.id);
  logQuestion(ctx, interaction, asked.question);
  const byDefault =
    asked.private ??
    (interaction.guildId === null
      ? false
      : (await ctx.library.settings(interaction.guildId)).answers === 'private');
  const request: AskRequest = { ...asked, private: byDefault || !(await publicAllowedAt(interaction, ctx)) };
  const answer = (): Promise<Payload> =>
    answerPayload(
      ctx,
      interaction.guildId,
      request,
      0,
      { id: interaction.user.id },
      interaction.isChatInputCommand() ? 'ask' : 'menu',
    );
  const scope = interaction.guildId === null ? undefined : guildScope(interaction.guildId);
  // With the server's index in memory the search takes milliseconds, plus at most SEMANTIC_DEADLINE_MS for
  // the question's vector: well inside Discord's 3 seconds, so no deferral is needed.
  if (scope === undefined || (await ctx.library.prepare(scope, QUICK_LOAD_MS))) {
    await interaction.reply(resolvedReply(interaction, await answer()));
    return;
  }
  // Its index is still coming into memory (a large server after a restart takes seconds): waiting longer
  // before the first reply missed Discord's 3 seconds (`npm run bench -- --only stored` counted hundreds
  // of such misses). Defer, wait for the load, answer.
  await interaction.deferReply(request.private ? { flags: MessageFlags.Ephemeral } : {});
  await ctx.library.prepare(scope, DEFERRED_LOAD_WAIT_MS);
  const payload = await answer();
  const privately = payload.flags === MessageFlags.Ephemeral;
  if (privately && !request.private) {
    // A public "thinking…" cannot become private: it goes, and the private message follows.
    await interaction.deleteReply();
    await interaction.followUp(payload);
  } else {
    const { flags: _flags, ...edit } = payload;
    await interaction.editReply(edit);
  }
}

/**
 * How long a question waits for its server's index before deferring: a small server comes into memory in
 * milliseconds and is answered at once, without a "thinking…" first.
 */
const QUICK_LOAD_MS = 300;
/** How long a deferred question waits for its server's index before it says "still loading". */
const DEFERRED_LOAD_WAIT_MS = 10_000;

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

/** The asker as the heading names them: by name on an answer that was posted from a private one. */
function askerOf(
  interaction: ButtonInteraction,
  data: Record<string, unknown>,
): { id: string; name?: string } {
  return data.w === true
    ? { id: interaction.user.id, name: interaction.user.username }
    : { id: interaction.user.id };
}

/**
 * Shows `payload` in place of the clicked message (the asker's own public answer), or as a new reply when
 * it is private (a "nothing more" notice, an error): a private note must never replace a public answer.
 */
async function showInPlace(interaction: ButtonInteraction, payload: Payload): Promise<void> {
  if (payload.flags !== undefined) {
    await interaction.reply(resolvedReply(interaction, payload));
    return;
  }
  // Every field is given, so nothing of the old message (its content, its embeds) stays behind.
  await interaction.update({
    content: payload.content ?? '',
    embeds: payload.embeds,
    components: payload.components,
    allowedMentions: payload.allowedMentions,
  });
}

/**
 * The answer buttons: more results, the paragraphs around a passage, post a private answer publicly. Each
 * click searches or reads, so it takes from the clicker's /ask budget. On a public answer, the asker's
 * "More results" and "Context" change that answer in place (no new message in the channel for each click);
 * anyone else who clicks gets their result privately. Only the asker may post in public.
 */
export async function answerButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
  ctx.cooldowns.take(interaction.user.id);
  const { data } = click;
  const offset = typeof data.o === 'number' ? data.o : 0;
  const clicker = { id: interaction.user.id, name: interaction.user.username };
  const byAsker = data.u === clicker.id;
  // A public answer's own buttons carry its question (a private answer's context buttons do not).
  const onPublicAnswer = data.p !== true && typeof data.q === 'string';
  switch (click.action) {
    case 'more': {
      if (byAsker && onPublicAnswer) {
        const request = requestFrom(data, false);
        await showInPlace(
          interaction,
          await answerPayload(
            ctx,
            interaction.guildId,
            request,
            offset,
            askerOf(interaction, data),
            'button',
          ),
        );
        return;
      }
      await interaction.reply(
        resolvedReply(
          interaction,
          await answerPayload(
            ctx,
            interaction.guildId,
            requestFrom(data, data.p === true || !byAsker),
            offset,
            { id: clicker.id },
            'button',
          ),
        ),
      );
      return;
    }
    case 'post':
      if (!(await publicAllowedAt(interaction, ctx)))
        throw new VerbatimError(
          'NOT_PERMITTED',
          'Answers stay private in this channel: the moderators chose where /ask may answer publicly.',
        );
      await interaction.reply(
        resolvedReply(
          interaction,
          await answerPayload(
            ctx,
            interaction.guildId,
            requestFrom(data, !byAsker),
            offset,
            clicker,
            'button',
          ),
        ),
      );
      return;
    case 'ctx': {
      const scope = scopeOf(interaction);
      const id = text(data.d) ?? '';
      const paragraph = typeof data.p === 'number' ? data.p : 1;
      const passages = ctx.library.around(id, paragraph, CONTEXT_RADIUS, scope);
      if (byAsker && onPublicAnswer && passages.length > 0) {
        const request = requestFrom(data, false);
        const asker = askerOf(interaction, data);
        const { p: _paragraph, d: _document, ...answerState } = data;
        const back: Button = {
          customId: ctx.buttonState.customId(
            ANSWER_BUTTONS,
            'more',
            { ...answerState, o: offset, p: false },
            interaction.guildId,
          ),
          label: 'Back to the answer',
          style: 'primary',
        };
        await showInPlace(
          interaction,
          renderContext(passages, paragraph, {
            heading: askedHeading(request.question, asker.name),
            buttons: [[back]],
            private: false,
          }),
        );
        return;
      }
      await interaction.reply(resolvedReply(interaction, renderContext(passages, paragraph)));
      return;
    }
    case 'vote':
      await vote(interaction, ctx, data);
      return;
    default:
      throw new Error(`unknown answer button action: ${click.action}`);
  }
}
