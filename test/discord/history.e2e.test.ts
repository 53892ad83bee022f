/**
 * Document history through the real client against the loopback Discord: `/document history` lists the
 * versions, `/document restore` brings one back after an update and after a removal (the removed document
 * offered by autocomplete), `/document log` pages the server's audit, and a member without Manage Server
 * trying each of these paths is refused with nothing changed.
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import type { MessageView } from '../helpers/fake-discord.ts';
import { autocomplete, button, slashCommand } from '../helpers/interactions.ts';
import { buttonsOf, messageText, quotesOf, startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'History guild' });
const SCOPE = `guild:${guild.id}` as const;
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_history' }) };
const member = { user: makeUser({ username: 'member_history' }) };
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
});

afterAll(async () => {
  await h?.close();
});

const isEphemeral = (message: MessageView): boolean => (message.flags & MessageFlags.Ephemeral) !== 0;

function document(
  subcommand: string,
  options: Record<string, string | number> = {},
  who: object = moderator,
) {
  return h.interactForMessage(slashCommand({ name: 'document', subcommand, options, guild, ...who }));
}

async function ask(question: string): Promise<string> {
  const { message } = await h.interactForMessage(slashCommand({ name: 'ask', options: { question }, guild }));
  return [messageText(message), ...quotesOf(message).map((q) => q.description ?? '')].join('\n');
}

const KILN = [
  'Kiln firing notes',
  'The wood kiln is loaded on Thursday and fired through Friday night by two potters in turn.',
  'Cones ten and eleven bend by Saturday morning; the kiln cools for three days before unbricking.',
].join('\n\n');
const KILN_2 = KILN.replace(
  'three days before unbricking',
  'five days, since the new bricks crack when rushed',
);

/** What the server has now, to show that a refusal changed nothing. */
async function state(): Promise<unknown> {
  return {
    documents: h.library.list(SCOPE).map((s) => [s.meta.id, s.characters]),
    audit: (await h.library.auditLog(SCOPE, 0, 100)).total,
  };
}

