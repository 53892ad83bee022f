/**
 * A document stored while Discord keeps failing the edit of the deferred reply: the moderator is still told
 * (the edit is tried again, then a private follow-up is sent), and the log says which way it went.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { capturingLogger } from '../store/helpers.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Flaky guild' });
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const log = capturingLogger();
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild], { logger: log.logger });
});

afterAll(async () => {
  await h?.close();
});

function add(name: string) {
  return h.discord.interact(
    slashCommand({
      name: 'document',
      subcommand: 'add',
      guild,
      permissions: MODERATOR_PERMISSIONS,
      user: makeUser({ username: 'mod_flaky' }),
      options: {
        text: `The ${name} ferry carried the post and the milk churns across the sound twice a week.`,
      },
    }),
  );
}

const stored = (): string[] =>
  h.library
    .list(`guild:${guild.id}`)
    .filter((s) => s.meta.scope === `guild:${guild.id}`)
    .map((s) => s.meta.id);

describe('the confirmation of a stored document', () => {
  it('falls back to a private follow-up when every edit of the deferred reply fails, and logs it', async () => {
    const rule = h.discord.failRequests({ method: 'PATCH', path: EDIT_ORIGINAL, status: 502, times: 1000 });
    const record = await add('north');
    const message = await record
      .waitForMessage((m) => m.kind === 'followup')
      .finally(() => {
        rule.times = 0; // Discord is back: nothing else fails
      });
    expect(message.ephemeral).toBe(true);
    expect(message.content).toMatch(/^✅ Added \*\*The north ferry/);
    expect(rule.failed).toBeGreaterThan(4); // discord.js's own retries, then ours
    expect(stored()).toHaveLength(1);
    // Logged once the follow-up's response arrives, which may be just after the test sees the message.
    await vi.waitFor(() => {
      const line = log.lines.find(
        (l) => l.msg === 'stored; the deferred reply could not be edited, told by follow-up',
      );
      expect(line).toMatchObject({ level: 40, interactionId: record.payload.id });
    });
  });

  it('edits the reply when a retry gets through, without a follow-up', async () => {
    // Four failures: discord.js's first attempt and its three retries; the bot's own retry then succeeds.
    const rule = h.discord.failRequests({ method: 'PATCH', path: EDIT_ORIGINAL, status: 502, times: 4 });
    const record = await add('south');
    const message = await record.waitForMessage();
    expect(message.kind).not.toBe('followup');
    expect(message.content).toMatch(/^✅ Added \*\*The south ferry/);
    expect(rule.failed).toBe(4);
    expect(record.followUps).toHaveLength(0);
  });
});
