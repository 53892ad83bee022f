import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guildScope, SHIPPED_SCOPE, VerbatimError } from '../../src/core/index.ts';
import type { ErrorCode } from '../../src/core/index.ts';
import { loadFolderCorpus, openLibrary } from '../../src/library.ts';
import type { AddDocumentInput, Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { capturingLogger, GUILD_A, GUILD_B, rawSqlite, storedIds, temporaryDir } from './helpers.ts';

const SCOPE_A = guildScope(GUILD_A);
const SCOPE_B = guildScope(GUILD_B);
const MODERATOR = { userId: '42', userName: 'mod' };
const SHIPPED_IDS = [
  'ns-tech-china-trip',
  'hrw-tencent-bytedance',
  'amnesty-2015-internet-repression',
  'hrw-xinjiang-companies',
  'un-tencent-partnership',
];

const FERRY = [
  'Harbour ferry returns',
  'The passenger ferry between the old harbour and Kettle Island resumed its timetable on Monday after three months in dry dock.',
  'Sunday sailings drop from eight to six because the crew rota could not be filled, the operator said.',
].join('\n\n');

/** A clock that ticks one minute per call, so provenance times are known and ordered. */
function steppingClock(): () => Date {
  let minute = 0;
  return () => new Date(Date.UTC(2024, 4, 1, 10, minute++));
}

function textInput(text: string, extra: Partial<AddDocumentInput> = {}): AddDocumentInput {
  return { scope: SCOPE_A, source: { kind: 'text', text }, actor: MODERATOR, ...extra };
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<VerbatimError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(VerbatimError);
  return error as VerbatimError;
}

describe('Library: the shipped corpus', () => {
  let library: Library;
  beforeAll(async () => {
    library = await openLibrary({ logger: silentLogger() });
  });
  afterAll(async () => {
    await library.close();
  });

  it('lists the shipped documents in manifest order with their paragraph counts and sections', () => {
    const list = library.list();
    expect(list.map((summary) => summary.meta.id)).toEqual(SHIPPED_IDS);
    expect(list.map((summary) => summary.paragraphs)).toEqual([26, 8, 14, 11, 16]);
    expect(library.describe('ns-tech-china-trip').sections).toEqual([
      'Revealed: UK government ignored Uighur repression in talks with China’s tech giants',
      'AI ethics',
      'Antitrust regulation',
      'Analysis: what these meetings say about post-Brexit UK-China relations',
    ]);
  });

  it('answers from the shipped corpus with a verbatim quote', async () => {
    const result = await library.ask('Who did the British civil servants meet in China?');
    expect(result.answered).toBe(true);
    const [best] = result.passages;
    expect(best?.documentId).toBe('ns-tech-china-trip');
    const text = await fs.readFile(new URL('../../corpus/ns-tech-china-trip.txt', import.meta.url), 'utf8');
    expect(best?.text).toBe(text.slice(best?.start, best?.end));
  });

  it('shows the paragraphs around a passage, clipped to the document', () => {
    const passages = library.around('hrw-tencent-bytedance', 1, 2);
    expect(passages.map((passage) => passage.paragraph)).toEqual([1, 2, 3]);
    expect(passages[0]?.text).toMatch(/^The U\.S\. and other governments should make decisions/);
    expect(library.around('hrw-tencent-bytedance', 8, 1).map((passage) => passage.paragraph)).toEqual([7, 8]);
  });

  it.each([
    [
      'an unknown document',
      () => library.describe('no-such-document'),
      'UNKNOWN_DOCUMENT',
      'There is no document "no-such-document" here. List the sources to see the ids you can use.',
    ],
    [
      'a paragraph past the end',
      () => library.around('hrw-tencent-bytedance', 9, 1),
      'BAD_OPTION',
      '"Chinese Tech Firms Fueling Beijing\'s Repression" has paragraphs 1 to 8; there is no paragraph 9.',
    ],
    [
      'a negative radius',
      () => library.around('hrw-tencent-bytedance', 2, -1),
      'BAD_OPTION',
      'Show 0 to 10 paragraphs around a passage, not -1.',
    ],
  ] as const)('refuses %s', async (_what, call, code, message) => {
    const error = await refusal(call);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it.each([
    [
      'adding to the shipped corpus',
      () => library.add({ ...textInput('Some new text here.'), scope: SHIPPED_SCOPE }),
    ],
    [
      'updating a shipped document',
      () =>
        library.update({ scope: SCOPE_A, id: 'hrw-xinjiang-companies', title: 'Mine now', actor: MODERATOR }),
    ],
    ['removing a shipped document', () => library.remove(SCOPE_A, 'un-tencent-partnership', MODERATOR)],
    [
      'removing it through the shipped scope',
      () => library.remove(SHIPPED_SCOPE, 'un-tencent-partnership', MODERATOR),
    ],
  ])('keeps the shipped corpus read-only: %s', async (_what, call) => {
    const error = await refusal(call);
    expect(error.code).toBe('READ_ONLY_DOCUMENT');
    expect(error.message).toMatch(/read-only: it can be quoted but not changed/);
    expect(library.list().map((summary) => summary.meta.id)).toEqual(SHIPPED_IDS);
  });

  it('refuses changes when no data directory is configured', async () => {
    const error = await refusal(library.add(textInput('A document with nowhere to go.')));
    expect(error.code).toBe('BAD_OPTION');
    expect(error.message).toBe(
      'Documents cannot be added, changed or removed here: no data directory is configured (set DATA_DIR).',
    );
  });
});

describe('Library: a server’s own documents', () => {
  let dataDir: string;
  let removeDir: () => Promise<void>;
  let library: Library;

  beforeEach(async () => {
    ({ dir: dataDir, remove: removeDir } = await temporaryDir());
    library = await openLibrary({ dataDir, logger: silentLogger(), now: steppingClock() });
  });
  afterEach(async () => {
    await library.close();
    await removeDir();
  });

  const storedFiles = (guildId = GUILD_A): string[] => storedIds(dataDir, guildId);

  it('adds a document that is searchable at once, only in its own server, and survives a restart', async () => {
    const summary = await library.add(
      textInput(FERRY, { title: 'Harbour ferry returns', publisher: 'Coastal Gazette', date: '2024-04-29' }),
    );
    expect(summary).toMatchObject({
      paragraphs: 2,
      sections: ['Harbour ferry returns'],
      characters: FERRY.length,
    });
    expect(summary.meta).toEqual({
      id: 'harbour-ferry-returns',
      title: 'Harbour ferry returns',
      publisher: 'Coastal Gazette',
      date: '2024-04-29',
      dateEstimated: false,
      url: '',
      language: 'und',
      scope: SCOPE_A,
      added: { ...MODERATOR, at: '2024-05-01T10:00:00.000Z' },
    });

    const inA = await library.ask('Why are there fewer Sunday ferry sailings?', { scope: SCOPE_A });
    expect(inA.passages[0]?.documentId).toBe('harbour-ferry-returns');
    const inB = await library.ask('Why are there fewer Sunday ferry sailings?', { scope: SCOPE_B });
    expect(inB.passages.map((passage) => passage.documentId)).not.toContain('harbour-ferry-returns');
    expect(library.list(SCOPE_A).map((entry) => entry.meta.id)).toEqual([
      ...SHIPPED_IDS,
      'harbour-ferry-returns',
    ]);
    expect(library.list(SCOPE_B).map((entry) => entry.meta.id)).toEqual(SHIPPED_IDS);
    expect((await refusal(() => library.describe('harbour-ferry-returns', SCOPE_B))).code).toBe(
      'UNKNOWN_DOCUMENT',
    );
    expect(storedFiles()).toEqual(['harbour-ferry-returns']);

    await library.close();
    library = await openLibrary({ dataDir, logger: silentLogger() });
    expect(library.describe('harbour-ferry-returns', SCOPE_A)).toEqual(summary);
    expect(
      (await library.ask('Why are there fewer Sunday ferry sailings?', { scope: SCOPE_A })).passages[0]
        ?.documentId,
    ).toBe('harbour-ferry-returns');
  });

  it('adds a PDF attachment, titled from the PDF', async () => {
    const bytes = await fs.readFile(new URL('../fixtures/report.pdf', import.meta.url));
    const summary = await library.add({
      scope: SCOPE_A,
      source: { kind: 'file', fileName: 'report.pdf', contentType: 'application/pdf', bytes },
      actor: MODERATOR,
    });
    expect(summary.meta.id).toBe('riverside-community-garden-annual-report');
    expect(summary.paragraphs).toBe(3);
    expect(
      (await library.ask('How many households are members of the garden?', { scope: SCOPE_A })).passages[0]
        ?.text,
    ).toBe(
      'Membership grew from 85 to 132 households. The waiting list was closed in June, and plots are now allocated by lottery each January.',
    );
  });

  it('makes ids from titles, unique among everything the server sees', async () => {
    const first = await library.add(textInput('First text about the garden.', { title: 'Garden notes' }));
    const second = await library.add(textInput('Second text about the garden.', { title: 'Garden notes' }));
    const shippedName = await library.add(
      textInput('A text titled like a shipped id.', { title: 'UN Tencent partnership' }),
    );
    const untitled = await library.add(
      textInput('No title given: the first line becomes the title.\n\nAnd a body paragraph follows here.'),
    );
    expect([first, second, shippedName, untitled].map((summary) => summary.meta.id)).toEqual([
      'garden-notes',
      'garden-notes-2',
      'un-tencent-partnership-2',
      'no-title-given-the-first-line-becomes-the-title',
    ]);
    expect(untitled.meta.title).toBe('No title given: the first line becomes the title.');
  });

  it('refuses a duplicate of a document the server already sees, naming it, and stores nothing', async () => {
    await library.add(textInput(FERRY, { title: 'Harbour ferry returns' }));
    const reflowed = FERRY.replace(/ /g, '  ').replace(/\n\n/g, '\n \n\n');
    const duplicate = await refusal(library.add(textInput(reflowed, { title: 'Same again' })));
    expect(duplicate.code).toBe('DUPLICATE_DOCUMENT');
    expect(duplicate.message).toBe(
      'This text is already here as "Harbour ferry returns" (id harbour-ferry-returns). Update that document instead of adding it again.',
    );
    const shippedText = await fs.readFile(
      new URL('../../corpus/hrw-xinjiang-companies.txt', import.meta.url),
      'utf8',
    );
    const ofShipped = await refusal(library.add(textInput(shippedText)));
    expect(ofShipped.message).toContain(
      '"Foreign companies in Xinjiang and human rights due diligence" (id hrw-xinjiang-companies)',
    );
    expect(storedFiles()).toEqual(['harbour-ferry-returns']);
    // Another server has not seen the ferry story, so it may add it.
    await expect(library.add({ ...textInput(FERRY), scope: SCOPE_B })).resolves.toMatchObject({
      paragraphs: 2,
    });
  });

  it.each<[string, Partial<AddDocumentInput> & { text?: string }, ErrorCode, string]>([
    [
      'only boilerplate',
      { text: 'Skip to main content\n\nDonate Now\n\nMost Viewed' },
      'EMPTY_DOCUMENT',
      'The pasted text has nothing to quote: once headings and site boilerplate are set aside, no paragraph is left.',
    ],
    [
      'only white space',
      { text: ' \n\n \t' },
      'EMPTY_DOCUMENT',
      'The pasted text is empty: paste the text of the document to add.',
    ],
    [
      'a date that is not a date',
      { date: '2024-13-01' },
      'BAD_METADATA',
      'The date "2024-13-01" is not a date I can use: write it as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020-04-07).',
    ],
    [
      'a url that is not a web address',
      { url: 'javascript:alert(1)' },
      'BAD_METADATA',
      'The url "javascript:alert(1)" is not a web address: give a full http:// or https:// link.',
    ],
    [
      'a title that is too long',
      { title: 'x'.repeat(201) },
      'BAD_METADATA',
      'The title is 201 characters long; at most 200 are allowed.',
    ],
    [
      'a scope that is not a server',
      { scope: 'elsewhere' },
      'BAD_OPTION',
      '"elsewhere" is not a server\'s scope; documents can only be added to a server.',
    ],
  ])('refuses %s and stores nothing', async (_what, { text, ...input }, code, message) => {
    const error = await refusal(library.add(textInput(text ?? FERRY, input)));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(storedFiles()).toEqual([]);
    expect(library.list(SCOPE_A)).toHaveLength(SHIPPED_IDS.length);
  });

  it('refuses an unsupported attachment, naming it', async () => {
    const bytes = await fs.readFile(new URL('../fixtures/pixel.png', import.meta.url));
    const error = await refusal(
      library.add({
        scope: SCOPE_A,
        source: { kind: 'file', fileName: 'pixel.png', bytes },
        actor: MODERATOR,
      }),
    );
    expect(error.code).toBe('UNSUPPORTED_TYPE');
    expect(storedFiles()).toEqual([]);
  });

  it('updates content in place: same id, new text searchable, old text gone, provenance kept', async () => {
    const added = await library.add(textInput(FERRY, { title: 'Harbour ferry returns' }));
    const revised = FERRY.replace('drop from eight to six', 'drop from eight to five');
    const updated = await library.update({
      scope: SCOPE_A,
      id: added.meta.id,
      source: { kind: 'text', text: revised },
      publisher: 'Coastal Gazette',
      actor: { userId: '7', userName: 'editor' },
    });
    expect(updated.meta).toMatchObject({
      id: 'harbour-ferry-returns',
      title: 'Harbour ferry returns',
      publisher: 'Coastal Gazette',
      added: { ...MODERATOR, at: '2024-05-01T10:00:00.000Z' },
      // 10:01 was the store's audit of the add: the library and the store share the clock.
      updated: { userId: '7', userName: 'editor', at: '2024-05-01T10:02:00.000Z' },
    });
    const passage = (
      await library.ask('How many Sunday sailings will there be?', {
        scope: SCOPE_A,
        documentIds: ['harbour-ferry-returns'],
      })
    ).passages[0];
    expect(passage?.text).toContain('drop from eight to five');
    const db = rawSqlite(dataDir);
    const stored = db.prepare("select text from documents where id = 'harbour-ferry-returns'").get();
    const revisions = db.prepare('select text from revisions order by revision').all();
    db.close();
    expect(stored).toEqual({ text: revised });
    expect(revisions).toEqual([{ text: FERRY }, { text: revised }]);
  });

  it('updates metadata only, keeping the text', async () => {
    await library.add(textInput(FERRY, { title: 'Harbour ferry returns' }));
    const updated = await library.update({
      scope: SCOPE_A,
      id: 'harbour-ferry-returns',
      title: 'Ferry back in service',
      url: 'https://example.org/ferry',
      actor: MODERATOR,
    });
    expect(updated.meta).toMatchObject({
      id: 'harbour-ferry-returns',
      title: 'Ferry back in service',
      url: 'https://example.org/ferry',
    });
    expect(updated.characters).toBe(FERRY.length);
  });

  it('refuses an update that would duplicate another document, and changes nothing', async () => {
    await library.add(textInput(FERRY, { title: 'Harbour ferry returns' }));
    await library.add(textInput('A different story about the lifeboat crew.', { title: 'Lifeboat' }));
    const error = await refusal(
      library.update({
        scope: SCOPE_A,
        id: 'lifeboat',
        source: { kind: 'text', text: FERRY },
        actor: MODERATOR,
      }),
    );
    expect(error.code).toBe('DUPLICATE_DOCUMENT');
    expect(library.describe('lifeboat', SCOPE_A).characters).toBe(
      'A different story about the lifeboat crew.'.length,
    );
  });

  it('removes a document: files gone, no longer found, unknown afterwards', async () => {
    await library.add(textInput(FERRY, { title: 'Harbour ferry returns' }));
    await library.remove(SCOPE_A, 'harbour-ferry-returns', MODERATOR);
    expect(storedFiles()).toEqual([]);
    const passages = (await library.ask('Why are there fewer Sunday ferry sailings?', { scope: SCOPE_A }))
      .passages;
    expect(passages.map((passage) => passage.documentId)).not.toContain('harbour-ferry-returns');
    expect((await refusal(library.remove(SCOPE_A, 'harbour-ferry-returns', MODERATOR))).message).toBe(
      'There is no document "harbour-ferry-returns" here. List the sources to see the ids you can use.',
    );
  });

  it('serialises changes per server: two identical adds at once give one document and one refusal', async () => {
    const results = await Promise.allSettled([library.add(textInput(FERRY)), library.add(textInput(FERRY))]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'DUPLICATE_DOCUMENT' });
    expect(storedFiles()).toEqual(['harbour-ferry-returns']);
  });

  it('close() waits for writes in progress and refuses later ones', async () => {
    const adding = library.add(textInput(FERRY));
    await library.close();
    expect(storedFiles()).toEqual(['harbour-ferry-returns']);
    await expect(adding).resolves.toMatchObject({ meta: { id: 'harbour-ferry-returns' } });
    const late = await refusal(library.add(textInput('Too late to be stored.')));
    expect(late.code).toBe('SHUTTING_DOWN');
    expect(
      (await library.ask('Why are there fewer Sunday ferry sailings?', { scope: SCOPE_A })).answered,
    ).toBe(true);
  });

  it('leaves the library and the database unchanged when the write fails', async () => {
    const db = rawSqlite(dataDir);
    // The revision is written after the document row: the failure must take the row back with it.
    db.exec(
      "create trigger full_disk before insert on revisions begin select raise(abort, 'disk full'); end",
    );
    db.close();
    await expect(library.add(textInput(FERRY))).rejects.toThrow('disk full');
    expect(storedFiles()).toEqual([]);
    expect(library.list(SCOPE_A).map((entry) => entry.meta.id)).toEqual(SHIPPED_IDS);
    expect((await refusal(() => library.describe('harbour-ferry-returns', SCOPE_A))).code).toBe(
      'UNKNOWN_DOCUMENT',
    );
  });

  it('opens despite a stored document it cannot read, and says which', async () => {
    await library.add(textInput(FERRY));
    await library.add(
      textInput('Broken soon.\n\nThe tide tables were reprinted in May.', { title: 'Broken' }),
    );
    const db = rawSqlite(dataDir);
    db.prepare("update documents set metadata = '{ not json' where id = 'broken'").run();
    db.close();
    await library.close();
    const { logger, warnings } = capturingLogger();
    library = await openLibrary({ dataDir, logger });
    expect(library.list(SCOPE_A).map((entry) => entry.meta.id)).toEqual([
      ...SHIPPED_IDS,
      'harbour-ferry-returns',
    ]);
    expect(warnings().map((warning) => [warning.scope, warning.id])).toEqual([[SCOPE_A, 'broken']]);
  });
});

describe('loadFolderCorpus (the terminal’s --corpus DIR)', () => {
  let dir: string;
  let removeDir: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove: removeDir } = await temporaryDir('verbatim-folder-'));
  });
  afterEach(async () => {
    await removeDir();
  });

  it('reads each .txt and .md file as one read-only document titled after the file', async () => {
    await fs.writeFile(join(dir, 'Ferry timetable.txt'), FERRY);
    await fs.writeFile(join(dir, 'notes.md'), '# Notes\n\nThe garden opens at nine on Saturdays.');
    await fs.writeFile(join(dir, 'photo.jpg'), Uint8Array.from([0xff, 0xd8, 0xff]));
    await fs.mkdir(join(dir, 'nested.txt'));
    const documents = await loadFolderCorpus(dir);
    expect(documents.map((document) => [document.meta.id, document.meta.title, document.meta.scope])).toEqual(
      [
        ['ferry-timetable', 'Ferry timetable', SHIPPED_SCOPE],
        ['notes', 'notes', SHIPPED_SCOPE],
      ],
    );
    const library = await openLibrary({ corpusFolder: dir, logger: silentLogger() });
    expect(library.list().map((summary) => summary.meta.id)).toEqual(['ferry-timetable', 'notes']);
    expect((await library.ask('When does the garden open on Saturdays?')).passages[0]?.text).toBe(
      'The garden opens at nine on Saturdays.',
    );
    expect((await refusal(library.remove(SHIPPED_SCOPE, 'notes', MODERATOR))).code).toBe(
      'READ_ONLY_DOCUMENT',
    );
    await library.close();
  });

  it.each([
    [
      'a binary file',
      async (d: string) =>
        fs.writeFile(
          join(d, 'archive.txt'),
          Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
        ),
      'UNREADABLE_FILE',
      /"[^"]*archive\.txt" cannot be read: it looks like a binary file, not text\./,
    ],
    [
      'a file that is not UTF-8',
      async (d: string) => fs.writeFile(join(d, 'latin.md'), Uint8Array.from([0x43, 0x61, 0x66, 0xe9])),
      'UNREADABLE_FILE',
      /"[^"]*latin\.md" cannot be read: it is not UTF-8 text\./,
    ],
    ['an empty folder', async () => undefined, 'BAD_OPTION', /has no \.txt or \.md files to index\./],
  ] as const)('refuses %s, naming it', async (_what, prepare, code, message) => {
    await prepare(dir);
    const error = await refusal(loadFolderCorpus(dir));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses a folder that does not exist', async () => {
    const error = await refusal(loadFolderCorpus(join(dir, 'missing')));
    expect(error.message).toBe(
      `The corpus folder "${join(dir, 'missing')}" does not exist. Give a folder of .txt or .md files.`,
    );
  });
});
