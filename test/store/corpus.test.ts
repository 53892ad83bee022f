/**
 * The shipped corpus, tested like code: every document loads, is byte for byte its capture, has complete
 * and valid metadata, and segments into the paragraphs a reader counts (no site boilerplate among them).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine, SHIPPED_SCOPE, segment, VerbatimError } from '../../src/core/index.ts';
import type { SourceDocument } from '../../src/core/index.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus, readManifest } from '../../src/store/corpus.ts';
import { DOCUMENT_ID_PATTERN } from '../../src/store/ids.ts';
import { isIsoDate } from '../../src/store/meta.ts';

const SEEDS_DIR = new URL('../../../shared/seeds/', import.meta.url);
/** The captures are outside the repository; a clean clone elsewhere still checks against their SHA-256. */
const SEEDS_AVAILABLE = existsSync(SEEDS_DIR);

/**
 * What a reader finds in each capture (counted by reading the files): body paragraphs, and the short
 * title-like lines that are headings. Boilerplate (credits, captions, "Skip to main content", donation
 * and newsletter prompts, comment forms...) is neither.
 */
const EXPECTED = [
  {
    id: 'ns-tech-china-trip',
    seedFile: '000_a6917b567e8ed414.txt',
    captureSha256: '6b85a563549dfae40f69be5dddae77b4985ccfb0156117342e70e923a043e70e',
    paragraphs: 26,
    headings: [
      'Revealed: UK government ignored Uighur repression in talks with China’s tech giants',
      'AI ethics',
      'Antitrust regulation',
      'Analysis: what these meetings say about post-Brexit UK-China relations',
    ],
  },
  {
    id: 'hrw-tencent-bytedance',
    seedFile: '001_ea7c59fa047cdc9f.txt',
    captureSha256: '8446985ab823ca4f4c839e25d1ee94b848ad2bbb610bf971401a26305cb04bb7',
    paragraphs: 8,
    headings: [
      "Chinese Tech Firms Fueling Beijing's Repression",
      'Technical Difficulties - A ChinaFile Conversation',
    ],
  },
  {
    id: 'amnesty-2015-internet-repression',
    seedFile: '002_dcdb1b1ca83ac9af.txt',
    captureSha256: '425bcb86d4f18114d1ef2d0c78945277591a6c6552e27651abb134a4aec4a255',
    paragraphs: 14,
    headings: ['U.S. tech companies must not be complicit in China’s internet repression'],
  },
  {
    id: 'hrw-xinjiang-companies',
    seedFile: '003_49a7675e5517bb39.txt',
    captureSha256: '1d312faf4e12cc733f6293ff422639764c225bff3fc71875c568d3acb1809b37',
    paragraphs: 11,
    headings: [],
  },
  {
    id: 'un-tencent-partnership',
    seedFile: '004_c9a3fcf15c302f4f.txt',
    captureSha256: '4062cf19c991874e2b6f9802498e603d7bda0856012a02deaddb75795036717c',
    paragraphs: 16,
    headings: ['UN’s partnership with Tencent at odds with its push for global unity'],
  },
];

/** Site boilerplate lines of the captures, as they appear in the files. None may be (part of) a body paragraph. */
const BOILERPLATE_LINES = [
  'Lintao Zhang/Getty Images',
  'show image',
  'Skip to main content',
  'Donate Now',
  'Published in: ChinaFile',
  'A logo of a smartphone app TikTok is seen on a user post on a smartphone screen on Monday, September 28, 2020, in Tokyo.\u00a0 © 2020 AP Photo/Kiichiro Sato', // a no-break space after "Tokyo.", as captured
  'A booth displays\u00a0face\u00a0recognition software at an exhibition in Beijing, China, September 27, 2017. © 2017 Reuters', // no-break spaces as captured
  'Your tax deductible gift can help stop human rights violations and save lives around the world.',
  'Region / Country',
  'Most Viewed',
  '• Press Release',
  'September 22, 2015',
  'World Politics',
  'Coronavirus business update',
  'How is coronavirus taking its toll on markets, business, and our everyday lives and workplaces? Stay briefed with our coronavirus newsletter.',
  'Sign up here',
  'Source link',
  'Click to comment',
  'Leave a Reply',
  'Your email address will not be published. Required fields are marked *',
  'Most Popular',
  'To Top',
];

