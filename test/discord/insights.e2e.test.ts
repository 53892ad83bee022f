/**
 * Feedback and insights end to end, through the real discord.js client against the loopback Discord:
 * votes on answers, and what `/insights` shows moderators (and refuses everyone else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord.js';
import { guildScope } from '../../src/core/index.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { button, slashCommand } from '../helpers/interactions.ts';
import { buttonsOf, startHarness, type Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Insights guild' });
const otherGuild = makeGuild({ name: 'Other guild' });
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ines' }) };

let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild, otherGuild]);
});

afterAll(async () => {
  await h?.close();
});

function isEphemeral(message: MessageView): boolean {
  return (message.flags & MessageFlags.Ephemeral) !== 0;
}

async function ask(question: string, extra: Record<string, unknown> = {}, where = guild) {
  return h.interactForMessage(
    slashCommand({
      name: 'ask',
      options: { question },
      guild: where,
      applicationId: h.discord.applicationId,
      ...extra,
    }),
  );
}

async function click(
  message: MessageView,
  label: string,
  user = makeUser(),
  where = guild,
): Promise<MessageView> {
  const target = buttonsOf(message).find((b) => b.label === label);
  if (!target)
    throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message).map((b) => b.label))}`);
  const { message: reply } = await h.interactForMessage(
    button({ customId: target.custom_id, message: message.message, guild: where, user }),
  );
  return reply;
}

describe('votes on answers', () => {
  it('puts "Answered it" and "Didn’t answer" on public and private answers; one vote per member, changeable, acknowledged privately', async () => {
    const { message } = await ask('Why did UK civil servants go to China?');
    expect(buttonsOf(message).map((b) => b.label)).toEqual(
      expect.arrayContaining(['Answered it', 'Didn’t answer']),
    );
    const { message: privately } = await h.interactForMessage(
      slashCommand({
        name: 'ask',
        options: { question: 'Why did UK civil servants go to China?', private: true },
        guild,
        applicationId: h.discord.applicationId,
      }),
    );
    expect(isEphemeral(privately)).toBe(true);
    expect(buttonsOf(privately).map((b) => b.label)).toEqual(
      expect.arrayContaining(['Answered it', 'Didn’t answer']),
    );

    const member = makeUser({ username: 'member_vi' });
    const first = await click(message, 'Didn’t answer', member);
    expect(isEphemeral(first)).toBe(true);
    expect(first.content).toContain('recorded');
    const again = await click(message, 'Didn’t answer', member);
    expect(again.content).toContain('already');
    const changed = await click(message, 'Answered it', member);
    expect(isEphemeral(changed)).toBe(true);
    expect(changed.content).toContain('now “Answered it”');
    await click(message, 'Didn’t answer', makeUser({ username: 'member_wu' }));

    const insights = h.library.insights;
    if (insights === undefined) throw new Error('no insights store');
    const stored = await insights.questions(guildScope(guild.id), new Date(0));
    const voted = stored.filter((q) => q.helpful + q.unhelpful > 0);
    expect(voted).toHaveLength(1);
    expect(voted[0]).toMatchObject({
      question: 'Why did UK civil servants go to China?',
      helpful: 1,
      unhelpful: 1,
      answered: true,
    });
    expect(voted[0]?.passages[0]).toMatchObject({ rank: 1, paragraph: expect.any(Number) });
    // The answer the bot sent is unchanged by the votes (they are private).
    expect(
      h.discord.interactions.filter((r) => r.payload.type === 3).every((r) => r.callback?.type === 4),
    ).toBe(true);
  });
});
