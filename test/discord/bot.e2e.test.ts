/**
 * The bot end to end: the real discord.js client, started by `startBot`, against the loopback Discord in
 * test/helpers. Interactions go in as Discord sends them; assertions are on what the bot sends back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { commandJson } from '../../src/discord/command.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { loadCommands } from '../../src/discord/loader.ts';
import { LIMITS } from '../../src/discord/render.ts';
import { makeGuild, makeUser, MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { autocomplete, button, messageContextMenu, slashCommand } from '../helpers/interactions.ts';
import type { OptionValue } from '../helpers/interactions.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { buttonsOf, messageText, quotesOf, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guildA = makeGuild({ name: 'Guild A' });
const guildB = makeGuild({ name: 'Guild B' });
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_ana' }) };

let h: Harness;

beforeAll(async () => {
  h = await startHarness([guildA, guildB]);
});

afterAll(async () => {
  await h?.close();
});

function isEphemeral(message: MessageView): boolean {
  return (message.flags & MessageFlags.Ephemeral) !== 0;
}

function expectInert(message: MessageView): void {
  expect(message.pings).toEqual(expect.objectContaining({ everyone: false }));
  expect(message.allowed_mentions).toEqual({ parse: [] });
}

async function ask(
  options: Record<string, string | number | boolean>,
  guild = guildA,
  extra: Record<string, unknown> = {},
) {
  return h.interactForMessage(
    slashCommand({ name: 'ask', options, guild, applicationId: h.discord.applicationId, ...extra }),
  );
}

async function addText(title: string, text: string, guild = guildA) {
  const { record, message } = await h.interactForMessage(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      options: { text, title, publisher: 'Test desk', date: '2024-03-01' },
      guild,
      ...moderator,
    }),
  );
  expect(record.callback?.type).toBe(5);
  expect(message.content).toMatch(/^✅ Added/);
  return message;
}

describe('/ask', () => {
  it('quotes the best passages with matched words in bold and a source line under each', async () => {
    const { record, message } = await ask({ question: 'Why did UK civil servants go to China?' });
    expect(record.callback?.type).toBe(4);
    expect(isEphemeral(message)).toBe(false);
    expectInert(message);
    expect(message.content).toContain('Why did UK civil servants go to China?');
    const first = quotesOf(message)[0]?.description ?? '';
    expect(first).toMatch(/^(… )?“/);
    expect(first).toContain('**civil servants**');
    // The title is named once, though the first section's heading is the title itself.
    expect(first).toMatch(
      /\n\n— Revealed: UK government ignored Uighur repression in talks with China’s tech giants — NS Tech, 2020 \(estimated\) · ¶1$/,
    );
    // The best quote is in the message content: members with embeds off read it too.
    expect(message.content).toMatch(
      /^Asked “Why did UK civil servants go to China\?”\n\n(… )?“.*\*\*civil servants\*\*/,
    );
    expect(message.content).toContain('\n— Revealed: UK government');
    const labels = buttonsOf(message).map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['Context of 1 (¶1)']));
    expect(labels).not.toContain('Post to channel');
  });

  it('prints no placeholder publisher: a document whose publisher is "Unknown" is named without one', async () => {
    const { message } = await ask({
      question: 'How did the UN plan to mark its birthday during the pandemic?',
      results: 5,
    });
    const sources = quotesOf(message).map((q) => q.description.slice(q.description.lastIndexOf('\n— ')));
    expect(sources.some((line) => line.startsWith('\n— UN’s partnership with Tencent'))).toBe(true);
    expect(sources.join('\n')).not.toContain('Unknown');
  });

  it('says privately when the sources have no answer, and points to /source', async () => {
    const { message } = await ask({ question: 'banana bread recipe' });
    expect(isEphemeral(message)).toBe(true);
    expect(message.embeds).toHaveLength(0);
    expect(message.content).toContain('The sources do not answer');
    expect(message.content).toContain('/source');
  });

  it('keeps to one document with the source option, and refuses one this server cannot see', async () => {
    const { message } = await ask({
      question: 'forced labour in Xinjiang',
      source: 'hrw-xinjiang-companies',
      results: 1,
    });
    expect(quotesOf(message)).toHaveLength(1);
    expect(quotesOf(message)[0]?.description).toContain('Foreign companies in Xinjiang');
    const unknown = await ask({ question: 'forced labour in Xinjiang', source: 'no-such-document' });
    expect(isEphemeral(unknown.message)).toBe(true);
    expect(unknown.message.content).toMatch(/^❌ /);
  });

  it('a private answer can be posted to the channel, and more results come on request', async () => {
    const asker = makeUser({ username: 'asker' });
    const { message } = await ask(
      { question: 'forced labour in Xinjiang', results: 1, private: true },
      guildA,
      { user: asker },
    );
    expect(isEphemeral(message)).toBe(true);
    const post = buttonsOf(message).find((b) => b.label === 'Post to channel');
    const more = buttonsOf(message).find((b) => b.label === 'More results');
    expect(post && more).toBeTruthy();
    const posted = await h.interactForMessage(
      button({
        customId: post!.custom_id,
        message: message.message,
        guild: guildA,
        user: asker,
      }),
    );
    expect(isEphemeral(posted.message)).toBe(false);
    expect(posted.message.content).toContain('asker asked');
    expect(quotesOf(posted.message)[0]?.description).toBe(quotesOf(message)[0]?.description);
    const next = await h.interactForMessage(
      button({ customId: more!.custom_id, message: message.message, guild: guildA }),
    );
    expect(isEphemeral(next.message)).toBe(true);
    expect(quotesOf(next.message)).toHaveLength(1);
    expect(quotesOf(next.message)[0]?.description).not.toBe(quotesOf(message)[0]?.description);
    expect(buttonsOf(next.message).map((b) => b.label)).toContain(
      'Context of 2 (¶' + /¶(\d+)/.exec(quotesOf(next.message)[0]?.description ?? '')?.[1] + ')',
    );
  });

  it('the asker\'s "More results" and "Context" on a public answer change that answer in place', async () => {
    const asker = makeUser({ username: 'in_place' });
    const first = await ask({ question: 'forced labour in Xinjiang', results: 1 }, guildA, { user: asker });
    expect(isEphemeral(first.message)).toBe(false);
    const firstQuote = quotesOf(first.message)[0]?.description ?? '';
    const click = async (label: string, on: MessageView) => {
      const target = buttonsOf(on).find((b) => b.label.startsWith(label));
      expect(target, label).toBeDefined();
      return h.interactForMessage(
        button({ customId: target!.custom_id, message: on.message, guild: guildA, user: asker }),
      );
    };
    const more = await click('More results', first.message);
    expect(more.record.callback?.type).toBe(7);
    expect(more.message.id).toBe(first.message.id);
    expect(isEphemeral(more.message)).toBe(false);
    expect(more.message.content).toMatch(/^Asked “forced labour in Xinjiang”/);
    expect(quotesOf(more.message)).toHaveLength(1);
    expect(quotesOf(more.message)[0]?.description).not.toBe(firstQuote);
    expect(buttonsOf(more.message).map((b) => b.label)).toContain(
      'Context of 2 (¶' + /¶(\d+)/.exec(quotesOf(more.message)[0]?.description ?? '')?.[1] + ')',
    );

    const context = await click('Context of 2', more.message);
    expect(context.record.callback?.type).toBe(7);
    expect(context.message.id).toBe(first.message.id);
    expect(isEphemeral(context.message)).toBe(false);
    expect(context.message.content).toMatch(/^Asked “forced labour in Xinjiang”/);
    expect(quotesOf(context.message).some((q) => q.title.startsWith('The quoted paragraph'))).toBe(true);

    const back = await click('Back to the answer', context.message);
    expect(back.record.callback?.type).toBe(7);
    expect(quotesOf(back.message)[0]?.description).toBe(quotesOf(more.message)[0]?.description);
  });

  it('a bystander\'s "Context" on a public answer comes privately and leaves the answer as it was', async () => {
    const asker = makeUser({ username: 'asker_ctx' });
    const bystander = makeUser({ username: 'bystander_ctx' });
    const { message } = await ask({ question: 'forced labour in Xinjiang', results: 1 }, guildA, {
      user: asker,
    });
    const context = buttonsOf(message).find((b) => b.label.startsWith('Context of 1'))!;
    const theirs = await h.interactForMessage(
      button({ customId: context.custom_id, message: message.message, guild: guildA, user: bystander }),
    );
    expect(theirs.record.callback?.type).toBe(4);
    expect(isEphemeral(theirs.message)).toBe(true);
    expect(theirs.message.id).not.toBe(message.id);
    const paragraph = /¶(\d+)/.exec(context.label)?.[1];
    expect(quotesOf(theirs.message).some((q) => q.title === `The quoted paragraph (¶${paragraph})`)).toBe(
      true,
    );
    // The public answer is as it was: its message was not edited.
    expect(theirs.record.responses.every((r) => r.messageId !== message.id)).toBe(true);
  });

  it('the context button shows the paragraphs around a quote, privately', async () => {
    const { message } = await ask({ question: 'Why did UK civil servants go to China?', results: 1 });
    const context = buttonsOf(message).find((b) => b.label.startsWith('Context of 1'));
    const shown = await h.interactForMessage(
      button({ customId: context!.custom_id, message: message.message, guild: guildA }),
    );
    expect(isEphemeral(shown.message)).toBe(true);
    expect(quotesOf(shown.message).length).toBeGreaterThanOrEqual(2);
    expect(quotesOf(shown.message).some((e) => e.title === 'The quoted paragraph (¶1)')).toBe(true);
    expect(quotesOf(shown.message).map((e) => /¶(\d+)$/.exec(e.description)?.[1])).toEqual(['1', '2']);
  });

  it('an expired button says so privately', async () => {
    // Signed by the bot, but its state lives in another server: as good as gone.
    const gone = h.buttonState.customId('ask', 'more', { q: 'z'.repeat(200) }, guildB.id);
    const { message } = await h.interactForMessage(button({ customId: gone, guild: guildA }));
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toBe(
      '❌ This button has expired: buttons keep their state for 15 minutes (or until the bot restarts). Run the command again.',
    );
  });

  it('a user asking too often is told to wait', async () => {
    const user = makeUser({ username: 'quick' });
    const replies: string[] = [];
    for (let i = 0; i < 6; i++)
      replies.push((await ask({ question: 'banana bread recipe' }, guildA, { user })).message.content);
    expect(replies.slice(0, 5).every((content) => content.startsWith('The sources do not answer'))).toBe(
      true,
    );
    expect(replies[5]).toMatch(
      /^❌ You have asked 5 times in 30 seconds: wait \d+ seconds? and ask again\.$/,
    );
  });

  it('"Find sources" asks the message text, privately', async () => {
    const { message } = await h.interactForMessage(
      messageContextMenu({
        name: 'Find sources',
        targetMessage: { content: 'Why did UK civil servants go to China?' },
        guild: guildA,
      }),
    );
    expect(isEphemeral(message)).toBe(true);
    expect(quotesOf(message)[0]?.description).toContain('**civil servants**');
  });
});

