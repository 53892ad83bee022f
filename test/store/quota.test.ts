/**
 * Per-server quotas, at the library (where the CLI and Discord both pass): documents, bytes of text,
 * paragraphs and adds per hour, each refused with one sentence that states the limit, nothing stored,
 * and another server unaffected.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guildScope, VerbatimError } from '../../src/core/index.ts';
import { DEFAULT_SERVER_QUOTAS, openLibrary } from '../../src/library.ts';
import type { Library, ServerQuotas } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { GUILD_A, GUILD_B, temporaryDir } from './helpers.ts';

const A = guildScope(GUILD_A);
const B = guildScope(GUILD_B);
const actor = { userId: '42', userName: 'mod' };
let temp: { dir: string; remove: () => Promise<void> };
let clock = 0;

beforeEach(async () => {
  temp = await temporaryDir();
  clock = Date.UTC(2024, 4, 1);
  // Only Date: the hourly rate reads the real clock, and timers must keep running.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(clock);
});
/** Libraries opened by a test: closed before its folder goes, so no background save writes into it then. */
const opened: Library[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((library) => library.close()));
  await temp.remove();
});

function advance(ms: number): void {
  clock += ms;
  vi.setSystemTime(clock);
}

async function open(quotas: Partial<ServerQuotas>): Promise<Library> {
  const library = await openLibrary({
    dataDir: temp.dir,
    logger: silentLogger(),
    quotas: { ...DEFAULT_SERVER_QUOTAS, ...quotas },
  });
  opened.push(library);
  return library;
}

/** A document of `paragraphs` distinct paragraphs, each about 100 characters. */
function text(name: string, paragraphs: number): string {
  return Array.from(
    { length: paragraphs },
    (_, i) =>
      `The ${name} ferry made crossing number ${i + 1} of the season with the post and the milk churns aboard.`,
  ).join('\n\n');
}

function add(library: Library, scope: string, body: string) {
  return library.add({ scope, source: { kind: 'text', text: body }, actor });
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerbatimError);
  const { code, message } = error as VerbatimError;
  return { code, message };
}

const own = (library: Library, scope: string) => library.list(scope).filter((s) => s.meta.scope === scope);

describe('per-server quotas', () => {
  it('refuses a document past the server’s document limit, stating it; another server is unaffected', async () => {
    const library = await open({ documents: 2 });
    await add(library, A, text('north', 2));
    await add(library, A, text('south', 2));
    expect(await refusal(add(library, A, text('east', 2)))).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: 'This server already has 2 documents, its limit: remove one before adding another.',
    });
    expect(own(library, A)).toHaveLength(2);
    await add(library, B, text('east', 2));
    expect(own(library, B)).toHaveLength(1);
  });

  it('counts a removed document brought back by restore, as it counts an add', async () => {
    const library = await open({ documents: 1 });
    const north = await add(library, A, text('north', 2));
    await library.remove(A, north.meta.id, actor);
    await add(library, A, text('south', 2));
    expect(await refusal(library.restore({ scope: A, id: north.meta.id, actor }))).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: 'This server already has 1 document, its limit: remove one before adding another.',
    });
    expect(own(library, A).map((s) => s.meta.id)).not.toContain(north.meta.id);
  });

  it('refuses text past the byte limit, on add and on update', async () => {
    const library = await open({ bytes: 200 * 1024 });
    const first = await add(library, A, text('north', 1500)); // about 145 KB
    expect(await refusal(add(library, A, text('south', 1000)))).toEqual({
      code: 'QUOTA_EXCEEDED',
      message:
        "The pasted text would bring this server's documents to 0.3 MB of text, past its limit of 0.2 MB: remove or shorten some of its documents first.",
    });
    // Replacing a document counts the new text instead of the old, not on top of it.
    await library.update({
      scope: A,
      id: first.meta.id,
      source: { kind: 'text', text: text('west', 2000) },
      actor,
    });
    expect(
      (
        await refusal(
          library.update({
            scope: A,
            id: first.meta.id,
            source: { kind: 'text', text: text('west', 2200) },
            actor,
          }),
        )
      ).code,
    ).toBe('QUOTA_EXCEEDED');
    expect(library.describe(first.meta.id, A).paragraphs).toBe(2000);
  });

  it('refuses paragraphs past the paragraph limit, counting as the index does', async () => {
    const library = await open({ paragraphs: 10 });
    const first = await add(library, A, text('north', 6));
    expect(first.paragraphs).toBe(6);
    await add(library, A, text('south', 4)); // exactly 10
    expect(await refusal(add(library, A, text('east', 1)))).toEqual({
      code: 'QUOTA_EXCEEDED',
      message:
        "The pasted text would bring this server's documents to 11 paragraphs, past its limit of 10: remove or shorten some of its documents first.",
    });
  });

  it('refuses adds past the hourly rate, saying when to try again, and allows them an hour later', async () => {
    const library = await open({ addsPerHour: 3 });
    for (const name of ['a', 'b', 'c']) {
      await add(library, A, text(name, 1));
      advance(10 * 60_000);
    }
    expect(await refusal(add(library, A, text('d', 1)))).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: 'This server has added 3 documents in the last hour, its limit: add again in 30 minutes.',
    });
    await add(library, B, text('d', 1));
    advance(30 * 60_000);
    await add(library, A, text('d', 1));
    expect(own(library, A)).toHaveLength(4);
  });
});
