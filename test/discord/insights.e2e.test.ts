/**
 * Feedback and insights end to end, through the real discord.js client against the loopback Discord:
 * votes on answers, and what `/insights` shows moderators (and refuses everyone else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags } from 'discord.js';
import { guildScope } from '../../src/core/index.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { guildPayload, makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { rawSqlite } from '../store/helpers.ts';
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

async function insights(
  subcommand: string,
  options: Record<string, number> = {},
  who: Record<string, unknown> = moderator,
) {
  return h.interactForMessage(
    slashCommand({
      name: 'insights',
      subcommand,
      options,
      guild,
      applicationId: h.discord.applicationId,
      ...who,
    }),
  );
}

async function storedCount(): Promise<number> {
  return (await h.library.insights?.questions(guildScope(guild.id), new Date(0)))?.length ?? -1;
}

describe('/insights', () => {
  it('groups the same declined question asked in other words, with its count, and attaches the weekly chart', async () => {
    await ask('banana bread recipe');
    await ask('What is the recipe for banana bread?');
    await ask('banana bread recipe');
    const { record, message } = await insights('view', { period: 7 });
    expect(record.callback?.type).toBe(5);
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toMatch(
      /Insights for the last 7 days: \d+ questions, \d+ answered, 3 declined\. Page 1 of \d+\./,
    );
    expect(message.embeds[0]?.title).toBe('Questions the sources did not answer');
    expect(message.embeds[0]?.description).toContain(
      '**3×** “banana bread recipe” · also “What is the recipe for banana bread?”',
    );
    const png = message.files.find((file) => file.name === 'insights-per-week.png');
    expect(png?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // Paged: Next shows the answers voted down (the vote of the first test), in place.
    const next = buttonsOf(message).find((b) => b.label === 'Next');
    if (!next) throw new Error('no Next button');
    const paged = await h.discord.interact(
      button({ customId: next.custom_id, message: message.message, guild, ...moderator }),
    );
    const page2 = await paged.waitForMessage();
    expect(paged.callback?.type).toBe(7);
    expect(page2.embeds[0]?.title).toBe('Answers voted “Didn’t answer”');
    expect(page2.embeds[0]?.description).toContain('“Why did UK civil servants go to China?”');
    expect(page2.embeds[0]?.description).toMatch(/shown: 1\. .+ ¶\d+/);
  });

  it('exports every stored question as CSV', async () => {
    const { message } = await insights('export');
    expect(isEphemeral(message)).toBe(true);
    const csv = message.files.find((file) => file.name.endsWith('.csv'))?.bytes.toString('utf8') ?? '';
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'asked_at,question,normalised_words,answered,reason,origin,passages,answered_it_votes,did_not_answer_votes',
    );
    expect(lines).toHaveLength((await storedCount()) + 1);
    expect(csv).toContain(',What is the recipe for banana bread?,banana bread recip,no,');
    expect(csv).toMatch(/,Why did UK civil servants go to China\?,[^,]*,yes,,ask,1:[^,]+,1,1\r\n/);
  });

  it('refuses a member without Manage Server on every path, and changes nothing', async () => {
    const before = await storedCount();
    expect(before).toBeGreaterThan(0);
    const member = { user: makeUser({ username: 'member_zoe' }) };
    for (const sub of ['view', 'export', 'clear']) {
      const { message } = await insights(sub, {}, member);
      expect(isEphemeral(message)).toBe(true);
      expect(message.content).toBe(
        '❌ Only members with the Manage Server permission can see or erase insights. Ask a moderator.',
      );
      expect(message.files).toEqual([]);
    }
    // A moderator's confirm button, clicked by a member: refused too.
    const { message: confirm } = await insights('clear');
    const erase = buttonsOf(confirm).find((b) => b.label === 'Erase them');
    if (!erase) throw new Error('no Erase button');
    const { message: refused } = await h.interactForMessage(
      button({ customId: erase.custom_id, message: confirm.message, guild, ...member }),
    );
    expect(refused.content).toMatch(/^❌ Only members with the Manage Server permission/);
    expect(await storedCount()).toBe(before);
  });

  it('clear erases this server’s questions and votes after confirmation, and no other server’s', async () => {
    await ask('Why did UK civil servants go to China?', {}, otherGuild);
    const { message: confirm } = await insights('clear');
    expect(confirm.content).toContain('cannot be undone');
    const erase = buttonsOf(confirm).find((b) => b.label === 'Erase them');
    if (!erase) throw new Error('no Erase button');
    const before = await storedCount();
    const done = await h.discord.interact(
      button({ customId: erase.custom_id, message: confirm.message, guild, ...moderator }),
    );
    const erased = await done.waitForMessage();
    expect(erased.content).toBe(`Erased ${before} stored questions and their votes.`);
    expect(await storedCount()).toBe(0);
    expect(await h.library.insights?.questions(guildScope(otherGuild.id), new Date(0))).toHaveLength(1);
    const { message: empty } = await insights('view');
    expect(empty.content).toContain('0 questions');
  });
});

describe('leaving a server', () => {
  function leftAt(guildId: string): string | null | undefined {
    const db = rawSqlite(h.dataDir);
    try {
      const row = db
        .prepare('select left_at from insight_scopes where scope = ?')
        .get(guildScope(guildId)) as { left_at: string | null } | undefined;
      return row?.left_at;
    } finally {
      db.close();
    }
  }
  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(check()).toBe(true);
  }

  it('schedules the server’s insights for deletion when the bot is removed, and not once it is invited back', async () => {
    h.discord.dispatch(0, 'GUILD_DELETE', { id: otherGuild.id });
    await until(() => typeof leftAt(otherGuild.id) === 'string');
    expect(Date.parse(leftAt(otherGuild.id) ?? '')).toBeGreaterThan(Date.now() - 60_000);
    h.discord.dispatch(
      0,
      'GUILD_CREATE',
      guildPayload(otherGuild, h.discord.botUser, new Date().toISOString()),
    );
    await until(() => leftAt(otherGuild.id) === null);
  });
});

describe('/settings insights enabled:false', () => {
  it('records nothing from that server and puts no vote buttons on its answers; the other server still records', async () => {
    const scope = guildScope(otherGuild.id);
    const before = (await h.library.insights?.questions(scope, new Date(0)))?.length;
    await h.library.changeSettings(otherGuild.id, { insights: false }, { userId: '1', userName: 'mod' });
    const { message } = await ask('Why did UK civil servants go to China?', {}, otherGuild);
    expect(message.embeds.length + message.content.length).toBeGreaterThan(0);
    expect(buttonsOf(message).map((b) => b.label)).not.toContain('Answered it');
    expect(await h.library.insights?.questions(scope, new Date(0))).toHaveLength(before ?? -1);

    const { message: recorded } = await ask('Why did UK civil servants go to China?');
    expect(buttonsOf(recorded).map((b) => b.label)).toContain('Answered it');
  });
});