describe('/source', () => {
  it('lists the documents and shows one in detail', async () => {
    const list = await h.interactForMessage(slashCommand({ name: 'source', guild: guildA }));
    expect(messageText(list.message)).toContain(
      'Foreign companies in Xinjiang and human rights due diligence',
    );
    expect(messageText(list.message)).toContain('`un-tencent-partnership`');
    const details = await h.interactForMessage(
      slashCommand({ name: 'source', options: { document: 'hrw-tencent-bytedance' }, guild: guildA }),
    );
    const embed = details.message.embeds[0];
    expect(embed?.title).toBe("Chinese Tech Firms Fueling Beijing's Repression");
    expect(embed?.fields?.find((f) => f.name === 'Paragraphs')?.value).toMatch(/^8 \(/);
    expect(embed?.fields?.find((f) => f.name === 'Visible')?.value).toContain('everywhere');
  });

  it('autocompletes documents by title', async () => {
    const record = await h.discord.interact(
      autocomplete({
        name: 'ask',
        options: { question: 'x', source: 'tencent' },
        focused: 'source',
        guild: guildA,
      }),
    );
    expect(record.callback?.type).toBe(8);
    expect(record.choices?.map((c) => c.value)).toEqual(
      expect.arrayContaining(['un-tencent-partnership', 'hrw-tencent-bytedance']),
    );
    expect(record.choices?.map((c) => c.value)).not.toContain('hrw-xinjiang-companies');
  });

  it('pages through many documents with buttons', async () => {
    const guild = makeGuild({ name: 'Guild with many documents' });
    for (let i = 1; i <= 8; i++) {
      await h.library.add({
        scope: `guild:${guild.id}`,
        source: { kind: 'text', text: `Numbered note ${i} about river ${i * 7} levels and boats.` },
        title: `Note ${String(i).padStart(2, '0')}`,
        actor: { userId: '1', userName: 'setup' },
      });
    }
    const first = await h.interactForMessage(slashCommand({ name: 'source', guild }));
    expect(first.message.embeds[0]?.footer?.text).toMatch(/^Page 1 of 2/);
    const [previous, next] = buttonsOf(first.message);
    expect(previous?.disabled).toBe(true);
    const second = await h.discord.interact(
      button({ customId: next!.custom_id, message: first.message.message, guild }),
    );
    expect(second.callback?.type).toBe(7);
    const page2 = await second.waitForMessage();
    expect(page2.embeds[0]?.footer?.text).toMatch(/^Page 2 of 2/);
    expect(messageText(page2)).toContain('Note 08');
    expect(messageText(page2)).not.toContain('Note 01');
  });
});

describe('moderators', () => {
  it('add a document from an attachment, and /ask finds it at once', async () => {
    const attachment = h.discord.serveAttachment(
      'harbour-report.txt',
      'Harbour report\n\nThe harbour master confirmed that the zeppelin moorings were inspected in March.\n\nNothing else was found.\n',
      'text/plain',
    );
    const added = await h.interactForMessage(
      slashCommand({
        name: 'document',
        subcommand: 'add',
        options: { file: { attachment }, title: 'Harbour report', publisher: 'Port office' },
        guild: guildA,
        ...moderator,
      }),
    );
    expect(isEphemeral(added.message)).toBe(true);
    expect(added.message.content).toMatch(/^✅ Added \*\*Harbour report\*\*/);
    const { message } = await ask({ question: 'Who inspected the zeppelin moorings?' });
    expect(quotesOf(message)[0]?.description).toContain('**zeppelin moorings**');
    expect(quotesOf(message)[0]?.description).toContain('— Harbour report — Port office');
  });

  it('refuses an ordinary member privately, and changes nothing', async () => {
    const { message } = await h.interactForMessage(
      slashCommand({
        name: 'document',
        subcommand: 'add',
        options: { text: 'Members cannot add this quokka text.', title: 'Quokka' },
        guild: guildA,
        permissions: MEMBER_PERMISSIONS,
      }),
    );
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toBe(
      '❌ Only members with the Manage Server permission can change the sources. Ask a moderator.',
    );
    expect(h.library.list(`guild:${guildA.id}`).some((s) => s.meta.title === 'Quokka')).toBe(false);
  });

  it('keep a server’s documents to that server: ask, source and autocomplete', async () => {
    await addText(
      'Secret lighthouse memo',
      'The lighthouse keeper stored the spare lantern lenses in the cellar.',
    );
    const inA = await ask({ question: 'Where are the spare lantern lenses?' });
    expect(quotesOf(inA.message)[0]?.description).toContain('lantern lenses');
    const inB = await ask({ question: 'Where are the spare lantern lenses?' }, guildB);
    expect(quotesOf(inB.message)).toHaveLength(0);
    expect(inB.message.content).toContain('The sources do not answer');
    const listB = await h.interactForMessage(slashCommand({ name: 'source', guild: guildB }));
    expect(messageText(listB.message)).not.toContain('lighthouse');
    const choicesB = await h.discord.interact(
      autocomplete({
        name: 'ask',
        options: { question: 'x', source: 'lighthouse' },
        focused: 'source',
        guild: guildB,
      }),
    );
    expect(choicesB.choices).toEqual([]);
    const choicesA = await h.discord.interact(
      autocomplete({
        name: 'ask',
        options: { question: 'x', source: 'lighthouse' },
        focused: 'source',
        guild: guildA,
      }),
    );
    expect(choicesA.choices?.map((c) => c.name)).toEqual(['Secret lighthouse memo — Test desk']);
    const detailsB = await h.interactForMessage(
      slashCommand({
        name: 'source',
        options: { document: choicesA.choices![0]!.value as string },
        guild: guildB,
      }),
    );
    expect(detailsB.message.content).toMatch(/^❌ /);
  });

  it('a document with @everyone, a role mention and a masked link renders inert', async () => {
    const role = guildA.roles[0]!.id;
    await addText(
      'Mischief',
      `@everyone the walrus parade starts now <@&${role}> [free walrus](https://evil.example/walrus) **loud**`,
    );
    // The mentions are in the question too: the reply's content echoes it, and only content can ping.
    const { message } = await ask({
      question: 'When does the walrus parade start? @everyone <@123456789012345678>',
    });
    expect(message.content).toContain('walrus parade');
    expect(message.content).toContain('\\@everyone');
    expectInert(message);
    expect(message.pings).toEqual({ everyone: false, users: [], roles: [] });
    const quote = quotesOf(message)[0]?.description ?? '';
    expect(quote).toContain('\\@everyone');
    expect(quote).toContain(`\\<\\@&${role}\\>`);
    expect(quote).toContain('\\[free **walrus**\\](https\\://evil.example/walrus)');
  });

  it('a 20,000-character paragraph is cut at sentence ends to fit, ellipsis outside the quote', async () => {
    const sentences = Array.from(
      { length: 400 },
      (_, i) => `Sentence ${i} mentions ordinary canal barges and their cargo.`,
    );
    sentences[200] = 'Sentence 200 reveals the hidden saffron warehouse ledger.';
    await addText('Long ledger', sentences.join(' ').slice(0, 20_000));
    for (const results of [1, 5]) {
      const { record, message } = await ask({ question: 'hidden saffron warehouse ledger', results });
      expect(record.rejected).toEqual([]);
      const description = quotesOf(message)[0]?.description ?? '';
      expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
      expect(description).toMatch(/^… “Sentence \d+ mentions/);
      expect(description).toMatch(/\.” …\n\n— Long ledger — Test desk, 2024-03-01 · ¶1 \(part \d+ of \d+\)$/);
      expect(description).toContain('__Sentence 200 reveals the **hidden saffron warehouse ledger**.__');
    }
  });

  it('"Add to sources" turns a message into a document with its author and link', async () => {
    const author = makeUser({ username: 'historian_li' });
    const { message } = await h.interactForMessage(
      messageContextMenu({
        name: 'Add to sources',
        targetMessage: { content: 'The tram depot opened in 1911 beside the marmalade factory.', author },
        guild: guildA,
        ...moderator,
      }),
    );
    expect(message.content).toMatch(/^✅ Added/);
    const answer = await ask({ question: 'When did the tram depot open?' });
    expect(quotesOf(answer.message)[0]?.description).toMatch(
      /\[The tram depot .*historian\\_li\)\]\(<https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+>\) — historian\\_li, \d{4}-\d\d-\d\d · ¶1$/,
    );
  });

  it('update replaces the content and keeps the id; remove deletes it', async () => {
    await addText('Ferry timetable', 'The night ferry leaves at midnight from pier nine.');
    const id = h.library.list(`guild:${guildA.id}`).find((s) => s.meta.title === 'Ferry timetable')!.meta.id;
    const updated = await h.interactForMessage(
      slashCommand({
        name: 'document',
        subcommand: 'update',
        options: { document: id, text: 'The night ferry now leaves at one from pier ten.' },
        guild: guildA,
        ...moderator,
      }),
    );
    expect(updated.message.content).toContain(`✅ Updated **Ferry timetable** (\`${id}\`)`);
    const answer = await ask({ question: 'When does the night ferry leave?' });
    expect(quotesOf(answer.message)[0]?.description).toContain('pier ten');
    expect(messageText(answer.message)).not.toContain('pier nine');
    const removed = await h.interactForMessage(
      slashCommand({
        name: 'document',
        subcommand: 'remove',
        options: { document: id },
        guild: guildA,
        ...moderator,
      }),
    );
    expect(removed.message.content).toMatch(/^✅ Removed \*\*Ferry timetable\*\*/);
    expect((await ask({ question: 'When does the night ferry leave?' })).message.content).toContain(
      'The sources do not answer',
    );
  });

  it.each([
    [
      'an oversized file',
      () => h.discord.serveAttachment('big.txt', new Uint8Array(10 * 1024 * 1024 + 1).fill(65), 'text/plain'),
      /^❌ big\.txt is larger than 10 MB/,
    ],
    ['neither file nor text', undefined, /^❌ Give the document as a file/],
  ])('refuses %s with a sentence that says why', async (_name, makeAttachment, expected) => {
    const before = h.library.list(`guild:${guildA.id}`).length;
    const options: Record<string, OptionValue> = makeAttachment
      ? { file: { attachment: makeAttachment() } }
      : { title: 'Nothing' };
    const { message } = await h.interactForMessage(
      slashCommand({ name: 'document', subcommand: 'add', options, guild: guildA, ...moderator }),
    );
    expect(message.content).toMatch(expected);
    expect(h.library.list(`guild:${guildA.id}`)).toHaveLength(before);
  });

  it('added documents survive a restart over the same DATA_DIR', async () => {
    await h.restart();
    const { message } = await ask({ question: 'Who inspected the zeppelin moorings?' });
    expect(quotesOf(message)[0]?.description).toContain('**zeppelin moorings**');
  });
});

