/**
 * Index snapshots: an engine loaded from a snapshot answers exactly like the engine that made it, and a
 * snapshot that does not fit the documents, the analyzer or the format is refused with the reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testDocument } from '../../helpers/documents.ts';
import {
  SHIPPED_SCOPE,
  SearchEngine,
  SnapshotError,
  VerbatimError,
  guildScope,
  type Scope,
  type SourceDocument,
} from '../../../src/core/index.ts';
import { snapshotJson } from '../../../src/core/snapshot/format.ts';

const WORDS = [
  'ferry',
  'harbour',
  'island',
  'timetable',
  'crew',
  'rota',
  'sailing',
  'Sunday',
  'operator',
  'dock',
  'passengers',
  'winter',
  '2019',
  'the',
  'of',
];

const documentOf = (id: string, text: string, scope: Scope = SHIPPED_SCOPE, title = `Title ${id}`) =>
  testDocument(id, text, scope, title);

const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 })
  .map((words) => `${words.join(' ')}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 5 }).map((sentences) => sentences.join(' '));
const heading = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((w) => `# ${w.join(' ')}`);
const documentText = fc
  .array(fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 1, arbitrary: heading }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((blocks) => `${blocks.join('\n\n')}\n\n${WORDS[0]} closing paragraph.`);
const question = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })
  .map((words) => `${words.join(' ')}?`);

/** The snapshot as it travels: through JSON text, like a file. */
function roundTrip(engine: SearchEngine): unknown {
  return JSON.parse(JSON.stringify(engine.toSnapshot()));
}

/** Arrays packed as a snapshot packs them (16 bits wide). */
function packedOf(arrays: number[][]): { width: 16; lengths: string; values: string } {
  const bytes = (values: number[]): string => Buffer.from(Uint16Array.from(values).buffer).toString('base64');
  return { width: 16, lengths: bytes(arrays.map((a) => a.length)), values: bytes(arrays.flat()) };
}

