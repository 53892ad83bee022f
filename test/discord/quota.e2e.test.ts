/**
 * The per-server quota through both doors: a moderator on Discord and an operator in the terminal, with
 * the same QUOTA_* settings, get the same sentence for the same refusal, because the library enforces it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { makeGuild, makeUser, MODERATOR_PERMISSIONS } from '../helpers/entities.ts';
import { slashCommand } from '../helpers/interactions.ts';
import { runInProcess } from '../cli/run-cli.ts';
import { temporaryDir } from '../store/helpers.ts';
import { startHarness } from './bot-harness.ts';
import type { Harness } from './bot-harness.ts';

const guild = makeGuild({ name: 'Quota guild' });
const SENTENCE = 'This server already has 2 documents, its limit: remove one before adding another.';
let h: Harness;

beforeAll(async () => {
  h = await startHarness([guild], { config: { quotas: loadConfig({ QUOTA_DOCUMENTS: '2' }).quotas } });
});

afterAll(async () => {
  await h?.close();
});

function paragraph(name: string): string {
  return `The ${name} ferry carried the post and the milk churns across the sound twice a week.`;
}

describe('a server past its document quota', () => {
  it('is told the limit on Discord', async () => {
    const add = (name: string) =>
      h.interactForMessage(
        slashCommand({
          name: 'document',
          subcommand: 'add',
          guild,
          permissions: MODERATOR_PERMISSIONS,
          user: makeUser({ username: 'mod_quota' }),
          options: { text: paragraph(name) },
        }),
      );
    expect((await add('north')).message.content).toMatch(/^✅ Added/);
    expect((await add('south')).message.content).toMatch(/^✅ Added/);
    expect((await add('east')).message.content).toBe(`❌ ${SENTENCE}`);
  });

  it('is told the same in the terminal', async () => {
    const temp = await temporaryDir();
    try {
      const env = { DATA_DIR: temp.dir, LOG_LEVEL: 'silent', QUOTA_DOCUMENTS: '2' };
      for (const name of ['north', 'south', 'east']) {
        const file = join(temp.dir, `${name}.txt`);
        await writeFile(file, `${paragraph(name)}\n`);
        const outcome = await runInProcess(['add', file, '--server', '333333333333333333'], env);
        if (name === 'east') {
          expect(outcome.code).not.toBe(0);
          expect(outcome.stderr.trim()).toBe(SENTENCE);
        } else expect(outcome.code).toBe(0);
      }
    } finally {
      await temp.remove();
    }
  });
});