describe('npm run deploy', () => {
  it('registers every command module, globally or to one server', async () => {
    const commands = await loadCommands();
    const names = [...commands.values()].map((c) => commandJson(c).name).sort();
    expect(names).toEqual([
      'Add to sources',
      'Find sources',
      'ask',
      'document',
      'glossary',
      'insights',
      'settings',
      'source',
    ]);
    const global = await deployCommands(h.config);
    expect(global.target).toBe('global');
    expect(
      h.discord
        .registeredCommands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(names);
    await deployCommands({ ...h.config, discordGuildId: guildA.id });
    const inGuild = h.discord.registeredCommands(guildA.id);
    expect(inGuild.map((c) => c.name).sort()).toEqual(names);
    for (const name of ['document', 'glossary']) {
      const command = inGuild.find((c) => c.name === name);
      expect(command?.default_member_permissions, name).toBe(String(PermissionFlagsBits.ManageGuild));
    }
  });

  it('says which settings are missing', async () => {
    await expect(
      deployCommands({ ...h.config, discordToken: undefined, discordClientId: undefined }),
    ).rejects.toThrow(
      'Cannot register commands: set DISCORD_TOKEN (the bot token) and DISCORD_CLIENT_ID (the application id) in .env (see .env.example).',
    );
  });
});
