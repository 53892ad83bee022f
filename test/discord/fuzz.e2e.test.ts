/**
 * Fuzzing every way in (issue 11): every command, subcommand, option, button custom_id and autocomplete,
 * driven through the loopback Discord with arbitrary values, including what Discord's own client never
 * sends (wrong option types, out-of-range numbers, unknown subcommands and commands, forged or mutated
 * custom_ids, hostile markdown, mentions and bidi controls). For every interaction: acknowledged within
 * Discord's 3 s, nothing refused for breaking Discord's limits, no stack trace, no unescaped user text,
 * `allowed_mentions` empty, and nothing stored changed unless a moderator asked.
 */
import { ApplicationCommandOptionType } from 'discord.js';
import type { APIApplicationCommandInteractionDataOption, APIInteraction } from 'discord.js';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeGuild, makeUser, MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { InteractionRecord, MessageView } from '../helpers/fake-discord.ts';
import { autocomplete, button, messageContextMenu, slashCommand } from '../helpers/interactions.ts';
import { buttonsOf, messageText, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Fuzzed guild' });
let h: Harness;
/** Real custom_ids the bot made, to be clicked as they are and mutated. */
const realCustomIds: string[] = [];

beforeAll(async () => {
  h = await startHarness([guild]);
  await h.library.add({
    scope: `guild:${guild.id}`,
    source: {
      kind: 'text',
      text: 'The harbour crane lifted crates of tin.\n\nThe ferry left at dawn for the island.',
    },
    title: 'Harbour [log](http://evil.example) @everyone',
    url: 'https://example.org/@here',
    actor: { userId: '1', userName: 'setup' },
  });
  const asks: Array<Record<string, string | number | boolean>> = [
    { question: 'forced labour in Xinjiang', results: 1 },
    { question: 'harbour crane tin', private: true },
  ];
  for (const options of asks) {
    const { message } = await h.interactForMessage(slashCommand({ name: 'ask', options, guild }));
    realCustomIds.push(...buttonsOf(message).map((b) => b.custom_id));
  }
  const list = await h.interactForMessage(slashCommand({ name: 'source', guild }));
  realCustomIds.push(...buttonsOf(list.message).map((b) => b.custom_id));
});

afterAll(async () => {
  await h?.close();
});

// ---- arbitraries ------------------------------------------------------------------------------------

/** Text an attacker would try: markdown, masked links, mentions, bidi and zero-width controls, long runs. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '[x](http://evil.example)',
        '@everyone',
        '@here',
        '<@123456789012345678>',
        '<@&123456789012345678>',
        '**b**',
        '__u__',
        '`c`',
        '# h',
        '> q',
        '\u202E',
        '\u2066',
        '\u200B',
        'https://evil.example',
        'harbour',
        'forced labour',
        '\n',
        '-',
        '1.',
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(' ')),
  fc.string({ minLength: 250, maxLength: 7000 }),
);

const optionNames = fc.constantFrom(
  'question',
  'source',
  'results',
  'private',
  'document',
  'text',
  'title',
  'publisher',
  'date',
  'url',
  'file',
  'term',
  'means',
  'both_ways',
  'bogus',
);

/** An option value of any type, including ones the registered option never has. */
const optionOf = (name: string): fc.Arbitrary<APIApplicationCommandInteractionDataOption> =>
  fc.oneof(
    hostileText.map((value) => ({ name, type: ApplicationCommandOptionType.String, value })),
    fc.integer().map((value) => ({ name, type: ApplicationCommandOptionType.Integer, value })),
    fc.double({ noNaN: true }).map((value) => ({ name, type: ApplicationCommandOptionType.Number, value })),
    fc.boolean().map((value) => ({ name, type: ApplicationCommandOptionType.Boolean, value })),
    fc
      .string({ maxLength: 20 })
      .map((value) => ({ name, type: ApplicationCommandOptionType.Attachment, value })),
  ) as fc.Arbitrary<APIApplicationCommandInteractionDataOption>;

const options = fc
  .uniqueArray(optionNames, { maxLength: 5 })
  .chain((names) => fc.tuple(...names.map(optionOf)));

const who = fc.constantFrom('member', 'moderator');
const userFor = (role: string): { user: ReturnType<typeof makeUser>; permissions: string } => ({
  // A fresh user each time: the cooldown is tested elsewhere; here it must not hide other answers.
  user: makeUser({ username: role === 'moderator' ? 'fuzz_mod' : 'fuzz_member' }),
  permissions: role === 'moderator' ? MODERATOR_PERMISSIONS : MEMBER_PERMISSIONS,
});

const slash = fc
  .record({
    name: fc.constantFrom('ask', 'source', 'document', 'glossary', 'nope'),
    subcommand: fc.option(fc.constantFrom('add', 'update', 'remove', 'list', 'explode'), { nil: undefined }),
    options,
    role: who,
  })
  .map(({ name, subcommand, options: given, role }) => ({
    role,
    payload: slashCommand({
      name,
      options: given,
      ...(subcommand ? { subcommand } : {}),
      guild,
      ...userFor(role),
    }),
  }));

/** /glossary with well-typed hostile terms, so adds and removals get past option parsing and are stored. */
const glossarySlash = fc
  .record({
    subcommand: fc.constantFrom('add', 'remove', 'list'),
    term: hostileText,
    means: hostileText,
    bothWays: fc.boolean(),
    role: who,
  })
  .map(({ subcommand, term, means, bothWays, role }) => ({
    role,
    payload: slashCommand({
      name: 'glossary',
      subcommand,
      options:
        subcommand === 'list'
          ? {}
          : { term, means, ...(subcommand === 'add' ? { both_ways: bothWays } : {}) },
      guild,
      ...userFor(role),
    }),
  }));

const completion = fc
  .record({
    name: fc.constantFrom('ask', 'source', 'document', 'nope'),
    focused: fc.constantFrom('source', 'document', 'question', 'bogus'),
    typed: fc.oneof(hostileText, fc.integer()),
    subcommand: fc.option(fc.constantFrom('update', 'remove', 'explode'), { nil: undefined }),
    role: who,
  })
  .map(({ name, focused, typed, subcommand, role }) => ({
    role,
    payload: autocomplete({
      name,
      options: { [focused]: typed },
      focused,
      ...(subcommand ? { subcommand } : {}),
      guild,
      ...userFor(role),
    }),
  }));

/** Real custom_ids, the same mutated, forged JSON state, and arbitrary strings up to Discord's 100. */
const customId = fc.oneof(
  fc.nat().map((i) => realCustomIds[i % Math.max(1, realCustomIds.length)] ?? 'ask:more'),
  fc.tuple(fc.nat(), fc.nat(99), fc.string({ minLength: 1, maxLength: 1 })).map(([i, at, c]) => {
    const id = realCustomIds[i % Math.max(1, realCustomIds.length)] ?? 'ask:more:x';
    return (id.slice(0, at) + c + id.slice(at + 1)).slice(0, 100);
  }),
  fc
    .record({ q: hostileText, n: fc.integer(), o: fc.integer(), p: fc.boolean(), u: fc.string() })
    .map((data) => `ask:more:${'A'.repeat(16)}=${JSON.stringify(data)}`.slice(0, 100)),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('ask:post:', 'ask:ctx:', 'source:page:', 'nope:x:', ':', '::::', 'ask'),
);

const click = fc.record({ id: customId, role: who }).map(({ id, role }) => ({
  role,
  payload: button({ customId: id, guild, ...userFor(role) }),
}));

const menu = fc
  .record({ name: fc.constantFrom('Find sources', 'Add to sources'), content: hostileText, role: who })
  .map(({ name, content, role }) => ({
    role,
    payload: messageContextMenu({ name, targetMessage: { content }, guild, ...userFor(role) }),
  }));

// ---- what every reply must hold --------------------------------------------------------------------

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const LIVE_LINK = /(^|[^\\])\[[^\]]*(?<!\\)\]\(\s*<?https?:/;
const STACK = /\n\s+at |\.(ts|js):\d+|TypeError|ReferenceError|Cannot read propert/;

/** What is stored for this server: documents' ids and titles, and the glossary, to see that nothing changed. */
async function stored(): Promise<string> {
  const scope = `guild:${guild.id}` as const;
  return JSON.stringify([
    h.library.list(scope).map((s) => [s.meta.id, s.meta.title]),
    await h.library.glossary(scope),
  ]);
}

/** A quote and its source line in message content: `“quote”\n— source`, maybe titled, maybe with ellipses. */
const QUOTE_BLOCK = /^(\*\*[^\n]*\*\*\n)?(… )?“[\s\S]*”( …)?\n— /;

/** Text outside quotes (which stay verbatim): the content but its quote blocks, every embed part but quote descriptions. */
function echoedText(message: MessageView): string {
  return [
    message.content
      .split('\n\n')
      .filter((block) => !QUOTE_BLOCK.test(block))
      .join('\n\n'),
    ...message.embeds.flatMap((e) => [e.title ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ].join('\n');
}

async function check(role: string, payload: APIInteraction): Promise<void> {
  const before = await stored();
  // interact() rejects when the bot did not acknowledge within Discord's 3 seconds.
  const record: InteractionRecord = await h.discord.interact(payload);
  if (record.callback?.type === 5) await record.waitForMessage();
  // Let follow-ups and edits land before looking.
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(record.rejected, record.describe()).toEqual([]);
  for (const message of record.messages) {
    const all = messageText(message);
    expect(all).not.toMatch(STACK);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.pings).toEqual({ everyone: false, users: [], roles: [] });
    const echoed = echoedText(message);
    expect(echoed).not.toMatch(LIVE_LINK);
    expect(echoed).not.toMatch(/(^|[^\\])@(everyone|here)/);
    expect(echoed).not.toMatch(/(^|[^\\])<[@#]/);
    expect(echoed).not.toMatch(INVISIBLE);
  }
  for (const choice of record.choices ?? []) {
    expect(choice.name.length).toBeLessThanOrEqual(100);
    expect(String(choice.value).length).toBeLessThanOrEqual(100);
  }
  if (role !== 'moderator') expect(await stored()).toBe(before);
}

const interaction = fc.oneof(slash, glossarySlash, completion, click, menu);

it('every interaction, whatever its values, is answered in time, within limits and inert', async () => {
  await fc.assert(
    fc.asyncProperty(interaction, async ({ role, payload }) => check(role, payload)),
    { numRuns: 600 },
  );
}, 120_000);
