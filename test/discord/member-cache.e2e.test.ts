/**
 * Memory per member (issue 11, failure 9): discord.js keeps a User and a GuildMember for everyone who
 * interacts unless its caches are bounded. Many distinct askers must leave the caches at a fixed size
 * (counted, not timed; the memory curve over 100,000 askers is in `npm run bench -- --only members`).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeGuild, makeUser } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Busy guild' });
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
});
afterAll(async () => {
  await h?.close();
});

it('1,000 questions from 1,000 members leave the user and member caches bounded', async () => {
  const askers = 1000;
  const batch = 50;
  for (let start = 0; start < askers; start += batch) {
    await Promise.all(
      Array.from({ length: batch }, async (_, i) => {
        const user = makeUser({ username: `member_${start + i}` });
        const { message } = await h.interactForMessage(
          slashCommand({ name: 'ask', options: { question: 'forced labour in Xinjiang' }, guild, user }),
        );
        expect(message.content).not.toMatch(/^❌/);
      }),
    );
  }
  const client = h.bot.client;
  const members = client.guilds.cache.get(guild.id)?.members.cache.size ?? 0;
  // The bot's own user (and member) may stay; no asker does.
  expect(client.users.cache.size).toBeLessThanOrEqual(2);
  expect(members).toBeLessThanOrEqual(1);
}, 120_000);
