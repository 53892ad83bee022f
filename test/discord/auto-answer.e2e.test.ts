/**
 * Auto-answer end to end through the real discord.js client: a forum post or a mention in a listed channel
 * is answered with quotes only when the sources answer; the bot stays silent otherwise, for bots, outside
 * the listed channels and past the per-channel pace; it asks for the Message Content intent only when
 * configured to and granted, and `/settings auto-answer` refuses in one sentence when it is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, ChannelType, GatewayIntentBits } from 'discord.js';
import type { APIMessage } from 'discord.js';
import { guildScope } from '../../src/core/index.ts';
import type { DeclinedQuestion } from '../../src/discord/auto-answer.ts';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { FakeGuild } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const CONFIDENT = 'Why did UK civil servants go to China?';
const UNANSWERABLE = 'banana bread recipe';
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ana' }) };

function guildWithForums(): FakeGuild {
  return makeGuild({
    channels: [
      { name: 'general' },
      { name: 'help', type: ChannelType.GuildForum },
      { name: 'questions' },
      { name: 'busy', type: ChannelType.GuildForum },
      { name: 'unlisted', type: ChannelType.GuildForum },
    ],
  });
}

function channelOf(guild: FakeGuild, name: string): string {
  const found = guild.channels.find((channel) => channel.name === name);
  if (!found) throw new Error(`no channel ${name}`);
  return found.id;
}

async function autoAnswerSetting(h: Harness, guild: FakeGuild, channelId: string): Promise<MessageView> {
  const { message } = await h.interactForMessage(
    slashCommand({
      name: 'settings',
      subcommand: 'auto-answer',
      options: { channel: { type: ApplicationCommandOptionType.Channel, value: channelId } },
      guild,
      ...moderator,
    }),
  );
  return message;
}

function identifiedIntents(h: Harness): number {
  return h.discord.gateway.identifyPayloads.at(-1)?.intents ?? -1;
}

describe('auto-answer, with AUTO_ANSWER=on and the intent granted', () => {
  const guild = guildWithForums();
  const help = channelOf(guild, 'help');
  const questions = channelOf(guild, 'questions');
  const declined: DeclinedQuestion[] = [];
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness([guild], {
      env: { AUTO_ANSWER: 'on' },
      discord: { allowPrivilegedIntents: true },
      autoAnswer: { pace: { limit: 100 }, onDeclined: (question) => void declined.push(question) },
    });
    for (const channel of [help, questions]) {
      const shown = await autoAnswerSetting(h, guild, channel);
      expect(shown.content).toMatch(/^✅ The bot now answers new posts in <#\d+>/);
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Sends a confident post to `help` and waits for its answer: everything sent before has been handled. */
  async function settle(): Promise<void> {
    const { thread } = h.discord.forumPost({
      guild,
      forumId: help,
      title: 'Civil servants',
      content: CONFIDENT,
    });
    await h.discord.waitForChannelMessages(thread.id);
  }

  it('asks Discord for messages and their content', () => {
    const intents = identifiedIntents(h);
    expect(intents & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
    expect(intents & GatewayIntentBits.GuildMessages).toBe(GatewayIntentBits.GuildMessages);
  });

  it('answers a new forum post with quotes and a source line, notifying nobody', async () => {
    const author = makeUser({ username: 'asker_*li*' });
    const { thread, message } = h.discord.forumPost({
      guild,
      forumId: help,
      title: 'Trip to China?',
      content: `${CONFIDENT} @everyone`,
      author,
    });
    const [reply] = await h.discord.waitForChannelMessages(thread.id);
    const sent = reply as APIMessage & { allowed_mentions?: unknown };
    expect(sent.message_reference?.message_id).toBe(message.id);
    expect(sent.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(sent.content).toContain('asker\\_\\*li\\* asked');
    expect(sent.content).toContain('**civil servants**');
    expect(sent.content).toMatch(/\n— Revealed: UK government ignored Uighur repression/);
    expect(sent.content).toContain('\\@everyone');
  });

  it('stays silent on a post the sources do not answer, and records it among the declined questions for /insights', async () => {
    const { thread } = h.discord.forumPost({ guild, forumId: help, title: 'Baking', content: UNANSWERABLE });
    await settle();
    expect(h.discord.channelMessages(thread.id)).toEqual([]);
    expect(declined.at(-1)).toMatchObject({ guildId: guild.id, question: `Baking ${UNANSWERABLE}` });
    const recorded = await h.library.insights?.questions(guildScope(guild.id), new Date(0));
    expect(recorded?.filter((q) => !q.answered)).toEqual([
      expect.objectContaining({ question: `Baking ${UNANSWERABLE}`, origin: 'auto', passages: [] }),
    ]);
  });

  it('never answers a bot, and only new posts in listed forums', async () => {
    const bot = makeUser({ username: 'other_bot', bot: true });
    const byBot = h.discord.forumPost({
      guild,
      forumId: help,
      title: 'Bot post',
      content: CONFIDENT,
      author: bot,
    });
    const unlisted = h.discord.forumPost({
      guild,
      forumId: channelOf(guild, 'unlisted'),
      title: 'Civil servants',
      content: CONFIDENT,
    });
    await settle();
    expect(h.discord.channelMessages(byBot.thread.id)).toEqual([]);
    expect(h.discord.channelMessages(unlisted.thread.id)).toEqual([]);
  });

  it('in a listed text channel, answers a message that mentions it and ignores the others', async () => {
    h.discord.postMessage({ guild, channelId: questions, content: CONFIDENT });
    const asked = h.discord.postMessage({
      guild,
      channelId: questions,
      content: CONFIDENT,
      mentionBot: true,
    });
    const [reply] = await h.discord.waitForChannelMessages(questions);
    await settle();
    expect(h.discord.channelMessages(questions)).toHaveLength(1);
    expect(reply?.message_reference?.message_id).toBe(asked.id);
    expect(reply?.content).toContain('**civil servants**');
  });
});