let documents: SourceDocument[];

beforeAll(async () => {
  documents = await loadShippedCorpus();
});

function bodyParagraphs(text: string): string[] {
  return segment(text)
    .blocks.filter((block) => block.kind === 'body')
    .map((block) => text.slice(block.start, block.end));
}

describe('the shipped corpus', () => {
  it('loads every manifest entry, in manifest order', () => {
    expect(documents.map((document) => document.meta.id)).toEqual(EXPECTED.map((entry) => entry.id));
  });

  it('has unique ids that are readable slugs', () => {
    const ids = documents.map((document) => document.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(DOCUMENT_ID_PATTERN);
  });

  it.each(EXPECTED)(
    '$id is its capture $seedFile, byte for byte, and loads unaltered',
    async ({ id, seedFile, captureSha256 }) => {
      const manifest = await readManifest();
      const entry = manifest.find((candidate) => candidate.id === id);
      expect(entry?.seedFile).toBe(seedFile);
      const shipped = await readFile(join(DEFAULT_CORPUS_DIR, `${id}.txt`));
      expect(createHash('sha256').update(shipped).digest('hex')).toBe(captureSha256);
      if (SEEDS_AVAILABLE) {
        const seed = await readFile(new URL(seedFile, SEEDS_DIR));
        expect(Buffer.compare(shipped, seed)).toBe(0);
      }
      const loaded = documents.find((document) => document.meta.id === id);
      expect(loaded?.text).toBe(shipped.toString('utf8'));
    },
  );

  it.each(EXPECTED)('$id has complete, valid metadata', ({ id }) => {
    const meta = documents.find((document) => document.meta.id === id)?.meta;
    expect(meta).toBeDefined();
    if (meta === undefined) return;
    expect(meta.title.trim()).not.toBe('');
    expect(meta.publisher.trim()).not.toBe('');
    expect(isIsoDate(meta.date)).toBe(true);
    expect(typeof meta.dateEstimated).toBe('boolean');
    expect(meta.url === '' || meta.url.startsWith('https://')).toBe(true);
    expect(meta.language).toBe('en');
    expect(meta.scope).toBe(SHIPPED_SCOPE);
    expect(meta.added).toBeUndefined();
  });

  it('states the only date a text gives (Amnesty, 2015-09-22) and marks every inferred one as estimated', () => {
    const dates = Object.fromEntries(
      documents.map((document) => [document.meta.id, [document.meta.date, document.meta.dateEstimated]]),
    );
    expect(dates).toEqual({
      'ns-tech-china-trip': ['2020', true],
      'hrw-tencent-bytedance': ['2020', true],
      'amnesty-2015-internet-repression': ['2015-09-22', false],
      'hrw-xinjiang-companies': ['2019', true],
      'un-tencent-partnership': ['2020-04', true],
    });
  });

  it.each(EXPECTED)(
    '$id segments into $paragraphs body paragraphs under its headings',
    ({ id, paragraphs, headings }) => {
      const text = documents.find((document) => document.meta.id === id)?.text ?? '';
      expect(bodyParagraphs(text)).toHaveLength(paragraphs);
      const found = segment(text)
        .blocks.filter((block) => block.kind === 'heading')
        .map((block) => text.slice(block.start, block.end));
      expect(found).toEqual(headings);
    },
  );

  it('numbers the same paragraphs in the search engine, with headings as their sections', () => {
    const engine = new SearchEngine();
    for (const document of documents) engine.add(document);
    for (const { id, paragraphs } of EXPECTED) {
      const numbers = new Set(engine.paragraphs(SHIPPED_SCOPE, id).map((paragraph) => paragraph.number));
      expect(numbers.size).toBe(paragraphs);
    }
    const aiEthics = engine
      .paragraphs(SHIPPED_SCOPE, 'ns-tech-china-trip')
      .filter((paragraph) => paragraph.section === 'AI ethics');
    expect(aiEthics.map((paragraph) => paragraph.number)).toEqual([5, 6, 7, 8, 9]);
  });

  it('lists only boilerplate lines that really occur in the captures', () => {
    const all = documents.map((document) => document.text).join('\n');
    for (const line of BOILERPLATE_LINES) expect(all).toContain(line);
  });

  it.each(EXPECTED)('$id keeps no boilerplate in any body paragraph', ({ id }) => {
    const text = documents.find((document) => document.meta.id === id)?.text ?? '';
    for (const paragraph of bodyParagraphs(text)) {
      for (const line of BOILERPLATE_LINES) expect(paragraph).not.toContain(line);
    }
  });
});

describe('loadShippedCorpus: a broken corpus is refused with the file and field named', () => {
  let dir: string;
  const goodEntry = {
    id: 'sample-doc',
    file: 'sample-doc.txt',
    title: 'A sample',
    publisher: 'Nobody',
    date: '2020-04',
    dateEstimated: true,
    url: '',
    language: 'en',
    seedFile: 'none.txt',
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verbatim-corpus-'));
    await writeFile(join(dir, 'sample-doc.txt'), 'A paragraph of sample text.');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadWith(manifest: string): Promise<VerbatimError> {
    await writeFile(join(dir, 'manifest.json'), manifest);
    const error: unknown = await loadShippedCorpus(dir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VerbatimError);
    return error as VerbatimError;
  }

  it('loads a valid manifest', async () => {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify([goodEntry]));
    const [document] = await loadShippedCorpus(dir);
    expect(document?.meta).toEqual({
      id: 'sample-doc',
      title: 'A sample',
      publisher: 'Nobody',
      date: '2020-04',
      dateEstimated: true,
      url: '',
      language: 'en',
      scope: SHIPPED_SCOPE,
    });
  });

  it.each([
    [
      'a date that is not ISO',
      { date: 'April 2020' },
      'entry 1 ("sample-doc") field "date": must be YYYY, YYYY-MM or YYYY-MM-DD',
    ],
    ['an impossible date', { date: '2020-02-30' }, 'field "date"'],
    ['an http url', { url: 'http://example.org/a' }, 'field "url": must be empty or an https:// URL'],
    ['an empty title', { title: '  ' }, 'field "title": must not be empty'],
    ['a missing publisher', { publisher: undefined }, 'field "publisher"'],
    [
      'a file not named after the id',
      { file: '../secret.txt' },
      'field "file": must be the id followed by ".txt"',
    ],
    ['an id that is not a slug', { id: 'Sample Doc', file: 'Sample Doc.txt' }, 'field "id"'],
    ['an unknown field', { author: 'someone' }, 'author'],
  ])('refuses %s', async (_what, change, expected) => {
    const error = await loadWith(JSON.stringify([{ ...goodEntry, ...change }]));
    expect(error.code).toBe('BAD_METADATA');
    expect(error.message).toContain(join(dir, 'manifest.json'));
    expect(error.message).toContain(expected);
  });

  it('refuses duplicate ids', async () => {
    const error = await loadWith(JSON.stringify([goodEntry, goodEntry]));
    expect(error.message).toContain(
      'entry 2 ("sample-doc") field "id": duplicates an earlier entry\'s id "sample-doc"',
    );
  });

  it('refuses a manifest that is not JSON', async () => {
    const error = await loadWith('[{ "id": ');
    expect(error.code).toBe('BAD_METADATA');
    expect(error.message).toMatch(/^The corpus manifest .*manifest\.json is not valid JSON: /);
  });

  it('refuses an entry whose text file is missing, naming the file', async () => {
    const error = await loadWith(
      JSON.stringify([{ ...goodEntry, id: 'missing-doc', file: 'missing-doc.txt' }]),
    );
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toContain('The corpus manifest lists "missing-doc.txt" (id "missing-doc")');
  });
});
