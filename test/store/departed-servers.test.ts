/**
 * PRIVACY.md's promise, on both databases, through the library as the bot opens it: 30 days after the
 * bot is removed from a server, everything of that server is erased (documents, earlier versions, audit,
 * settings, glossary, questions and votes, its index snapshot); not before, not if it was invited back,
 * and nothing of another server or of the shipped corpus.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, type Scope } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { openDatabase } from '../../src/store/db/connect.ts';
import { eraseServerRows } from '../../src/store/db/erase-server.ts';
import { InsightsStore } from '../../src/store/db/insights.ts';
import { backends } from './backends.ts';
import { GUILD_A, GUILD_B, temporaryDir } from './helpers.ts';

const A = guildScope(GUILD_A);
const B = guildScope(GUILD_B);
const MODERATOR = { userId: '9', userName: 'mod' };
const DAY = 86_400_000;
const FERRY = [
  'Kettle Island ferry',
  'The ferry to Kettle Island leaves the north quay at seven, noon and five, and takes forty minutes.',
  'Bicycles travel free; cars must be booked a day ahead at the harbour office.',
].join('\n\n');
const QUESTION = 'When does the ferry to Kettle Island leave?';
const SHIPPED_QUESTION = 'Who did the British civil servants meet in China?';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`servers the bot left (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    let clock: number;
    let library: Library;
    const open = (): Promise<Library> =>
      openLibrary({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
        now: () => new Date(clock),
        // As the bot opens it: servers' indexes on demand, each with its own snapshot file.
        serversInBackground: true,
      });
    const snapshotOf = (guildId: string): string => join(root.dir, 'index', 'servers', `${guildId}.json`);

    /** A server with everything a server can have: a document updated once, settings, glossary, insights. */
    async function furnish(scope: Scope): Promise<string> {
      const added = await library.add({ scope, source: { kind: 'text', text: FERRY }, actor: MODERATOR });
      await library.update({
        scope,
        id: added.meta.id,
        source: { kind: 'text', text: `${FERRY}\n\nDogs on a lead are welcome on deck.` },
        actor: MODERATOR,
      });
      await library.addGlossaryEntry(scope, { term: 'boat', means: 'ferry', bothWays: false }, MODERATOR);
      await library.changeSettings(scope === A ? GUILD_A : GUILD_B, { answers: 'private' }, MODERATOR);
      await library.insights?.record({
        answerKey: `key-${scope}`,
        scope,
        question: QUESTION,
        words: ['ferry'],
        answered: true,
        origin: 'ask',
        passages: [{ documentId: added.meta.id, paragraph: 2, rank: 1 }],
      });
      await library.insights?.vote(scope, `key-${scope}`, 'voter', true);
      expect((await library.ask(QUESTION, { scope })).answered).toBe(true);
      return added.meta.id;
    }

    /** What of the server the library still has: documents, history, audit, glossary, settings, insights. */
    async function remains(scope: Scope, id: string, guildId: string) {
      // Loaded from the database (or its snapshot) as a member's question would, before it is read.
      await library.prepare(scope);
      const history = await library.history(scope, id).then(
        (h) => h.total,
        (error: unknown) => {
          if ((error as { code?: string }).code === 'UNKNOWN_DOCUMENT') return 0;
          throw error;
        },
      );
      return {
        documents: library.list(scope).filter((d) => d.meta.scope === scope).length,
        history,
        audit: (await library.auditLog(scope, 0, 10)).total,
        glossary: (await library.glossary(scope)).length,
        answers: (await library.settings(guildId)).answers,
        questions: (await library.insights?.questions(scope, new Date(0)))?.length,
        snapshot: existsSync(snapshotOf(guildId)),
      };
    }
    const whole = {
      documents: 1,
      history: 2,
      audit: 2,
      glossary: 1,
      answers: 'private',
      questions: 1,
      snapshot: true,
    };

    beforeEach(async () => {
      root = await temporaryDir('verbatim-departed-');
      url = await backend.databaseUrl();
      clock = Date.parse('2026-06-01T12:00:00.000Z');
      library = await open();
    });
    afterEach(async () => {
      await library.close();
      await root.remove();
    });

    it('erases everything of a server 30 days after the bot left it, and nothing of another', async () => {
      const idA = await furnish(A);
      const idB = await furnish(B);
      // Closing writes each server's snapshot; the reopened library loads them on their first question.
      await library.close();
      library = await open();
      expect((await library.ask(QUESTION, { scope: A })).answered).toBe(true);
      expect(await remains(A, idA, GUILD_A)).toEqual(whole);

      await library.insights?.serverLeft(A);
      clock += 29 * DAY;
      expect(await library.purgeInsights()).toMatchObject({ servers: 0 });
      expect(await remains(A, idA, GUILD_A)).toEqual(whole);

      clock += 2 * DAY;
      expect(await library.purgeInsights()).toMatchObject({ servers: 1 });
      expect(await remains(A, idA, GUILD_A)).toEqual({
        documents: 0,
        history: 0,
        audit: 0,
        glossary: 0,
        answers: 'public',
        questions: 0,
        snapshot: false,
      });
      expect((await library.ask(QUESTION, { scope: A })).passages.map((p) => p.scope)).not.toContain(A);
      // The other server and the shipped corpus answer as before.
      expect(await remains(B, idB, GUILD_B)).toEqual(whole);
      expect((await library.ask(QUESTION, { scope: B })).passages[0]?.documentId).toBe(idB);
      expect((await library.ask(SHIPPED_QUESTION)).answered).toBe(true);

      // Done once: a restart finds nothing of A and no departure left to erase.
      await library.close();
      library = await open();
      expect(await remains(A, idA, GUILD_A)).toMatchObject({ documents: 0, audit: 0, snapshot: false });
      expect(await library.purgeInsights()).toMatchObject({ servers: 0 });
    });

    it('finishes the erase of a server cut short after its rows went (a kill before its files)', async () => {
      const idA = await furnish(A);
      await library.close(); // writes A's snapshot
      const database = openDatabase({ dataDir: root.dir, databaseUrl: url });
      await new InsightsStore(database, () => new Date(clock)).serverLeft(A);
      clock += 31 * DAY;
      await eraseServerRows(database, A);
      await database.close();
      expect(existsSync(snapshotOf(GUILD_A))).toBe(true);

      library = await open();
      expect(await library.purgeInsights()).toMatchObject({ servers: 1 });
      expect(await remains(A, idA, GUILD_A)).toMatchObject({ documents: 0, audit: 0, snapshot: false });
      expect(await library.insights?.departedBefore(new Date(clock))).toEqual([]);
    });

    it('keeps everything of a server that invited the bot back', async () => {
      const idA = await furnish(A);
      await library.insights?.serverLeft(A);
      clock += 20 * DAY;
      await library.insights?.serverJoined(A);
      clock += 20 * DAY;
      expect(await library.purgeInsights()).toMatchObject({ servers: 0 });
      await library.close();
      library = await open();
      expect((await library.ask(QUESTION, { scope: A })).answered).toBe(true);
      expect(await remains(A, idA, GUILD_A)).toEqual(whole);
    });
  });
}