describe('auto-answer pacing', () => {
  it('answers at most the pace allows in one channel, then stays silent there', async () => {
    const guild = guildWithForums();
    const busy = channelOf(guild, 'busy');
    const help = channelOf(guild, 'help');
    const h = await startHarness([guild], {
      env: { AUTO_ANSWER: 'on' },
      discord: { allowPrivilegedIntents: true },
      autoAnswer: { pace: { limit: 2 } },
    });
    try {
      await autoAnswerSetting(h, guild, busy);
      await autoAnswerSetting(h, guild, help);
      const posts = [1, 2, 3].map(() =>
        h.discord.forumPost({ guild, forumId: busy, title: 'Civil servants', content: CONFIDENT }),
      );
      await h.discord.waitForChannelMessages(posts[1]?.thread.id ?? '');
      // Another channel has its own pace; once its answer is in, the third post was handled.
      const other = h.discord.forumPost({
        guild,
        forumId: help,
        title: 'Civil servants',
        content: CONFIDENT,
      });
      await h.discord.waitForChannelMessages(other.thread.id);
      expect(posts.map((post) => h.discord.channelMessages(post.thread.id).length)).toEqual([1, 1, 0]);
    } finally {
      await h.close();
    }
  });
});

describe('auto-answer without the intent', () => {
  it('with AUTO_ANSWER=on but the intent not enabled: starts with Guilds only and refuses the setting', async () => {
    const guild = guildWithForums();
    const h = await startHarness([guild], { env: { AUTO_ANSWER: 'on' } });
    try {
      expect(identifiedIntents(h)).toBe(GatewayIntentBits.Guilds);
      expect(h.discord.gateway.refusals).toEqual([]);
      const refused = await autoAnswerSetting(h, guild, channelOf(guild, 'help'));
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toBe(
        '❌ Auto-answer needs the Message Content intent, which this bot does not have: its operator must enable it under Bot → Privileged Gateway Intents in the Discord Developer Portal, then restart the bot.',
      );
      expect((await h.library.settings(guild.id)).autoAnswerChannels).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('with AUTO_ANSWER off (the default): asks for no privileged intent at all', async () => {
    const guild = guildWithForums();
    const h = await startHarness([guild], { discord: { allowPrivilegedIntents: true } });
    try {
      expect(identifiedIntents(h)).toBe(GatewayIntentBits.Guilds);
    } finally {
      await h.close();
    }
  });
});
