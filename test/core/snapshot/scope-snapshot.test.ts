/**
 * A server's share of the index saved on its own (issue 12: a server's index leaves memory when idle and
 * comes back from its snapshot): loaded into an engine that holds other scopes, it answers exactly like
 * the documents indexed from their texts, and a snapshot that does not fit is refused with the reason
 * before anything is indexed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testDocument } from '../../helpers/documents.ts';
import {
  SHIPPED_SCOPE,
  SearchEngine,
  SnapshotError,
  guildScope,
  type Scope,
} from '../../../src/core/index.ts';

const WORDS = ['ferry', 'harbour', 'island', 'timetable', 'crew', 'rota', 'Sunday', 'dock', 'winter', 'the'];
const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
  .map((words) => `${words.join(' ')}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 5 }).map((s) => s.join(' '));
const heading = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((w) => `# ${w.join(' ')}`);
const documentText = fc
  .array(fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 1, arbitrary: heading }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((blocks) => `${blocks.join('\n\n')}\n\nferry closing paragraph.`);
const question = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })
  .map((w) => `${w.join(' ')}?`);

const SERVER = guildScope('1');
const OTHER = guildScope('2');
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const docs = (texts: string[], scope: Scope, prefix: string) =>
  texts.map((text, i) =>
    testDocument(`${prefix}${i}`, text, scope, `Title ${prefix}${i} ${WORDS[i % WORDS.length]}`),
  );

function refusal(action: () => unknown): SnapshotError {
  try {
    action();
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('expected a SnapshotError');
}

describe('scope snapshots', () => {
  it('loaded next to other scopes, answer exactly like the same documents indexed from their texts', () => {
    fc.assert(
      fc.property(
        fc.array(documentText, { minLength: 1, maxLength: 3 }),
        fc.array(documentText, { minLength: 1, maxLength: 3 }),
        fc.array(documentText, { minLength: 0, maxLength: 2 }),
        fc.array(question, { minLength: 1, maxLength: 4 }),
        (shippedTexts, serverTexts, otherTexts, questions) => {
          const shipped = docs(shippedTexts, SHIPPED_SCOPE, 's');
          const server = docs(serverTexts, SERVER, 'g');
          const other = docs(otherTexts, OTHER, 'o');
          const built = new SearchEngine({ maxPartChars: 150 });
          for (const document of [...shipped, ...server, ...other]) built.add(document);
          const saved = roundTrip(built.scopeSnapshot(SERVER));
          // Another process: the server comes back after other scopes, its texts never analysed.
          const loaded = new SearchEngine({ maxPartChars: 150 });
          for (const document of [...shipped, ...other]) loaded.add(document);
          loaded.addScopeSnapshot(saved, SERVER, [...server].reverse());
          const reference = new SearchEngine({ maxPartChars: 150 });
          for (const document of [...shipped, ...other, ...server]) reference.add(document);
          expect(loaded.paragraphCount).toBe(reference.paragraphCount);
          for (const document of server)
            expect(loaded.paragraphs(SERVER, document.meta.id)).toEqual(
              reference.paragraphs(SERVER, document.meta.id),
            );
          for (const text of questions) {
            expect(loaded.ask(text, { scope: SERVER, limit: 5 })).toEqual(
              reference.ask(text, { scope: SERVER, limit: 5 }),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('come in slices with addScopeSnapshotAsync: the same answers, other work running meanwhile', async () => {
    // 60 documents of 40 paragraphs: far more than one slice of work.
    const texts = Array.from({ length: 60 }, (_, d) =>
      Array.from(
        { length: 40 },
        (_, p) => `The ferry ${d} and crew rota ${p} sail from the harbour dock on Sunday in winter.`,
      ).join('\n\n'),
    );
    const server = docs(texts, SERVER, 'g');
    const built = new SearchEngine();
    for (const document of server) built.add(document);
    const saved = roundTrip(built.scopeSnapshot(SERVER));
    const whole = new SearchEngine();
    whole.addScopeSnapshot(saved, SERVER, server);
    const sliced = new SearchEngine();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    await sliced.addScopeSnapshotAsync(saved, SERVER, server);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    for (const text of ['Which crew rota sails on Sunday?', 'ferry 17 winter dock', 'harbour'])
      expect(sliced.ask(text, { scope: SERVER, limit: 5 })).toEqual(
        whole.ask(text, { scope: SERVER, limit: 5 }),
      );
    await expect(
      new SearchEngine().addScopeSnapshotAsync({ ...(saved as object), format: 99 }, SERVER, server),
    ).rejects.toThrow(SnapshotError);
  });

  it('are refused when stale, from another format or damaged, and then index nothing', () => {
    const server = docs(['The harbour ferry sails on Sunday.\n\nThe crew rota is full.'], SERVER, 'g');
    const engine = new SearchEngine();
    for (const document of server) engine.add(document);
    const saved = roundTrip(engine.scopeSnapshot(SERVER)) as Record<string, unknown>;
    const fresh = new SearchEngine();
    const changed = [{ ...server[0]!, text: `${server[0]!.text}\n\nA winter paragraph.` }];
    expect(refusal(() => fresh.addScopeSnapshot(saved, SERVER, changed)).problem).toBe('stale');
    expect(refusal(() => fresh.addScopeSnapshot({ ...saved, format: 99 }, SERVER, server)).problem).toBe(
      'version',
    );
    const broken = structuredClone(saved) as { documents: Array<{ parts: Array<{ at: number[] }> }> };
    broken.documents[0]!.parts[0]!.at[4] = 10_000;
    expect(refusal(() => fresh.addScopeSnapshot(broken, SERVER, server)).problem).toBe('corrupt');
    expect(refusal(() => fresh.addScopeSnapshot('{"trunc', SERVER, server)).problem).toBe('corrupt');
    expect(fresh.documentCount).toBe(0);
    fresh.addScopeSnapshot(saved, SERVER, server);
    expect(fresh.ask('When does the ferry sail?', { scope: SERVER }).passages[0]?.documentId).toBe('g0');
  });
});
