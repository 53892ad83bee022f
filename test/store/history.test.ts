/**
 * History through the library, on both databases: an update keeps the previous version, history lists
 * versions with who, when, size and paragraphs changed, restore brings one back as a new audited revision,
 * a removal can be undone for 30 days and not after, and the audit pages newest first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, VerbatimError } from '../../src/core/index.ts';
import { openLibrary, UNDO_REMOVE_DAYS } from '../../src/library.ts';
import type { Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { backends } from './backends.ts';
import { GUILD_A, temporaryDir } from './helpers.ts';

const SCOPE = guildScope(GUILD_A);
const ALICE = { userId: '1', userName: 'alice' };
const BOB = { userId: '2', userName: 'bob' };

const V1 = [
  'Tide tables',
  'High water at the north quay comes forty minutes after high water at the harbour mouth.',
  'Spring tides flood the slipway twice a month, so boats are moved to the upper pontoon.',
].join('\n\n');
const V2 = [
  'Tide tables',
  'High water at the north quay comes forty minutes after high water at the harbour mouth.',
  'Spring tides now flood the whole car park, and the council has closed it on those days.',
  'A new tide gauge on the breakwater reports every ten minutes to the harbour office.',
].join('\n\n');

async function refusal(promise: Promise<unknown>): Promise<VerbatimError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VerbatimError);
  return error as VerbatimError;
}

for (const backend of backends()) {
  describe.skipIf(backend.skip)(`document history (${backend.name})`, () => {
    let root: { dir: string; remove: () => Promise<void> };
    let url: string | undefined;
    let now: Date;
    let library: Library;
    beforeEach(async () => {
      root = await temporaryDir('verbatim-history-');
      url = await backend.databaseUrl();
      now = new Date('2026-11-01T10:00:00.000Z');
      library = await openLibrary({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
        now: () => now,
      });
    });
    afterEach(async () => {
      await library.close();
      await root.remove();
    });

    const later = (minutes: number): void => {
      now = new Date(now.getTime() + minutes * 60_000);
    };

    it('lists versions newest first with who, when, size and paragraphs changed', async () => {
      const added = await library.add({ scope: SCOPE, source: { kind: 'text', text: V1 }, actor: ALICE });
      later(5);
      await library.update({
        scope: SCOPE,
        id: added.meta.id,
        source: { kind: 'text', text: V2 },
        actor: BOB,
      });
      const history = await library.history(SCOPE, added.meta.id);
      expect(history.total).toBe(2);
      expect(history.removed).toBeUndefined();
      expect(history.versions.map((v) => [v.revision, v.actor.userName, v.at, v.characters])).toEqual([
        [2, 'bob', '2026-11-01T10:05:00.000Z', V2.length],
        [1, 'alice', '2026-11-01T10:00:00.000Z', V1.length],
      ]);
      expect(history.versions[0]?.changes).toEqual({ added: 1, changed: 1, removed: 0, unchanged: 1 });
      expect(history.versions[1]?.changes).toBeUndefined();
    });

    it('restores an earlier version as a new, audited revision, searchable at once', async () => {
      const { meta } = await library.add({ scope: SCOPE, source: { kind: 'text', text: V1 }, actor: ALICE });
      await library.update({ scope: SCOPE, id: meta.id, source: { kind: 'text', text: V2 }, actor: BOB });
      expect((await library.ask('tide gauge breakwater', { scope: SCOPE })).answered).toBe(true);
      later(1);
      const restored = await library.restore({ scope: SCOPE, id: meta.id, revision: 1, actor: BOB });
      expect(restored.meta.updated).toEqual({ ...BOB, at: now.toISOString() });
      expect(restored.meta.added?.userName).toBe('alice');
      expect(
        (await library.ask('Where are boats moved during spring tides?', { scope: SCOPE })).passages[0]?.text,
      ).toContain('upper pontoon');
      const history = await library.history(SCOPE, meta.id);
      expect(history.versions.map((v) => v.revision)).toEqual([3, 2, 1]);
      const log = await library.auditLog(SCOPE, 0, 10);
      expect(log.total).toBe(3);
      expect(log.entries.map((e) => [e.action, e.actor.userName, e.revision])).toEqual([
        ['restore', 'bob', 3],
        ['update', 'bob', 2],
        ['add', 'alice', 1],
      ]);
      expect(
        (await refusal(library.restore({ scope: SCOPE, id: meta.id, revision: 3, actor: BOB }))).message,
      ).toBe(
        `Version 3 is already the current one of "Tide tables": pick an earlier one from /document history.`,
      );
      expect(
        (await refusal(library.restore({ scope: SCOPE, id: meta.id, revision: 9, actor: BOB }))).message,
      ).toBe(`"Tide tables" has versions 1 to 3; there is no version 9. See /document history.`);
    });

    it(`undoes a removal within ${UNDO_REMOVE_DAYS} days, and refuses after`, async () => {
      const { meta } = await library.add({ scope: SCOPE, source: { kind: 'text', text: V1 }, actor: ALICE });
      await library.remove(SCOPE, meta.id, BOB);
      expect((await library.removed(SCOPE)).map((r) => [r.id, r.title, r.actor.userName])).toEqual([
        [meta.id, 'Tide tables', 'bob'],
      ]);
      expect((await library.history(SCOPE, meta.id)).removed?.actor.userName).toBe('bob');
      later(UNDO_REMOVE_DAYS * 24 * 60 - 1);
      const back = await library.restore({ scope: SCOPE, id: meta.id, actor: ALICE });
      expect(back.meta.id).toBe(meta.id);
      expect(library.describe(meta.id, SCOPE).characters).toBe(V1.length);
      expect(await library.removed(SCOPE)).toEqual([]);

      await library.remove(SCOPE, meta.id, BOB);
      later(UNDO_REMOVE_DAYS * 24 * 60 + 1);
      expect(await library.removed(SCOPE)).toEqual([]);
      expect((await refusal(library.restore({ scope: SCOPE, id: meta.id, actor: ALICE }))).message).toBe(
        `"${meta.id}" was removed more than ${UNDO_REMOVE_DAYS} days ago, so it can no longer be restored: add it again.`,
      );
      expect(() => library.describe(meta.id, SCOPE)).toThrow(VerbatimError);
    });

    it('keeps the fetch time of a fetched document, and drops it when a file replaces the text', async () => {
      const fetchedAt = '2026-10-31T08:00:00.000Z';
      const { meta } = await library.add({
        scope: SCOPE,
        source: { kind: 'text', text: V1 },
        url: 'https://example.org/tides',
        fetchedAt,
        actor: ALICE,
      });
      expect(meta.fetchedAt).toBe(fetchedAt);
      await library.close();
      library = await openLibrary({
        dataDir: root.dir,
        databaseUrl: url,
        logger: silentLogger(),
        now: () => now,
      });
      expect(library.describe(meta.id, SCOPE).meta.fetchedAt).toBe(fetchedAt);
      await library.update({ scope: SCOPE, id: meta.id, publisher: 'Harbour office', actor: BOB });
      expect(library.describe(meta.id, SCOPE).meta.fetchedAt).toBe(fetchedAt);
      await library.update({ scope: SCOPE, id: meta.id, source: { kind: 'text', text: V2 }, actor: BOB });
      expect(library.describe(meta.id, SCOPE).meta.fetchedAt).toBeUndefined();
    });

    it('pages the audit newest first', async () => {
      for (const n of [1, 2, 3]) {
        await library.add({
          scope: SCOPE,
          source: {
            kind: 'text',
            text: `Note ${n}\n\nThe ${'ferry '.repeat(n)}sailed at dawn ${n} times with cargo.`,
          },
          actor: ALICE,
        });
      }
      const page = await library.auditLog(SCOPE, 1, 1);
      expect(page.total).toBe(3);
      expect(page.entries.map((e) => e.documentId)).toEqual(['note-2']);
    });
  });
}
