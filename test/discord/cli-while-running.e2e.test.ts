/**
 * The CLI while the bot runs (issue 12), end to end: the real bot over the loopback Discord, and
 * `npm run cli -- add` / `remove` run as separate processes on the same DATA_DIR. /ask in the server finds
 * the added document without a restart, and stops finding it once removed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { makeGuild, makeUser } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { runProcess } from '../cli/run-cli.ts';
import { messageText, startHarness, type Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Harbour club' });
const QUESTION = 'How many times does the Kettle Island ferry sail on Sundays?';
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild]);
});
afterAll(async () => {
  await h?.close();
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the running bot never saw the change');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function ask(asker: string): Promise<string> {
  const { message } = await h.interactForMessage(
    slashCommand({
      name: 'ask',
      options: { question: QUESTION },
      guild,
      user: makeUser({ username: asker }),
      applicationId: h.discord.applicationId,
    }),
  );
  return messageText(message);
}

it('answers from a document `npm run cli -- add` stored while it ran, and forgets it after `remove`', async () => {
  const env = { DATA_DIR: h.dataDir, LOG_LEVEL: 'error' };
  expect(await ask('before')).not.toContain('the harbour office said');

  const file = join(h.dataDir, 'ferry.txt');
  await writeFile(
    file,
    'Kettle Island ferry\n\nThe passenger ferry to Kettle Island sails five times on Sundays, the harbour office said.',
  );
  const added = await runProcess(
    'src/cli/main.ts',
    ['add', file, '--server', guild.id, '--title', 'Kettle Island ferry'],
    env,
  );
  expect(added).toMatchObject({ code: 0, stderr: '' });
  const ids = (): string[] => h.library.list(guildScope(guild.id)).map((summary) => summary.meta.id);
  await until(() => ids().includes('kettle-island-ferry'));
  expect(await ask('after-add')).toContain('the harbour office said');

  const removed = await runProcess(
    'src/cli/main.ts',
    ['remove', 'kettle-island-ferry', '--server', guild.id],
    env,
  );
  expect(removed).toMatchObject({ code: 0, stderr: '' });
  await until(() => !ids().includes('kettle-island-ferry'));
  expect(await ask('after-remove')).not.toContain('the harbour office said');
}, 60_000);
