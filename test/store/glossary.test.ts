/**
 * Servers' glossaries through the library, on both databases: stored by migration 0040, kept across a
 * restart, bounded, unique, per server, and applied to that server's questions from the next one on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, MAX_GLOSSARY_ENTRIES, VerbatimError } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { backends } from './backends.ts';
import { GUILD_A, GUILD_B, temporaryDir } from './helpers.ts';

const SCOPE_A = guildScope(GUILD_A);
const SCOPE_B = guildScope(GUILD_B);
const MODERATOR = { userId: '42', userName: 'mod' };
const FERRY = [
  'Kettle Island ferry',
  'The passenger ferry to Kettle Island resumed its timetable on Monday after three months in dry dock.',
].join('\n\n');
const QUESTION = 'What happened on Ketel Eiland on Monday?';

async function refusal(promise: Promise<unknown>): Promise<VerbatimError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VerbatimError);
  return error as VerbatimError;
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`server glossaries (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    let libraries: Library[];
    const open = async (): Promise<Library> => {
      const library = await openLibrary({ dataDir: root.dir, databaseUrl: url, logger: silentLogger() });
      libraries.push(library);
      return library;
    };
    beforeEach(async () => {
      root = await temporaryDir('verbatim-glossary-');
      url = await backend.databaseUrl();
      libraries = [];
    });
    afterEach(async () => {
      for (const library of libraries) await library.close();
      await root.remove();
    });

    it("answers a question in the server's words once the entry is added, and keeps it across a restart", async () => {
      const library = await open();
      for (const scope of [SCOPE_A, SCOPE_B])
        await library.add({ scope, source: { kind: 'text', text: FERRY }, actor: MODERATOR });
      expect((await library.ask(QUESTION, { scope: SCOPE_A })).answered).toBe(false);
      const added = await library.addGlossaryEntry(
        SCOPE_A,
        { term: ' Ketel   Eiland ', means: 'Kettle Island', bothWays: false },
        MODERATOR,
      );
      expect(added).toEqual({ term: 'Ketel Eiland', means: 'Kettle Island', bothWays: false });
      const answer = await library.ask(QUESTION, { scope: SCOPE_A });
      expect(answer.answered).toBe(true);
      expect(answer.passages[0]?.text).toContain('Kettle Island resumed');
      // Another server's questions do not see it.
      expect((await library.ask(QUESTION, { scope: SCOPE_B })).answered).toBe(false);
      await library.close();
      const reopened = await open();
      expect(await reopened.glossary(SCOPE_A)).toEqual([added]);
      expect(await reopened.glossary(SCOPE_B)).toEqual([]);
      expect((await reopened.ask(QUESTION, { scope: SCOPE_A })).answered).toBe(true);
    });

    it('refuses a duplicate (whatever its case) and removes by term, both-ways entries by either side', async () => {
      const library = await open();
      await library.addGlossaryEntry(SCOPE_A, { term: 'Uighur', means: 'Uyghur', bothWays: true }, MODERATOR);
      await library.addGlossaryEntry(
        SCOPE_A,
        { term: 'TikTok owner', means: 'ByteDance', bothWays: false },
        MODERATOR,
      );
      const duplicate = await refusal(
        library.addGlossaryEntry(SCOPE_A, { term: 'uighur', means: 'UYGHUR', bothWays: false }, MODERATOR),
      );
      expect(duplicate.code).toBe('GLOSSARY_DUPLICATE');
      expect(duplicate.message).toBe(
        `"uighur" → "UYGHUR" is already in this server's glossary; /glossary list shows every entry.`,
      );
      expect(await library.removeGlossaryEntry(SCOPE_A, 'uyghur')).toEqual([
        { term: 'Uighur', means: 'Uyghur', bothWays: true },
      ]);
      // A one-way entry is removed by its term only.
      const unknown = await refusal(library.removeGlossaryEntry(SCOPE_A, 'ByteDance'));
      expect(unknown.message).toBe(
        `This server's glossary has no entry for "ByteDance"; /glossary list shows every entry.`,
      );
      expect(await library.glossary(SCOPE_A)).toEqual([
        { term: 'TikTok owner', means: 'ByteDance', bothWays: false },
      ]);
    });

    it(`holds at most ${MAX_GLOSSARY_ENTRIES} entries per server; a refused entry changes nothing`, async () => {
      const library = await open();
      for (let i = 0; i < MAX_GLOSSARY_ENTRIES; i++)
        await library.addGlossaryEntry(
          SCOPE_A,
          { term: `term${i}`, means: `meaning${i}`, bothWays: false },
          MODERATOR,
        );
      const full = await refusal(
        library.addGlossaryEntry(SCOPE_A, { term: 'alpha', means: 'beta', bothWays: false }, MODERATOR),
      );
      expect(full.message).toBe(
        `This server's glossary is full (${MAX_GLOSSARY_ENTRIES} entries); remove an entry with /glossary remove before adding another.`,
      );
      expect(await library.glossary(SCOPE_A)).toHaveLength(MAX_GLOSSARY_ENTRIES);
      // Another server has its own allowance.
      await library.addGlossaryEntry(SCOPE_B, { term: 'alpha', means: 'beta', bothWays: false }, MODERATOR);
      expect(await library.glossary(SCOPE_B)).toHaveLength(1);
    });
  });
}
