/**
 * /glossary end to end: the real discord.js client against the loopback Discord. A moderator's entry
 * makes a member's question in other words answerable; members cannot change the glossary; every term
 * the bot echoes is inert.
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { makeGuild, makeUser, MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { autocomplete, slashCommand } from '../helpers/interactions.ts';
import type { OptionValue } from '../helpers/interactions.ts';
import { messageText, quotesOf, startHarness, type Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Glossary guild' });
const scope = guildScope(guild.id);
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ines' }) };
const member = { permissions: MEMBER_PERMISSIONS, user: makeUser({ username: 'member_tom' }) };
const QUESTION = 'What happened on Ketel Eiland on Monday?';

let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
  const { message } = await h.interactForMessage(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      options: {
        title: 'Ferry notice',
        text: 'Kettle Island ferry\n\nThe passenger ferry to Kettle Island resumed its timetable on Monday after three months in dry dock.',
      },
      guild,
      ...moderator,
    }),
  );
  expect(message.content).toMatch(/^✅ Added/);
});

afterAll(async () => {
  await h?.close();
});

function glossary(subcommand: string, options: Record<string, OptionValue>, who = moderator) {
  return h.interactForMessage(slashCommand({ name: 'glossary', subcommand, options, guild, ...who }));
}

function ask(question: string) {
  return h.interactForMessage(slashCommand({ name: 'ask', options: { question }, guild, ...member }));
}

describe('/glossary', () => {
  it("a moderator's entry lets a member's question in other words be answered, quoting the source's words", async () => {
    const before = await ask(QUESTION);
    expect(quotesOf(before.message)).toEqual([]);
    const added = await glossary('add', { term: 'Ketel Eiland', means: 'Kettle Island' });
    expect(added.message.flags & MessageFlags.Ephemeral).not.toBe(0);
    expect(added.message.content).toBe(
      `✅ Added to this server's glossary: Ketel Eiland → Kettle Island; a question using "Ketel Eiland" now also searches for "Kettle Island".`,
    );
    const after = await ask(QUESTION);
    const quote = quotesOf(after.message)[0]?.description ?? '';
    expect(quote).toContain('**Kettle Island**');
    expect(quote).not.toContain('Ketel');
  });

  it('refuses a member privately and changes nothing', async () => {
    const entries = await h.library.glossary(scope);
    for (const [subcommand, options] of [
      ['add', { term: 'ferry', means: 'boat' }],
      ['remove', { term: 'Ketel Eiland' }],
      ['list', {}],
    ] as const) {
      const { message } = await glossary(subcommand, options, member);
      expect(message.flags & MessageFlags.Ephemeral).not.toBe(0);
      expect(message.content).toBe(
        '❌ Only members with the Manage Server permission can change the glossary. Ask a moderator.',
      );
    }
    expect(await h.library.glossary(scope)).toEqual(entries);
    expect(quotesOf((await ask(QUESTION)).message)[0]?.description).toContain('**Kettle Island**');
  });

  it("suggests the server's entries to a moderator removing one, and nothing to a member", async () => {
    const typed = (who: typeof moderator) =>
      h.discord.interact(
        autocomplete({ name: 'glossary', subcommand: 'remove', options: { term: 'eiland' }, guild, ...who }),
      );
    expect((await typed(moderator)).choices).toEqual([
      { name: 'Ketel Eiland → Kettle Island', value: 'Ketel Eiland' },
    ]);
    expect((await typed(member)).choices).toEqual([]);
  });

  it('lists entries with every term escaped and inert, and answers a mistake with its one sentence', async () => {
    const added = await glossary('add', {
      term: '@everyone *bold*',
      means: '<@123> `code`',
      both_ways: true,
    });
    expect(added.message.allowed_mentions).toEqual({ parse: [] });
    expect(added.message.pings).toEqual(expect.objectContaining({ everyone: false }));
    const list = await glossary('list', {});
    const text = messageText(list.message);
    expect(text).toContain('Ketel Eiland → Kettle Island');
    expect(text).not.toContain('*bold*');
    expect(text).not.toContain('`code`');
    expect(text).toContain('Uighur ↔ Uyghur');
    expect(list.message.pings).toEqual(expect.objectContaining({ everyone: false, users: [] }));
    const same = await glossary('add', { term: 'Owners', means: 'owner' });
    expect(same.message.content).toBe(
      '❌ "Owners" and "owner" are the same words to the search, so the entry would change nothing; give two different terms.',
    );
    const removed = await glossary('remove', { term: 'ketel eiland' });
    expect(removed.message.content).toBe(
      `✅ Removed from this server's glossary: Ketel Eiland → Kettle Island.`,
    );
    expect(quotesOf((await ask(QUESTION)).message)).toEqual([]);
  });
});
