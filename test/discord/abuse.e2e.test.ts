/**
 * A hostile member through the real client (issue 11, failures 3 and 6): buttons take from the same per-member
 * budget as /ask, forged button state does nothing, a bystander's click never posts publicly, and every echo of
 * user or document text reaches Discord escaped (no live masked link, no mention, no bidi control).
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { button, slashCommand } from '../helpers/interactions.ts';
import { buttonsOf, messageText, quotesOf, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Abused guild' });
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ana' }) };
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
});

afterAll(async () => {
  await h?.close();
});

const isEphemeral = (message: MessageView): boolean => (message.flags & MessageFlags.Ephemeral) !== 0;

/** A live masked link `[text](http…)` not preceded by a backslash. */
const LIVE_LINK = /(^|[^\\])\[[^\]]*(?<!\\)\]\(\s*https?:/;

describe('buttons and the per-member budget', () => {
  it('"More results" and "Context" take from the /ask cooldown', async () => {
    const asker = makeUser({ username: 'clicker' });
    const first = await h.interactForMessage(
      slashCommand({
        name: 'ask',
        options: { question: 'forced labour in Xinjiang', results: 1 },
        guild,
        user: asker,
      }),
    );
    const more = buttonsOf(first.message).find((b) => b.label === 'More results');
    const context = buttonsOf(first.message).find((b) => b.label.startsWith('Context of 1'));
    const contents: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = (i % 2 === 0 ? more : context)!.custom_id;
      const { message } = await h.interactForMessage(
        button({ customId: id, message: first.message.message, guild, user: asker }),
      );
      contents.push(message.content);
    }
    // The limit is 5 asks in 30 seconds: the ask and four clicks pass, the fifth click is refused.
    expect(contents.slice(0, 4).every((c) => !c.startsWith('❌'))).toBe(true);
    expect(contents[4]).toMatch(
      /^❌ You have asked 5 times in 30 seconds: wait \d+ seconds? and ask again\.$/,
    );
  });

  it('a forged or altered custom_id gets one sentence and no search', async () => {
    const user = makeUser({ username: 'forger' });
    const forged = [
      'ask:more:={"q":"forced labour in Xinjiang","n":5,"o":0,"p":false}',
      'ask:ctx:={"d":"hrw-xinjiang-companies","p":1}',
    ];
    const { message } = await h.interactForMessage(
      slashCommand({
        name: 'ask',
        options: { question: 'forced labour in Xinjiang', results: 1 },
        guild,
        user,
      }),
    );
    const real = buttonsOf(message).find((b) => b.label === 'More results')!.custom_id;
    forged.push(real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'));
    for (const customId of forged) {
      const clicked = await h.interactForMessage(button({ customId, guild, user }));
      expect(isEphemeral(clicked.message)).toBe(true);
      expect(clicked.message.content).toBe(
        '❌ This button was not made by this bot (its signature does not match), so it does nothing: run the command again.',
      );
      expect(clicked.message.embeds).toHaveLength(0);
    }
  });

  it("a bystander's click on a public answer answers the bystander privately", async () => {
    const asker = makeUser({ username: 'asker_pub' });
    const bystander = makeUser({ username: 'bystander' });
    const { message } = await h.interactForMessage(
      slashCommand({
        name: 'ask',
        options: { question: 'forced labour in Xinjiang', results: 1 },
        guild,
        user: asker,
      }),
    );
    expect(isEphemeral(message)).toBe(false);
    const more = buttonsOf(message).find((b) => b.label === 'More results')!;
    const theirs = await h.interactForMessage(
      button({ customId: more.custom_id, message: message.message, guild, user: bystander }),
    );
    expect(isEphemeral(theirs.message)).toBe(true);
    expect(quotesOf(theirs.message).length).toBeGreaterThan(0);
    const own = await h.interactForMessage(
      button({ customId: more.custom_id, message: message.message, guild, user: asker }),
    );
    expect(isEphemeral(own.message)).toBe(false);
  });
});

describe('echoes are escaped', () => {
  const evil = '[x](http://evil.example) @everyone <@123456789012345678>';

  it('an unknown document id in a ❌ message is not a live link or a mention', async () => {
    const { message } = await h.interactForMessage(
      slashCommand({ name: 'ask', options: { question: 'forced labour', source: evil }, guild }),
    );
    expect(message.content).toMatch(/^❌ /);
    expect(message.content).not.toMatch(LIVE_LINK);
    expect(message.content).not.toMatch(/(^|[^\\])@everyone/);
    expect(message.content).not.toMatch(/(^|[^\\])<@/);
  });

  it('a bad date or url echoed by /document add is escaped', async () => {
    const bad: Array<Record<string, string>> = [
      { text: 'Some text about boats and rivers.', date: '[x](http://e.x)' },
      { text: 'Some text about boats and rivers.', url: '[x](http://evil.example)' },
    ];
    for (const options of bad) {
      const { message } = await h.interactForMessage(
        slashCommand({ name: 'document', subcommand: 'add', options, guild, ...moderator }),
      );
      expect(message.content).toMatch(/^❌ /);
      expect(message.content).not.toMatch(LIVE_LINK);
    }
  });

  it('/source document: escapes the title in the embed title, and a link target carries no @everyone', async () => {
    const summary = await h.library.add({
      scope: `guild:${guild.id}`,
      source: { kind: 'text', text: 'The lighthouse keeper logged the storm on the third night.' },
      title: `**Bold** ${evil} \u202Eevil\u202C`,
      url: 'https://example.org/@everyone/page',
      actor: { userId: '1', userName: 'setup' },
    });
    const { message } = await h.interactForMessage(
      slashCommand({ name: 'source', options: { document: summary.meta.id }, guild }),
    );
    const title = message.embeds[0]?.title ?? '';
    expect(title).not.toMatch(/(^|[^\\])\*\*/);
    expect(title).not.toMatch(LIVE_LINK);
    expect(title).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F]/);
    const text = messageText(message);
    expect(text).not.toMatch(/\]\([^)]*@everyone/);
    expect(text).not.toMatch(/(^|[^\\])@everyone/);
  });

  it('a question with bidi controls cannot reorder the public heading', async () => {
    const { message } = await h.interactForMessage(
      slashCommand({
        name: 'ask',
        options: { question: 'forced \u202Elabour\u2066 in\u200B Xinjiang' },
        guild,
      }),
    );
    expect(message.content).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF]/);
  });
});