describe('/document history and restore', () => {
  it('lists the versions after an update, and restores the earlier one', async () => {
    const added = await document('add', { text: KILN, title: 'Kiln *firing* notes' });
    const id = /`([^`]+)`/.exec(added.message.content)?.[1] ?? '';
    await document('update', { document: id, text: KILN_2 });
    expect(await ask('How long does the kiln cool?')).toContain('five days');

    const history = await document('history', { document: id });
    expect(isEphemeral(history.message)).toBe(true);
    const lines = history.message.content.split('\n');
    // The title is echoed escaped: a member's markdown never formats the bot's message.
    expect(lines[0]).toBe(`History of **Kiln \\*firing\\* notes** (\`${id}\`): 2 versions.`);
    expect(lines[1]).toMatch(
      /^\*\*v2\*\* \(current\) · \d{4}-\d\d-\d\d \d\d:\d\d UTC · mod\\_history · [\d,]+ characters · paragraphs: 0 added, 1 changed, 0 removed$/,
    );
    expect(lines[2]).toMatch(
      /^\*\*v1\*\* · .* · mod\\_history · [\d,]+ characters · paragraphs: first version$/,
    );

    const restored = await document('restore', { document: id, version: 1 });
    expect(restored.message.content).toMatch(/^✅ Restored \*\*Kiln \\\*firing\\\* notes\*\*/);
    expect(await ask('How long does the kiln cool?')).toContain('three days before unbricking');
    const after = await document('history', { document: id });
    expect(after.message.content).toContain('3 versions');
    expect(after.message.content).toMatch(
      /\*\*v3\*\* \(current\) .* paragraphs: 0 added, 1 changed, 0 removed/,
    );
  });

  it('brings back a removed document, offered by autocomplete', async () => {
    const added = await document('add', {
      text: 'The glaze shed keeps ash glazes in lidded buckets labelled by the week they were mixed.',
      title: 'Glaze shed',
    });
    const id = /`([^`]+)`/.exec(added.message.content)?.[1] ?? '';
    const removed = await document('remove', { document: id });
    expect(removed.message.content).toContain('/document restore brings it back within 30 days.');
    expect(h.library.list(SCOPE).map((s) => s.meta.id)).not.toContain(id);

    const offered = await h.discord.interact(
      autocomplete({
        name: 'document',
        subcommand: 'restore',
        options: { document: 'glaze' },
        guild,
        ...moderator,
      }),
    );
    expect(offered.choices).toContainEqual({
      name: expect.stringMatching(/^Glaze shed \(removed \d{4}-\d\d-\d\d\)$/),
      value: id,
    });
    const history = await document('history', { document: id });
    expect(history.message.content).toMatch(
      /\nRemoved by mod\\_history at .*; \/document restore brings it back\./,
    );

    const back = await document('restore', { document: id });
    expect(back.message.content).toMatch(/^✅ Restored \*\*Glaze shed\*\*/);
    expect(await ask('How are the ash glazes kept?')).toContain('lidded buckets');
  });

  it('shows the server audit newest first, paged with buttons', async () => {
    for (let i = 1; i <= 16; i++) {
      await h.library.add({
        scope: SCOPE,
        source: {
          kind: 'text',
          text: `Shelf ${i} holds ${i * 3} bisque bowls waiting for the glaze firing.`,
        },
        title: `Shelf ${i}`,
        actor: { userId: '5', userName: 'setup' },
      });
    }
    const total = (await h.library.auditLog(SCOPE, 0, 1)).total;
    const first = await document('log');
    expect(isEphemeral(first.message)).toBe(true);
    expect(first.message.content.split('\n')[0]).toBe(
      `Changes to this server's documents, newest first (1–15 of ${total}):`,
    );
    expect(first.message.content.split('\n')[1]).toMatch(/ · setup added `shelf-16` \(v1\)$/);
    const older = buttonsOf(first.message).find((b) => b.label === 'Older ▶')!;
    const second = await h.interactForMessage(
      button({ customId: older.custom_id, message: first.message.message, guild, ...moderator }),
    );
    expect(second.message.content.split('\n')[0]).toContain(`(16–${Math.min(30, total)} of ${total})`);
    expect(second.message.content).toContain('mod\\_history restored');
  });
});

describe('a member without Manage Server', () => {
  it.each([
    ['history', {}],
    ['restore', { version: 1 }],
    ['remove', {}],
    ['update', { text: 'Replaced by a member who may not.' }],
  ])('is refused /document %s, and nothing changes', async (subcommand, extra) => {
    const id = h.library.list(SCOPE).find((s) => s.meta.title.startsWith('Kiln'))!.meta.id;
    const before = await state();
    const { message } = await document(subcommand, { document: id, ...extra }, member);
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toMatch(
      /^❌ Only members with the Manage Server permission can change the sources/,
    );
    expect(await state()).toEqual(before);
  });

  it('is refused /document log and its page buttons, and is offered no removed document', async () => {
    const refused = await document('log', {}, member);
    expect(refused.message.content).toMatch(/^❌ Only members with the Manage Server permission/);
    const page = await document('log');
    const older = buttonsOf(page.message).find((b) => b.label === 'Older ▶')!;
    const click = await h.interactForMessage(
      button({ customId: older.custom_id, message: page.message.message, guild, ...member }),
    );
    expect(click.message.content).toMatch(/^❌ Only members with the Manage Server permission/);

    const added = await document('add', {
      text: 'The clay store is swept every Monday before the wedging.',
      title: 'Clay store',
    });
    const id = /`([^`]+)`/.exec(added.message.content)?.[1] ?? '';
    await document('remove', { document: id });
    const offered = await h.discord.interact(
      autocomplete({
        name: 'document',
        subcommand: 'restore',
        options: { document: 'clay' },
        guild,
        ...member,
      }),
    );
    expect(offered.choices?.map((c) => c.value)).not.toContain(id);
    const before = await state();
    const restore = await document('restore', { document: id }, member);
    expect(restore.message.content).toMatch(/^❌ Only members with the Manage Server permission/);
    expect(await state()).toEqual(before);
  });
});
