/**
 * /settings end to end through the real discord.js client: shown back to the moderator, stored per server
 * (kept across a restart), applied by /ask (the default visibility, the channels where answers may be
 * public), and refused to a member without Manage Server with nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { makeGuild, makeUser, MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { FakeGuild } from '../helpers/entities.ts';
import { button, slashCommand } from '../helpers/interactions.ts';
import type { OptionValue } from '../helpers/interactions.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { buttonsOf, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guildA = makeGuild({ name: 'Guild A', channels: ['general', 'answers'] });
const guildB = makeGuild({ name: 'Guild B' });
const general = guildA.channels[0]?.id ?? '';
const answersChannel = guildA.channels[1]?.id ?? '';
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ana' }) };
const QUESTION = 'Who did the British civil servants meet in China?';

let h: Harness;

beforeAll(async () => {
  h = await startHarness([guildA, guildB]);
});

afterAll(async () => {
  await h?.close();
});

const channel = (id: string): OptionValue => ({ type: ApplicationCommandOptionType.Channel, value: id });
const isPrivate = (message: MessageView): boolean => (message.flags & MessageFlags.Ephemeral) !== 0;

async function settings(
  subcommand: string,
  options: Record<string, OptionValue> = {},
  who: Record<string, unknown> = moderator,
  guild: FakeGuild = guildA,
): Promise<MessageView> {
  const { message } = await h.interactForMessage(
    slashCommand({ name: 'settings', subcommand, options, guild, ...who }),
  );
  return message;
}

async function ask(options: Record<string, string | boolean>, channelId = general): Promise<MessageView> {
  const { message } = await h.interactForMessage(
    slashCommand({ name: 'ask', options: { question: QUESTION, ...options }, guild: guildA, channelId }),
  );
  return message;
}

describe('/settings', () => {
  it('shows a server’s defaults privately to a moderator', async () => {
    const shown = await settings('show');
    expect(isPrivate(shown)).toBe(true);
    expect(shown.content).toContain('/ask answers: **public** unless the asker chooses');
    expect(shown.content).toContain('Public answers allowed in: every channel');
    expect(shown.content).toContain('Insights: **on**, questions kept 90 days');
    expect(shown.content).toContain('Auto-answer in: no channel');
    expect(shown.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers private by default once chosen; the asker can still choose public', async () => {
    const changed = await settings('answers', { default: 'private' });
    expect(changed.content).toMatch(/^✅ \/ask now answers privately by default\./);
    expect(changed.content).toContain('/ask answers: **private**');
    expect(isPrivate(await ask({}))).toBe(true);
    expect(isPrivate(await ask({ private: false }))).toBe(false);
    // Another server keeps its own default.
    const other = await h.interactForMessage(
      slashCommand({ name: 'ask', options: { question: QUESTION }, guild: guildB }),
    );
    expect(isPrivate(other.message)).toBe(false);
    await settings('answers', { default: 'public' });
    expect(isPrivate(await ask({}))).toBe(false);
  });

  it('once a channel is listed for public answers, answers elsewhere are private and cannot be posted', async () => {
    const changed = await settings('public-channel', { channel: channel(answersChannel) });
    expect(changed.content).toContain(
      `Public answers allowed in: <#${answersChannel}> (private everywhere else)`,
    );
    expect(isPrivate(await ask({}, answersChannel))).toBe(false);
    const elsewhere = await ask({ private: false }, general);
    expect(isPrivate(elsewhere)).toBe(true);
    const post = buttonsOf(elsewhere).find((b) => b.label === 'Post to channel');
    expect(post).toBeDefined();
    const click = await h.interactForMessage(
      button({
        customId: post?.custom_id ?? '',
        message: elsewhere.message,
        guild: guildA,
        channelId: general,
      }),
    );
    expect(click.message.content).toBe(
      '❌ Answers stay private in this channel: the moderators chose where /ask may answer publicly.',
    );
    expect(click.message.ephemeral).toBe(true);
    const off = await settings('public-channel', { channel: channel(answersChannel), public: false });
    expect(off.content).toContain('Public answers allowed in: every channel');
    expect(isPrivate(await ask({}, general))).toBe(false);
  });

  it('stores insights and retention for the server, kept across a restart, and refuses a retention out of range', async () => {
    const changed = await settings('insights', { enabled: false, 'retention-days': 30 });
    expect(changed.content).toMatch(/^✅ Insights are off; questions are kept 30 days\./);
    expect(changed.content).toContain('Insights: **off**, questions kept 30 days');
    await h.restart();
    expect(await h.library.settings(guildA.id)).toMatchObject({ insights: false, retentionDays: 30 });
    expect(await h.library.settings(guildB.id)).toMatchObject({ insights: true, retentionDays: 90 });
    await expect(
      h.library.changeSettings(guildA.id, { retentionDays: 0 }, { userId: '1', userName: 'x' }),
    ).rejects.toThrow('Retention is counted in whole days, from 1 to 365.');
    await settings('insights', { enabled: true });
    expect(await h.library.settings(guildA.id)).toMatchObject({ insights: true, retentionDays: 30 });
  });

  it('refuses auto-answer in one sentence on a bot not configured for it, and changes nothing', async () => {
    const refused = await settings('auto-answer', { channel: channel(general) });
    expect(refused.content).toBe(
      '❌ Auto-answer is turned off on this bot: its operator must set AUTO\\_ANSWER=on and enable the Message Content intent (see docs/moderators.md, "Auto-answer").',
    );
    expect((await h.library.settings(guildA.id)).autoAnswerChannels).toEqual([]);
  });

  it('refuses a member without Manage Server on every subcommand, and changes nothing', async () => {
    const before = await h.library.settings(guildA.id);
    const member = { permissions: MEMBER_PERMISSIONS, user: makeUser({ username: 'member_bo' }) };
    for (const [sub, options] of [
      ['show', {}],
      ['answers', { default: 'private' }],
      ['public-channel', { channel: channel(general) }],
      ['insights', { enabled: false, 'retention-days': 5 }],
      ['auto-answer', { channel: channel(general) }],
    ] as const) {
      const refused = await settings(sub, options, member);
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toBe(
        '❌ Only members with the Manage Server permission can change the sources. Ask a moderator.',
      );
    }
    expect(await h.library.settings(guildA.id)).toEqual(before);
  });

  it('is registered for moderators only, in servers only', async () => {
    const { commandJson } = await import('../../src/discord/command.ts');
    const { command } = await import('../../commands/settings.ts');
    const json = commandJson(command) as { default_member_permissions?: string; contexts?: number[] };
    expect(json.default_member_permissions).toBe('32');
    expect(json.contexts).toEqual([0]);
  });
});
