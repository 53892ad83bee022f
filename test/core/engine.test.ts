import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDocument } from '../helpers/documents.ts';
import { shippedCopyOf } from '../helpers/captures.ts';
import {
  SHIPPED_SCOPE,
  SearchEngine,
  VerbatimError,
  guildScope,
  type Passage,
} from '../../src/core/index.ts';

const SEEDS: Record<string, string> = {
  'ns-tech-china-trip': '000_a6917b567e8ed414.txt',
  'hrw-tencent-bytedance': '001_ea7c59fa047cdc9f.txt',
  'amnesty-2015-internet-repression': '002_dcdb1b1ca83ac9af.txt',
  'hrw-xinjiang-companies': '003_49a7675e5517bb39.txt',
  'un-tencent-partnership': '004_c9a3fcf15c302f4f.txt',
};

const documentOf = testDocument;

function seededEngine(): SearchEngine {
  const engine = new SearchEngine();
  for (const [id, file] of Object.entries(SEEDS)) {
    engine.add(documentOf(id, readFileSync(shippedCopyOf(file), 'utf8')));
  }
  return engine;
}

/** The passage's highlighted words, as a reader sees them bolded. */
const highlighted = (passage: Passage): string[] =>
  passage.highlights.map(([start, end]) => passage.text.slice(start, end));

/** Throws what `action` throws, to assert on code and sentence together. */
function thrown(action: () => unknown): VerbatimError {
  try {
    action();
  } catch (error) {
    if (error instanceof VerbatimError) return error;
    throw error;
  }
  throw new Error('expected a VerbatimError');
}