function refusal(action: () => unknown): SnapshotError {
  try {
    action();
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('expected a SnapshotError');
}

const FERRY = documentOf(
  'ferry',
  'Harbour ferry returns\n\nThe passenger ferry between the old harbour and Kettle Island resumed its timetable on Monday after three months in dry dock.\n\nSunday sailings drop from eight to six because the crew rota could not be filled, the operator said.',
);
const LIBRARY = documentOf(
  'library',
  'The town library opens a winter reading room on the first floor, with twelve desks and a radiator that works.',
);

describe('SearchEngine snapshots', () => {
  it('answer every question exactly like the engine that made them, after adds, replaces and removals', () => {
    fc.assert(
      fc.property(
        fc.array(documentText, { minLength: 1, maxLength: 4 }),
        fc.array(question, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (texts, questions, churn) => {
          const engine = new SearchEngine({ maxPartChars: 150 });
          const documents = texts.map((text, i) =>
            documentOf(`d${i}`, text, i % 2 === 0 ? SHIPPED_SCOPE : guildScope('1')),
          );
          for (const document of documents) engine.add(document);
          let current = documents;
          if (churn && documents.length > 1) {
            // Discarded entries and reused term ids must survive the round trip too.
            const [first, second] = documents as [SourceDocument, SourceDocument];
            engine.remove(first.meta.scope, first.meta.id);
            const replaced = { ...second, text: `${second.text}\n\nA new winter paragraph.` };
            engine.replace(replaced);
            current = [replaced, ...documents.slice(2)];
          }
          const loaded = SearchEngine.fromSnapshot(roundTrip(engine), [...current].reverse(), {
            maxPartChars: 150,
          });
          expect(loaded.documentCount).toBe(engine.documentCount);
          expect(loaded.paragraphCount).toBe(engine.paragraphCount);
          // Saved again, it is the same snapshot: every entry's arrays and the index's tables came back
          // whole (the term tree may list its terms in another order, which no answer depends on).
          const [again, original] = [roundTrip(loaded), roundTrip(engine)] as Array<
            Record<string, unknown> & { index: { miniSearch: unknown; entries: unknown; terms: string[] } }
          >;
          expect({ ...again, index: undefined }).toEqual({ ...original, index: undefined });
          expect(again?.index.miniSearch).toEqual(original?.index.miniSearch);
          expect(again?.index.entries).toEqual(original?.index.entries);
          expect([...(again?.index.terms ?? [])].sort()).toEqual([...(original?.index.terms ?? [])].sort());
          for (const text of questions) {
            for (const scope of [undefined, guildScope('1')]) {
              expect(loaded.explain(text, { scope })).toEqual(engine.explain(text, { scope }));
              expect(loaded.ask(text, { scope, limit: 5 })).toEqual(engine.ask(text, { scope, limit: 5 }));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keep working after loading: documents can be added, replaced and removed', () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    const loaded = SearchEngine.fromSnapshot(roundTrip(engine), [FERRY]);
    loaded.add(LIBRARY);
    expect(loaded.ask('winter reading room').passages[0]?.documentId).toBe('library');
    loaded.remove(SHIPPED_SCOPE, 'ferry');
    expect(loaded.ask('ferry timetable').answered).toBe(false);
  });

  it('are refused as stale when a document was added, removed, or its text or title changed', () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    engine.add(LIBRARY);
    const snapshot = roundTrip(engine);
    const changedText = { ...FERRY, text: FERRY.text.replace('six', 'five') };
    const changedTitle = { ...FERRY, meta: { ...FERRY.meta, title: 'Another title' } };
    for (const documents of [
      [FERRY],
      [FERRY, LIBRARY, documentOf('x', 'One more.')],
      [changedText, LIBRARY],
      [changedTitle, LIBRARY],
    ]) {
      expect(refusal(() => SearchEngine.fromSnapshot(snapshot, documents)).problem).toBe('stale');
    }
  });

  it('are used when only metadata that does not shape the index changed (url, publisher)', () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    const moved = { ...FERRY, meta: { ...FERRY.meta, url: 'https://example.org/ferry', publisher: 'Port' } };
    const loaded = SearchEngine.fromSnapshot(roundTrip(engine), [moved]);
    expect(loaded.document(SHIPPED_SCOPE, 'ferry')?.meta.url).toBe('https://example.org/ferry');
  });

  it('are refused as another version when the format, the analyzer or the part length differ', () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    const snapshot = roundTrip(engine) as Record<string, unknown>;
    expect(refusal(() => SearchEngine.fromSnapshot({ ...snapshot, format: 999 }, [FERRY])).problem).toBe(
      'version',
    );
    expect(
      refusal(() => SearchEngine.fromSnapshot(snapshot, [FERRY], { analyzer: { stem: false } })).problem,
    ).toBe('version');
    expect(refusal(() => SearchEngine.fromSnapshot(snapshot, [FERRY], { maxPartChars: 200 })).problem).toBe(
      'version',
    );
    // Search-time options are free to differ.
    expect(SearchEngine.fromSnapshot(snapshot, [FERRY], { rerankDepth: 5 }).documentCount).toBe(1);
  });

  it('are refused as corrupt when their parts are damaged, cut short or missing', () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    engine.add(LIBRARY);
    const snapshot = roundTrip(engine) as Record<string, unknown> & {
      fields: Array<{ packed: { values: string } }>;
      paragraphs: { values: string };
    };
    const field = snapshot.fields[0] as { name: string; packed: { values: string } };
    const index = snapshot['index'] as {
      miniSearch: Record<string, unknown>;
      terms: string[];
      postings: Array<{ ids: unknown; frequencies: unknown }>;
    };
    const damaged = [
      'not a snapshot',
      null,
      { ...snapshot, index: undefined },
      { ...snapshot, terms: (snapshot['terms'] as string[]).map(() => 'same') },
      {
        ...snapshot,
        paragraphs: { ...snapshot.paragraphs, values: snapshot.paragraphs.values.slice(0, -8) },
      },
      {
        ...snapshot,
        fields: [
          { ...field, packed: { ...field.packed, values: `${field.packed.values.slice(0, -4)}!!!!` } },
          ...snapshot.fields.slice(1),
        ],
      },
      { ...snapshot, fields: snapshot.fields.slice(1) },
      { ...snapshot, index: { ...index, miniSearch: { ...index.miniSearch, serializationVersion: 7 } } },
      { ...snapshot, index: { ...index, miniSearch: { ...index.miniSearch, documentCount: 1 } } },
      { ...snapshot, index: { ...index, terms: index.terms.slice(1) } },
      { ...snapshot, index: { ...index, postings: [] } },
      { ...snapshot, index: { ...index, entries: undefined } },
      {
        ...snapshot,
        index: {
          ...index,
          entries: packedOf([
            [0, 1],
            [0, 0],
            [1, 1, 1, 1, 1, 1],
          ]),
        },
      },
      { ...snapshot, index: { ...index, entries: packedOf([[0], [99], [1, 1, 1]]) } },
    ];
    for (const value of damaged) {
      expect(refusal(() => SearchEngine.fromSnapshot(value, [FERRY, LIBRARY])).problem).toBe('corrupt');
    }
  });

  it('cannot be taken while a document is still being added', async () => {
    const engine = new SearchEngine();
    const adding = engine.addAsync(largeDocument('big', 400));
    expect(() => engine.toSnapshot()).toThrow(/addAsync/);
    await adding;
    expect(SearchEngine.fromSnapshot(roundTrip(engine), [largeDocument('big', 400)]).documentCount).toBe(1);
  });
});

/** A document long enough that addAsync must yield several times (hundreds of paragraphs). */
function largeDocument(id: string, paragraphs: number, scope = guildScope('7')): SourceDocument {
  const blocks = Array.from(
    { length: paragraphs },
    (_, i) =>
      `Paragraph ${i + 1} of the lighthouse log: the keeper trimmed the lamp, wound the clockwork and noted a northerly gale at dusk on day ${i + 1}.`,
  );
  return documentOf(id, blocks.join('\n\n'), scope, 'Lighthouse log');
}

describe('snapshotJson', () => {
  it('writes plain ASCII that reads back as the same snapshot, whatever the script of the text', () => {
    const document = documentOf(
      'tokyo',
      'Der Fährhafen von Zürich.\n\n東京の港 serves the ferry “Ōshima” — 🚢 daily.',
      SHIPPED_SCOPE,
      'Häfen 東京',
    );
    const engine = new SearchEngine();
    engine.add(document);
    const json = snapshotJson(engine.toSnapshot());
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(json)).toEqual(roundTrip(engine));
    const loaded = SearchEngine.fromSnapshot(JSON.parse(json), [document]);
    expect(loaded.ask('東京の港').passages).toEqual(engine.ask('東京の港').passages);
    expect(loaded.ask('東京の港').answered).toBe(true);
  });
});

describe('SearchEngine.compact', () => {
  it('changes no answer, before or after later adds, replaces and removals', () => {
    fc.assert(
      fc.property(
        fc.array(documentText, { minLength: 2, maxLength: 4 }),
        fc.array(question, { minLength: 1, maxLength: 4 }),
        (texts, questions) => {
          const documents = texts.map((text, i) =>
            documentOf(`d${i}`, text, i % 2 === 0 ? SHIPPED_SCOPE : guildScope('1')),
          );
          const plain = new SearchEngine({ maxPartChars: 150 });
          const compacted = new SearchEngine({ maxPartChars: 150 });
          for (const document of documents) {
            plain.add(document);
            compacted.add(document);
          }
          compacted.compact();
          const same = (): void => {
            for (const text of questions) {
              for (const scope of [undefined, guildScope('1')]) {
                expect(compacted.explain(text, { scope })).toEqual(plain.explain(text, { scope }));
                expect(compacted.ask(text, { scope, limit: 5 })).toEqual(
                  plain.ask(text, { scope, limit: 5 }),
                );
              }
            }
          };
          same();
          const [first, second] = documents as [SourceDocument, SourceDocument];
          const replaced = { ...second, text: `${second.text}\n\nA new winter paragraph.` };
          for (const engine of [plain, compacted]) {
            engine.remove(first.meta.scope, first.meta.id);
            engine.replace(replaced);
            engine.add(LIBRARY);
          }
          same();
          compacted.compact();
          same();
          expect(roundTrip(compacted)).toEqual(roundTrip(plain));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('SearchEngine.addAsync', () => {
  it('keeps answering while it works, and the document appears all at once when complete', async () => {
    const engine = new SearchEngine();
    engine.add(FERRY);
    const document = largeDocument('log', 1500);
    const seen: Array<{ has: boolean; quoted: boolean; paragraphs: number }> = [];
    let polling = true;
    const poll = (): void => {
      const passages = engine.ask('lighthouse keeper lamp gale', { scope: document.meta.scope }).passages;
      seen.push({
        has: engine.has(document.meta.scope, 'log'),
        quoted: passages.some((passage) => passage.documentId === 'log'),
        paragraphs: engine.paragraphs(document.meta.scope, 'log').length,
      });
      if (polling) setTimeout(poll, 0);
    };
    setTimeout(poll, 0);
    const paragraphs = await engine.addAsync(document);
    polling = false;
    // Every question asked saw either nothing of it, not even part of it, or all of it.
    const nothing = { has: false, quoted: false, paragraphs: 0 };
    const everything = { has: true, quoted: true, paragraphs: 1500 };
    for (const observation of seen) expect([nothing, everything]).toContainEqual(observation);
    // Some were asked while it worked.
    expect(seen.filter((observation) => !observation.has).length).toBeGreaterThan(0);
    expect(paragraphs).toHaveLength(1500);
    expect(
      engine.ask('lighthouse keeper lamp gale', { scope: document.meta.scope }).passages[0]?.documentId,
    ).toBe('log');
  });

  it('indexes exactly like add: the same answers afterwards', async () => {
    const document = largeDocument('log', 300);
    const synchronous = new SearchEngine();
    synchronous.add(FERRY);
    synchronous.add(document);
    const sliced = new SearchEngine();
    sliced.add(FERRY);
    await sliced.addAsync(document);
    for (const text of ['keeper wound the clockwork on day 42', 'ferry crew rota', 'northerly gale dusk']) {
      expect(sliced.explain(text, { scope: document.meta.scope })).toEqual(
        synchronous.explain(text, { scope: document.meta.scope }),
      );
    }
  });

  it('reserves the document while in progress: a second add is refused, remove does not see it', async () => {
    const engine = new SearchEngine();
    const document = largeDocument('log', 600);
    const adding = engine.addAsync(document);
    expect(() => engine.add(document)).toThrow(VerbatimError);
    await expect(engine.addAsync(document)).rejects.toMatchObject({ code: 'DUPLICATE_DOCUMENT' });
    expect(() => engine.remove(document.meta.scope, 'log')).toThrow(/no document "log"/);
    await adding;
    expect(engine.paragraphs(document.meta.scope, 'log')).toHaveLength(600);
  });

  it('does not bring back a document removed while its new version was being prepared', async () => {
    const engine = new SearchEngine();
    engine.add(largeDocument('log', 10));
    const replacing = engine.replaceAsync(largeDocument('log', 600));
    engine.remove(guildScope('7'), 'log');
    await expect(replacing).rejects.toMatchObject({ code: 'UNKNOWN_DOCUMENT' });
    expect(engine.has(guildScope('7'), 'log')).toBe(false);
    expect(engine.ask('lighthouse keeper lamp', { scope: guildScope('7') }).answered).toBe(false);
  });

  it('replaces atomically: the old version answers until the new one is complete', async () => {
    const engine = new SearchEngine();
    const old = 'The keeper saw a whale off the northern rocks.';
    engine.add(documentOf('log', old, guildScope('7')));
    const seen: Array<{ texts: string[]; paragraphs: number; newQuoted: boolean }> = [];
    let complete = false;
    const poll = (): void => {
      if (complete) return;
      seen.push({
        texts: engine.ask('whale northern rocks', { scope: guildScope('7') }).passages.map((p) => p.text),
        paragraphs: engine.paragraphs(guildScope('7'), 'log').length,
        newQuoted: engine.ask('lighthouse lamp gale', { scope: guildScope('7') }).answered,
      });
      setTimeout(poll, 0);
    };
    setTimeout(poll, 0);
    const paragraphs = await engine.replaceAsync(largeDocument('log', 1500));
    complete = true;
    // Every question asked while it worked found the old version whole, and nothing of the new one.
    expect(seen.length).toBeGreaterThan(0);
    for (const observation of seen) {
      expect(observation).toEqual({ texts: [old], paragraphs: 1, newQuoted: false });
    }
    // Then the new version, and only it.
    expect(paragraphs).toHaveLength(1500);
    expect(engine.ask('whale northern rocks', { scope: guildScope('7') }).answered).toBe(false);
    expect(engine.paragraphs(guildScope('7'), 'log')).toHaveLength(1500);
    expect(engine.ask('lighthouse lamp gale', { scope: guildScope('7') }).passages[0]?.documentId).toBe(
      'log',
    );
  });
});
