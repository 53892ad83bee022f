/**
 * Insights in the database, on both backends: questions recorded with no user id, one vote per member
 * per answer (changeable), clear per server, retention and the 30 days after the bot leaves a server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { openDatabase, type StoreDatabase } from '../../src/store/db/connect.ts';
import { InsightsStore, type QuestionRecord } from '../../src/store/db/insights.ts';
import { migrate } from '../../src/store/db/migrations.ts';
import { backends } from './backends.ts';
import { GUILD_A, GUILD_B, temporaryDir } from './helpers.ts';

const A = guildScope(GUILD_A);
const B = guildScope(GUILD_B);
const DAY = 86_400_000;

function question(key: string, overrides: Partial<QuestionRecord> = {}): QuestionRecord {
  return {
    answerKey: key,
    scope: A,
    question: `question ${key}`,
    words: ['question', key],
    answered: true,
    origin: 'ask',
    passages: [{ documentId: 'doc', paragraph: 3, rank: 1 }],
    ...overrides,
  };
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`insights store (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let database: StoreDatabase;
    let clock: number;
    let insights: InsightsStore;
    beforeEach(async () => {
      root = await temporaryDir('verbatim-insights-');
      database = openDatabase({ dataDir: root.dir, databaseUrl: await backend.databaseUrl() });
      await migrate(database);
      clock = Date.parse('2026-06-01T12:00:00.000Z');
      insights = new InsightsStore(database, () => new Date(clock));
    });
    afterEach(async () => {
      await database.close();
      await root.remove();
    });

    it('keeps a question with its words, outcome and passages, and one vote per member, changeable', async () => {
      await insights.record(question('k1', { answered: false, reason: 'weak-match', passages: [] }));
      await insights.record(question('k2'));
      expect(await insights.vote(A, 'k2', 'voter-1', false)).toBe('recorded');
      expect(await insights.vote(A, 'k2', 'voter-1', false)).toBe('unchanged');
      expect(await insights.vote(A, 'k2', 'voter-1', true)).toBe('changed');
      expect(await insights.vote(A, 'k2', 'voter-2', false)).toBe('recorded');
      // Another server cannot vote on this server's answer, nor on one that does not exist.
      expect(await insights.vote(B, 'k2', 'voter-3', false)).toBe('unknown-answer');
      expect(await insights.vote(A, 'nope', 'voter-3', false)).toBe('unknown-answer');
      const stored = await insights.questions(A, new Date(0));
      expect(stored.map((q) => [q.answerKey, q.answered, q.reason, q.helpful, q.unhelpful])).toEqual([
        ['k1', false, 'weak-match', 0, 0],
        ['k2', true, undefined, 1, 1],
      ]);
      expect(stored[1]?.passages).toEqual([{ documentId: 'doc', paragraph: 3, rank: 1 }]);
      expect(stored[1]?.words).toEqual(['question', 'k2']);
      // Nothing that names a member is stored: the row has no user column, the vote only a hash.
      const columns = Object.keys(
        (await database.db.selectFrom('insight_questions').selectAll().executeTakeFirstOrThrow()) as object,
      );
      expect(columns.some((c) => /user|member|author/.test(c))).toBe(false);
    });

    it('clears one server and leaves the other', async () => {
      await insights.record(question('a1'));
      await insights.record(question('b1', { scope: B }));
      await insights.vote(A, 'a1', 'v', true);
      expect(await insights.clear(A)).toBe(1);
      expect(await insights.questions(A, new Date(0))).toEqual([]);
      expect((await insights.questions(B, new Date(0))).map((q) => q.answerKey)).toEqual(['b1']);
      const votes = await database.db.selectFrom('insight_votes').selectAll().execute();
      expect(votes).toEqual([]);
    });

    it('purges what is older than the retention, per server, and lists a server left 30 days ago and not rejoined', async () => {
      await insights.record(question('old-a'));
      await insights.record(question('old-b', { scope: B }));
      await insights.vote(A, 'old-a', 'v', false);
      const own = new Map([[B, 200]]); // B's moderators chose 200 days (/settings insights)
      clock += 100 * DAY;
      await insights.record(question('new-a'));
      expect(await insights.purge(90, own)).toBe(1);
      expect((await insights.questions(A, new Date(0))).map((q) => q.answerKey)).toEqual(['new-a']);
      expect((await insights.questions(B, new Date(0))).map((q) => q.answerKey)).toEqual(['old-b']);

      // Leaves A, comes back within 30 days: kept. Leaves B for good: gone after 30 days.
      await insights.serverLeft(A);
      await insights.serverLeft(B);
      clock += 10 * DAY;
      await insights.serverJoined(A);
      clock += 25 * DAY;
      // Only B is listed for erasing (src/departed-servers.ts erases it whole, test/store/departed-servers).
      expect(await insights.departedBefore(new Date(clock - 30 * DAY))).toEqual([B]);
      expect(await insights.departedBefore(new Date(clock - 36 * DAY))).toEqual([]);
    });
  });
}