describe('SearchEngine on the shipped pages', () => {
  let engine: SearchEngine;
  beforeAll(() => {
    engine = seededEngine();
  });

  it('answers who the British civil servants met with the paragraph that says it, quoted exactly', () => {
    const result = engine.ask('Who did the British civil servants meet in China?');
    expect(result.answered).toBe(true);
    const [best] = result.passages;
    expect(best?.documentId).toBe('ns-tech-china-trip');
    expect(best?.paragraph).toBe(1);
    expect(best?.text).toMatch(/^More than 20 of the UK’s most senior civil servants flew to China/);
    expect(best?.section).toBe(
      'Revealed: UK government ignored Uighur repression in talks with China’s tech giants',
    );
    const document = engine.document(SHIPPED_SCOPE, 'ns-tech-china-trip');
    expect(document?.text.slice(best?.start, best?.end)).toBe(best?.text);
    expect(highlighted(best as Passage)).toEqual(['civil servants', 'China', 'meet']);
  });

  it('numbers body paragraphs from 1 and gives each the heading above it as its section', () => {
    const paragraphs = engine.paragraphs(SHIPPED_SCOPE, 'ns-tech-china-trip');
    expect(paragraphs.map((p) => p.number)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    const sectionOf = (n: number) => paragraphs.find((p) => p.number === n)?.section;
    expect(sectionOf(4)).toBe(
      'Revealed: UK government ignored Uighur repression in talks with China’s tech giants',
    );
    expect(sectionOf(5)).toBe('AI ethics');
    expect(sectionOf(10)).toBe('Antitrust regulation');
    expect(sectionOf(21)).toBe('Analysis: what these meetings say about post-Brexit UK-China relations');
    expect(engine.documentCount).toBe(5);
    expect(engine.paragraphCount).toBe(26 + 8 + 14 + 11 + 16);
  });

  it('never quotes boilerplate, even when asked for its words', () => {
    // Each question with the stems of its words that the shipped pages hold only in boilerplate (menus,
    // donation appeals, photo credits, newsletter plugs), and whether its other words find real passages.
    const cases: Array<[string, string[], boolean]> = [
      ['skip to main content donate now', ['skip', 'main', 'donat'], false],
      ['tax deductible gift', ['tax', 'deduct', 'gift'], false],
      ['Getty Images', ['getti', 'imag'], false],
      ['coronavirus business update newsletter', ['updat', 'newslett'], true],
    ];
    for (const [question, boilerplateOnly, findsPassages] of cases) {
      // The boilerplate was never indexed: its words are unknown to the engine.
      const frequencies = new Map(engine.explain(question).terms.map((t) => [t.term, t.documentFrequency]));
      for (const stem of boilerplateOnly) expect(frequencies.get(stem), `${stem} in "${question}"`).toBe(0);
      const { passages } = engine.ask(question, { limit: 20 });
      if (findsPassages) expect(passages.length, question).toBeGreaterThan(0);
      for (const passage of passages) {
        expect(passage.text).not.toMatch(
          /Skip to main content|Donate Now|tax deductible|Getty Images|Stay briefed/,
        );
      }
    }
  });

  it('marks the sentence that matches the question best', () => {
    const [best] = engine.ask('What did Thermo Fisher sell to the Xinjiang police?').passages;
    expect(best?.documentId).toBe('hrw-xinjiang-companies');
    expect(best?.text.slice(...(best?.bestSentence ?? [0, 0]))).toBe(
      'And in 2017, Human Rights Watch found that Thermo Fisher Scientific, a Massachusetts-based firm, had sold DNA sequencers to the Xinjiang Public Security Bureau.',
    );
  });

  it('restricts a search to the documents asked for', () => {
    const everywhere = engine.ask('Tencent WeChat censorship', { limit: 10 });
    expect(new Set(everywhere.passages.map((p) => p.documentId)).size).toBeGreaterThan(1);
    const restricted = engine.ask('Tencent WeChat censorship', {
      limit: 10,
      documentIds: ['un-tencent-partnership'],
    });
    expect(restricted.passages.length).toBeGreaterThan(0);
    expect(restricted.passages.every((p) => p.documentId === 'un-tencent-partnership')).toBe(true);
  });

  it('returns at most `limit` passages, 3 by default', () => {
    expect(engine.ask('Chinese tech companies censorship surveillance').passages).toHaveLength(3);
    expect(engine.ask('Chinese tech companies censorship surveillance', { limit: 1 }).passages).toHaveLength(
      1,
    );
  });

  it.each([
    ['', 'EMPTY_QUESTION', 'Ask a question: type a few words about what you want to find in the sources.'],
    [
      '   \n\t ',
      'EMPTY_QUESTION',
      'Ask a question: type a few words about what you want to find in the sources.',
    ],
    [
      'why '.repeat(2500),
      'QUESTION_TOO_LONG',
      'Your question is 9,999 characters long; questions are limited to 300 characters. Shorten it to its key words.',
    ],
  ])('refuses the question %j with %s', (question, code, message) => {
    const error = thrown(() => engine.ask(question));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('refuses a limit that is not a whole number from 1', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(thrown(() => engine.ask('Tencent', { limit })).code).toBe('BAD_OPTION');
    }
  });

  it.each([
    ['only stop words', 'Who is it that they were?', 'no-searchable-words'],
    ['punctuation only', '?!... ,;:', 'no-searchable-words'],
    ['emoji only', '😀🔥👍', 'no-searchable-words'],
    ['regex metacharacters', '.*+?^${}()|[]\\', 'no-searchable-words'],
    ['another language', 'Wo trafen sich die Beamten gestern Abend?', 'no-match'],
    ['another script', '英国公务员在中国见了谁？', 'no-match'],
    ['off-topic words', 'Recipe for banana bread with walnuts', 'no-match'],
    ['a known word among unknown ones', 'What is the boiling temperature of mercury in China?', 'weak-match'],
  ])('does not answer %s, and says why', (_kind, question, reason) => {
    const result = engine.ask(question);
    expect(result).toMatchObject({ answered: false, reason, passages: [] });
  });

  it('explains its candidates with the signals the no-answer rule used', () => {
    const explanation = engine.explain('What is the boiling temperature of mercury in China?');
    expect(explanation.answered).toBe(false);
    expect(explanation.reason).toBe('weak-match');
    expect(explanation.terms.map((t) => t.term)).toEqual(['boil', 'temperatur', 'mercuri', 'china']);
    expect(explanation.terms.find((t) => t.term === 'mercuri')?.documentFrequency).toBe(0);
    expect(explanation.unknownShare).toBeGreaterThan(engine.options.maxUnknownShare);
    expect(explanation.candidates[0]?.matched).toEqual(['china']);
    const answered = engine.explain('Who did the British civil servants meet in China?');
    expect(answered.answered).toBe(true);
    expect(answered.candidates[0]?.coverage).toBeGreaterThanOrEqual(engine.options.minCoverage);
    expect(answered.unknownShare).toBeLessThanOrEqual(engine.options.maxUnknownShare);
  });

  it('gives a whole paragraph as a passage without highlights', () => {
    const passage = engine.passage(SHIPPED_SCOPE, 'amnesty-2015-internet-repression', 2);
    expect(passage?.text).toMatch(/^Senior executives from Apple, Google, Facebook, IBM and Microsoft/);
    expect(passage?.highlights).toEqual([]);
    expect(engine.passage(SHIPPED_SCOPE, 'amnesty-2015-internet-repression', 99)).toBeUndefined();
    expect(engine.passage(SHIPPED_SCOPE, 'no-such-document', 1)).toBeUndefined();
  });
});

describe('SearchEngine scopes and changes', () => {
  const secret = 'The falcon protocol was approved by the zeppelin committee on Tuesday.';

  it('shows a server’s document only to a search with that server’s scope', () => {
    const engine = new SearchEngine();
    engine.add(documentOf('notes', secret, guildScope('1')));
    expect(engine.ask('falcon protocol zeppelin', { scope: guildScope('1') }).passages[0]?.documentId).toBe(
      'notes',
    );
    expect(engine.ask('falcon protocol zeppelin', { scope: guildScope('2') })).toMatchObject({
      answered: false,
      reason: 'no-match',
    });
    expect(engine.ask('falcon protocol zeppelin')).toMatchObject({ answered: false, reason: 'no-match' });
  });

  it('shows the shipped corpus to every scope', () => {
    const engine = new SearchEngine();
    engine.add(documentOf('shipped', secret));
    for (const scope of [undefined, guildScope('1'), guildScope('2')]) {
      expect(
        engine.ask('falcon protocol', scope === undefined ? {} : { scope }).passages[0]?.documentId,
      ).toBe('shipped');
    }
  });

  it('keeps the same id apart in two scopes', () => {
    const engine = new SearchEngine();
    engine.add(documentOf('notes', 'Alpha guild keeps the walrus ledger.', guildScope('1')));
    engine.add(documentOf('notes', 'Beta guild keeps the walrus diary.', guildScope('2')));
    expect(engine.ask('walrus', { scope: guildScope('1') }).passages.map((p) => p.text)).toEqual([
      'Alpha guild keeps the walrus ledger.',
    ]);
    expect(engine.ask('walrus', { scope: guildScope('2') }).passages.map((p) => p.text)).toEqual([
      'Beta guild keeps the walrus diary.',
    ]);
    engine.remove(guildScope('1'), 'notes');
    expect(engine.has(guildScope('1'), 'notes')).toBe(false);
    expect(engine.has(guildScope('2'), 'notes')).toBe(true);
  });

  it('makes add, replace and remove take effect at once', () => {
    const engine = new SearchEngine();
    const scope = guildScope('7');
    engine.add(documentOf('memo', 'The budget for the lighthouse repairs is settled.', scope));
    expect(engine.ask('lighthouse budget', { scope }).answered).toBe(true);

    engine.replace(documentOf('memo', 'The orchard harvest starts in October.', scope, 'Memo v2'));
    expect(engine.ask('lighthouse budget', { scope })).toMatchObject({ answered: false, reason: 'no-match' });
    const [passage] = engine.ask('orchard harvest', { scope }).passages;
    expect(passage).toMatchObject({
      documentId: 'memo',
      source: expect.objectContaining({ title: 'Memo v2' }),
      text: 'The orchard harvest starts in October.',
    });
    expect(engine.documentCount).toBe(1);

    engine.remove(scope, 'memo');
    expect(engine.ask('orchard harvest', { scope })).toMatchObject({ answered: false, reason: 'no-match' });
    expect(engine.documentCount).toBe(0);
    expect(engine.paragraphCount).toBe(0);
    expect(engine.paragraphs(scope, 'memo')).toEqual([]);
  });

  it('refuses a duplicate id in the same scope and keeps the first document', () => {
    const engine = new SearchEngine();
    engine.add(documentOf('memo', 'The kettle is broken.'));
    const error = thrown(() => engine.add(documentOf('memo', 'Something else entirely.')));
    expect(error.code).toBe('DUPLICATE_DOCUMENT');
    expect(error.message).toBe(
      'A document with the id "memo" already exists; update it, or add this one under another id.',
    );
    expect(engine.ask('kettle').passages[0]?.text).toBe('The kettle is broken.');
  });

  it('refuses to replace or remove a document that does not exist', () => {
    const engine = new SearchEngine();
    expect(thrown(() => engine.replace(documentOf('ghost', 'Boo.'))).code).toBe('UNKNOWN_DOCUMENT');
    expect(thrown(() => engine.remove(SHIPPED_SCOPE, 'ghost')).code).toBe('UNKNOWN_DOCUMENT');
  });

  it('refuses a document with nothing to quote, and a replacement with nothing keeps the old text', () => {
    const engine = new SearchEngine();
    expect(
      thrown(() => engine.add(documentOf('chrome', 'Skip to main content\n\nMost Viewed\n\nA Heading Only')))
        .code,
    ).toBe('EMPTY_DOCUMENT');
    expect(engine.has(SHIPPED_SCOPE, 'chrome')).toBe(false);
    engine.add(documentOf('memo', 'The kettle is broken.'));
    expect(thrown(() => engine.replace(documentOf('memo', '   \n\n '))).code).toBe('EMPTY_DOCUMENT');
    expect(engine.ask('kettle').passages[0]?.text).toBe('The kettle is broken.');
  });

  it('finds CRLF text and quotes it exactly', () => {
    const engine = new SearchEngine();
    const text =
      'Harbour Report\r\n\r\nThe harbour master\r\ninspected the cranes.\r\n\r\nNothing else happened.\r\n';
    engine.add(documentOf('crlf', text));
    const [passage] = engine.ask('harbour cranes').passages;
    expect(passage).toMatchObject({
      text: 'The harbour master\r\ninspected the cranes.',
      section: 'Harbour Report',
      paragraph: 1,
    });
    expect(text.slice(passage?.start, passage?.end)).toBe(passage?.text);
    expect(highlighted(passage as Passage)).toEqual(['harbour', 'cranes']);
  });
});

describe('long paragraphs', () => {
  const sentence = (i: number) =>
    `Sentence number ${i} talks about the granite quarry and its ${i % 7 === 0 ? 'basalt' : 'marble'} blocks.`;
  const long = Array.from({ length: 400 }, (_, i) => sentence(i)).join(' ');

  it('splits a 20,000-character paragraph into sentence-aligned parts within the limit', () => {
    expect(long.length).toBeGreaterThan(20_000);
    const engine = new SearchEngine();
    const paragraphs = engine.add(documentOf('long', `Quarry Notes\n\n${long}\n\nA short one.`));
    const parts = paragraphs.filter((p) => p.number === 1);
    expect(parts.length).toBeGreaterThan(13);
    parts.forEach((part, index) => {
      expect(part).toMatchObject({ part: index + 1, parts: parts.length, section: 'Quarry Notes' });
      expect(part.end - part.start).toBeLessThanOrEqual(engine.options.maxPartChars);
      const text = engine.document(SHIPPED_SCOPE, 'long')?.text.slice(part.start, part.end) ?? '';
      expect(text).toMatch(/^Sentence number \d+ .*blocks\.$/s);
    });
    expect(paragraphs.at(-1)).toMatchObject({ number: 2, part: 1, parts: 1 });
    // The whole paragraph is still one passage when asked for by number.
    expect(engine.passage(SHIPPED_SCOPE, 'long', 1)?.text).toBe(long);
  });

  it('cuts a single sentence longer than the limit at a word boundary', () => {
    const engine = new SearchEngine({ maxPartChars: 200 });
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const paragraphs = engine.add(documentOf('run-on', words));
    expect(paragraphs.length).toBeGreaterThan(1);
    for (const p of paragraphs) {
      const text = words.slice(p.start, p.end);
      expect(text.length).toBeLessThanOrEqual(200);
      expect(text).toMatch(/^word\d+( word\d+)*$/);
    }
    expect(paragraphs.map((p) => words.slice(p.start, p.end)).join(' ')).toBe(words);
  });

  it('highlights the matching part of a split paragraph', () => {
    const engine = new SearchEngine();
    engine.add(documentOf('long', long));
    const [passage] = engine.ask('basalt quarry', { limit: 1 }).passages;
    expect(passage?.parts).toBeGreaterThan(1);
    expect(highlighted(passage as Passage)).toContain('basalt');
    expect(passage?.text.length).toBeLessThanOrEqual(1500);
  });
});

describe('options', () => {
  it('refuses options that cannot work, saying which', () => {
    const error = thrown(() => new SearchEngine({ maxPartChars: 10 }));
    expect(error.code).toBe('BAD_OPTION');
    expect(error.message).toBe('SearchEngine: option "maxPartChars" must be at least 100.');
  });

  it('fills in nested options from the defaults', () => {
    const engine = new SearchEngine({ boost: { title: 2 }, analyzer: { stem: false } });
    expect(engine.options.boost).toEqual({ text: 1, section: 0.5, title: 2 });
    expect(engine.options.analyzer.stem).toBe(false);
    engine.add(documentOf('memo', 'The servants gathered.'));
    expect(engine.ask('servant').answered).toBe(false);
    expect(engine.ask('servants').answered).toBe(true);
  });
});
