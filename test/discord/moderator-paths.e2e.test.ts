/**
 * Every moderator path, tried by a member without Manage Server, through the real discord.js client against
 * the loopback Discord: each is refused privately in one sentence and nothing of the server changes (its
 * documents, their audit, its settings, its recorded questions). Discord hides these commands from members
 * (default_member_permissions), but a member can still send the interaction, so the handlers check again.
 */
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { makeGuild, makeUser, MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { messageContextMenu, slashCommand } from '../helpers/interactions.ts';
import type { APIInteraction } from 'discord.js';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Moderator paths guild' });
const SCOPE = guildScope(guild.id);
const moderator = { permissions: MODERATOR_PERMISSIONS, user: makeUser({ username: 'mod_paths' }) };
let h: Harness;
let documentId = '';

beforeAll(async () => {
  h = await startHarness([guild]);
  const added = await h.interactForMessage(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      options: { text: 'The ferry to the island leaves from pier four at dawn.', title: 'Ferry notes' },
      guild,
      ...moderator,
    }),
  );
  documentId = /`([^`]+)`/.exec(added.message.content)?.[1] ?? '';
  expect(documentId).not.toBe('');
  // A question recorded for /insights, so that an erase would show.
  await h.interactForMessage(
    slashCommand({ name: 'ask', options: { question: 'When does the ferry leave?' }, guild }),
  );
});

afterAll(async () => {
  await h?.close();
});

/** Everything a moderator path could change. */
async function serverState(): Promise<unknown> {
  return {
    documents: h.library
      .list(SCOPE)
      .filter((s) => s.meta.scope === SCOPE)
      .map((s) => [s.meta.id, s.characters, s.meta.updated?.at]),
    audit: (await h.library.auditLog(SCOPE, 0, 100)).total,
    settings: await h.library.settings(guild.id),
    questions: (await h.library.insights?.questions(SCOPE, new Date(0)))?.length,
  };
}

type Path = [string, (who: { user: ReturnType<typeof makeUser>; permissions: string }) => APIInteraction];

const document =
  (subcommand: string, options: () => Record<string, string | number>) =>
  (who: { user: ReturnType<typeof makeUser>; permissions: string }) =>
    slashCommand({ name: 'document', subcommand, options: options(), guild, ...who });

const PATHS: Path[] = [
  ['/document add text:', document('add', () => ({ text: 'A member’s own text.', title: 'Member text' }))],
  ['/document add url:', document('add', () => ({ url: 'https://example.org/page' }))],
  ['/document update', document('update', () => ({ document: documentId, text: 'Replaced by a member.' }))],
  ['/document refresh', document('refresh', () => ({ document: documentId }))],
  ['/document remove', document('remove', () => ({ document: documentId }))],
  ['/document history', document('history', () => ({ document: documentId }))],
  ['/document restore', document('restore', () => ({ document: documentId, version: 1 }))],
  ['/document log', document('log', () => ({}))],
  ['/settings show', (who) => slashCommand({ name: 'settings', subcommand: 'show', guild, ...who })],
  [
    '/settings answers',
    (who) =>
      slashCommand({
        name: 'settings',
        subcommand: 'answers',
        options: { default: 'private' },
        guild,
        ...who,
      }),
  ],
  [
    '/settings insights',
    (who) =>
      slashCommand({ name: 'settings', subcommand: 'insights', options: { enabled: false }, guild, ...who }),
  ],
  ['/insights view', (who) => slashCommand({ name: 'insights', subcommand: 'view', guild, ...who })],
  ['/insights export', (who) => slashCommand({ name: 'insights', subcommand: 'export', guild, ...who })],
  ['/insights clear', (who) => slashCommand({ name: 'insights', subcommand: 'clear', guild, ...who })],
  [
    'Add to sources',
    (who) =>
      messageContextMenu({
        name: 'Add to sources',
        targetMessage: { content: 'A member’s message a member tries to add.', author: makeUser() },
        guild,
        ...who,
      }),
  ],
];

describe('a member without Manage Server, on every moderator path', () => {
  it('has something to lose: a document and a recorded question', async () => {
    expect(await serverState()).toMatchObject({
      documents: [[documentId, expect.any(Number), undefined]],
      questions: 1,
    });
  });

  it.each(PATHS)('%s: refused privately in one sentence, and nothing changes', async (_name, interaction) => {
    const before = await serverState();
    // A fresh member each time, so no refusal is a rate limit's.
    const member = { user: makeUser(), permissions: MEMBER_PERMISSIONS };
    const { message } = await h.interactForMessage(interaction(member));
    expect(message.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(message.content).toMatch(
      /^❌ Only members with the Manage Server permission can [^.\n]+\. Ask a moderator\.$/,
    );
    expect(message.files).toEqual([]);
    expect(await serverState()).toEqual(before);
  });
});
