/**
 * The CLI while the bot runs (issue 12): documents that `npm run cli -- add`, `update` and `remove` change
 * from another process reach a running library's index without a restart, on both databases (SQLite: its
 * data version, polled; PostgreSQL: LISTEN/NOTIFY). The running library is the one the bot uses.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { runProcess } from '../cli/run-cli.ts';
import { backends } from './backends.ts';
import { capturingLogger, GUILD_A, temporaryDir } from './helpers.ts';

const SCOPE = guildScope(GUILD_A);
const QUESTION = 'How often does the Kettle Island ferry sail on Sundays?';
const FERRY = [
  'Kettle Island ferry',
  'The passenger ferry to Kettle Island sails five times on Sundays, the harbour office announced.',
].join('\n\n');
const REVISED = [
  'Kettle Island ferry',
  'The passenger ferry to Kettle Island now sails seven times on Sundays after the crew rota was filled.',
].join('\n\n');

/** Polls `check` until it holds (the feed is asynchronous), or fails after `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the running library never saw the change');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `documents changed by the CLI reach a running library (${backend.name})`,
    () => {
      let root: { dir: string; remove: () => Promise<void> };
      let library: Library;
      let env: Record<string, string>;

      beforeEach(async () => {
        root = await temporaryDir('verbatim-feed-');
        const url = await backend.databaseUrl();
        env = { DATA_DIR: root.dir, ...(url === undefined ? {} : { DATABASE_URL: url }), LOG_LEVEL: 'error' };
        library = await openLibrary({
          dataDir: root.dir,
          databaseUrl: url,
          logger: capturingLogger().logger,
          changePollMs: 20,
        });
      });
      afterEach(async () => {
        await library.close();
        await root.remove();
      });

      const ids = (): string[] => library.list(SCOPE).map((entry) => entry.meta.id);
      const firstAnswer = async (): Promise<string | undefined> =>
        (await library.ask(QUESTION, { scope: SCOPE })).passages[0]?.text;

      it('sees an add, an update and a removal made by `npm run cli` in another process, without a restart', async () => {
        const file = join(root.dir, 'ferry.txt');
        await writeFile(file, FERRY);
        const added = await runProcess(
          'src/cli/main.ts',
          ['add', file, '--server', GUILD_A, '--title', 'Kettle Island ferry'],
          env,
        );
        expect(added).toMatchObject({ code: 0, stderr: '' });
        await eventually(() => ids().includes('kettle-island-ferry'));
        expect(await firstAnswer()).toContain('sails five times on Sundays');

        await writeFile(file, REVISED);
        const updated = await runProcess(
          'src/cli/main.ts',
          ['update', 'kettle-island-ferry', file, '--server', GUILD_A],
          env,
        );
        expect(updated).toMatchObject({ code: 0, stderr: '' });
        await eventually(async () => (await firstAnswer())?.includes('seven times') === true);
        expect(library.describe('kettle-island-ferry', SCOPE).meta.updated?.userId).toBe('terminal');

        const removed = await runProcess(
          'src/cli/main.ts',
          ['remove', 'kettle-island-ferry', '--server', GUILD_A],
          env,
        );
        expect(removed).toMatchObject({ code: 0, stderr: '' });
        await eventually(() => !ids().includes('kettle-island-ferry'));
        expect(
          (await library.ask(QUESTION, { scope: SCOPE })).passages.map((p) => p.documentId),
        ).not.toContain('kettle-island-ferry');
      }, 60_000);

      it('indexes its own writes once, and they stay after the feed has seen them', async () => {
        await library.add({
          scope: SCOPE,
          source: { kind: 'text', text: FERRY },
          actor: { userId: '42', userName: 'mod' },
        });
        // Another process's write wakes the feed, which reads this process's own change too.
        const file = join(root.dir, 'other.txt');
        await writeFile(
          file,
          'Tide tables\n\nThe spring tide tables were reprinted in May with corrections.',
        );
        expect(
          await runProcess(
            'src/cli/main.ts',
            ['add', file, '--server', GUILD_A, '--title', 'Tide tables'],
            env,
          ),
        ).toMatchObject({
          code: 0,
        });
        await eventually(() => ids().includes('tide-tables'));
        expect(ids().filter((id) => id === 'kettle-island-ferry')).toHaveLength(1);
        expect(await firstAnswer()).toContain('sails five times on Sundays');
      }, 60_000);
    },
  );
}
