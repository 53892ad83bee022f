/**
 * Auto-answer: in the channels a server listed with `/settings auto-answer`, the bot answers each new forum
 * post (the thread's starter message) and each message that mentions it, with its best passages, but only
 * when the no-answer rule says the sources answer; otherwise it says nothing (and records the question for
 * `/insights`, where the server's insights are on). It never answers a bot (itself
 * included), a webhook or a system message, and answers at most `perChannel.limit` times per window in one
 * channel (a busy channel gets silence, not a flood). Runs only when the bot has the Message Content intent
 * (auto-answer-intent.ts).
 */
import { ChannelType } from 'discord.js';
import type { Message } from 'discord.js';
import { guildScope, isVerbatimError } from '../core/index.ts';
import type { AskResult } from '../core/index.ts';
import { answerPayload, RESULTS_RANGE } from './answer.ts';
import type { CommandContext } from './command.ts';
import { Cooldowns } from './cooldown.ts';
import type { CooldownOptions } from './cooldown.ts';
import { recordAnswer } from './feedback.ts';
import { asQuestion } from './question-text.ts';

/** Answers per channel: 5 a minute. */
export const AUTO_ANSWER_PACE: Pick<CooldownOptions, 'limit' | 'windowMs'> = { limit: 5, windowMs: 60_000 };

/** A question the sources did not answer, for whoever records them. */
export interface DeclinedQuestion {
  guildId: string;
  channelId: string;
  question: string;
  reason: AskResult['reason'];
}

export interface AutoAnswerOptions {
  /** Per-channel pacing. Default AUTO_ANSWER_PACE. */
  pace?: Partial<CooldownOptions>;
  /**
   * Called for a question auto-answer stayed silent on, after it is recorded for `/insights` (when the
   * server's insights are on): for tests and whoever else wants to know.
   */
  onDeclined?: (question: DeclinedQuestion) => void | Promise<void>;
}

/** What a message asks, when it is one auto-answer should consider in this channel list; else undefined. */
function questionOf(message: Message<true>, channels: readonly string[], botId: string): string | undefined {
  const channel = message.channel;
  if (channel.isThread()) {
    // A new forum post: its starter message has the thread's id. Later replies in the thread are left alone.
    const isForumPost =
      channel.parent?.type === ChannelType.GuildForum &&
      channel.parentId !== null &&
      channels.includes(channel.parentId) &&
      message.id === channel.id;
    return isForumPost ? `${channel.name}\n${message.content}` : undefined;
  }
  if (!channels.includes(channel.id) || !message.mentions.users.has(botId)) return undefined;
  return message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
}

/** The MessageCreate listener; never throws (failures are logged). */
export function createAutoAnswer(
  ctx: CommandContext,
  botId: () => string,
  options: AutoAnswerOptions = {},
): (message: Message) => Promise<void> {
  const pacing = new Cooldowns({ ...AUTO_ANSWER_PACE, ...options.pace });
  return async (message) => {
    if (message.author.bot || message.author.id === botId() || message.webhookId !== null || message.system)
      return;
    if (!message.inGuild()) return;
    try {
      const settings = await ctx.library.settings(message.guildId);
      if (settings.autoAnswerChannels.length === 0) return;
      const asked = questionOf(message, settings.autoAnswerChannels, botId());
      if (asked === undefined) return;
      const question = asQuestion(asked.replace(/\s+/g, ' '));
      if (question.length < 3) return;
      const channelKey = message.channel.isThread()
        ? (message.channel.parentId ?? message.channelId)
        : message.channelId;
      try {
        pacing.take(channelKey);
      } catch {
        ctx.logger.info({ guildId: message.guildId, channelId: channelKey }, 'auto-answer paced: silent');
        return;
      }
      const scope = guildScope(message.guildId);
      const askOptions = { scope, limit: RESULTS_RANGE.default };
      const result = await ctx.library.ask(question, askOptions);
      if (!result.answered || result.passages.length === 0) {
        ctx.logger.info({ guildId: message.guildId, reason: result.reason }, 'auto-answer declined: silent');
        // Silent here, but not lost: the moderators see it among the declined questions in /insights.
        if (settings.insights) recordAnswer(ctx, scope, question, askOptions, result, 0, 'auto');
        await options.onDeclined?.({
          guildId: message.guildId,
          channelId: message.channelId,
          question,
          reason: result.reason,
        });
        return;
      }
      const payload = await answerPayload(
        ctx,
        message.guildId,
        { question, results: RESULTS_RANGE.default, private: false },
        0,
        { id: message.author.id, name: message.author.username },
        'auto',
        result,
      );
      await message.reply({
        content: payload.content ?? '',
        embeds: payload.embeds,
        components: payload.components,
        // Nobody is notified: not the asker (a reply would ping them by default), not anyone quoted.
        allowedMentions: { ...payload.allowedMentions, repliedUser: false },
      });
      ctx.logger.info({ guildId: message.guildId, channelId: message.channelId }, 'auto-answered');
    } catch (error) {
      // A user error here (still loading, a question the library refuses) has nobody to tell: stay silent.
      if (isVerbatimError(error))
        ctx.logger.info({ guildId: message.guildId, code: error.code }, 'auto-answer refused: silent');
      else ctx.logger.error({ guildId: message.guildId, err: error }, 'auto-answer failed');
    }
  };
}
