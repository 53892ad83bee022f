import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentMeta, Passage, Range } from '../../src/core/index.ts';
import {
  formatAskResult,
  formatAttribution,
  formatDocumentDetails,
  formatDocumentList,
  formatNoAnswer,
  formatPassage,
  TERMINAL_QUOTE_MAX,
} from '../../src/cli/format.ts';
import { askErrorToJson, askResultToJson, passageToJson } from '../../src/cli/json.ts';
import { ansiStyle, plainStyle, stripStyle, styleFor, styleRanges } from '../../src/cli/style.ts';
import { PASSAGE_JSON_FIELDS } from '../helpers/json-contract.ts';
import { metaOf, sentencesOf } from '../helpers/passages.ts';

const documentText = 'Heading\n\nThe delegation met executives at Tencent. They also met officials.\n';
const start = documentText.indexOf('The delegation');
const end = documentText.length - 1;

const meta: DocumentMeta = {
  id: 'trip',
  title: 'The trip',
  publisher: 'NS Tech',
  date: '2020',
  dateEstimated: true,
  url: 'https://example.org/trip',
  language: 'en',
  scope: 'corpus',
};

function passage(overrides: Partial<Passage> = {}): Passage {
  const text = documentText.slice(start, end);
  return {
    documentId: 'trip',
    scope: 'corpus',
    source: meta,
    paragraph: 1,
    part: 1,
    parts: 1,
    section: 'Heading',
    text,
    start,
    end,
    score: 12.5,
    highlights: [
      [text.indexOf('met'), text.indexOf('met') + 3],
      [text.indexOf('Tencent'), text.indexOf('Tencent') + 7],
    ],
    bestSentence: [0, text.indexOf(' They')],
    sentences: sentencesOf(text),
    ...overrides,
  };
}

describe('attribution', () => {
  it.each([
    [
      'every field',
      meta,
      {},
      'The trip — NS Tech, 2020 (estimated) · Heading · ¶1, https://example.org/trip',
    ],
    [
      'a stated date',
      { ...meta, dateEstimated: false, date: '2019-05-08' },
      {},
      'The trip — NS Tech, 2019-05-08 · Heading · ¶1, https://example.org/trip',
    ],
    ['no url, date or section', { ...meta, url: '', date: '' }, { section: '' }, 'The trip — NS Tech · ¶1'],
    ['no publisher, date or url', metaOf({ title: 'The trip' }), {}, 'The trip · Heading · ¶1'],
    [
      'a split paragraph',
      { ...meta, url: '' },
      { paragraph: 4, part: 2, parts: 3 },
      'The trip — NS Tech, 2020 (estimated) · Heading · ¶4 (part 2 of 3)',
    ],
    [
      'a section that is the title once',
      { ...meta, url: '' },
      { section: 'The trip' },
      'The trip — NS Tech, 2020 (estimated) · ¶1',
    ],
  ] as const)('names %s', (_case, documentMeta, overrides, expected) => {
    expect(formatAttribution(passage({ ...overrides, source: documentMeta }))).toBe(expected);
  });
});

describe('a quoted passage', () => {
  it('is the stored text exactly, with its source, when the output is not a TTY', () => {
    const shown = formatPassage(passage(), plainStyle);
    expect(shown).toBe(
      `“${passage().text}”\n  — The trip — NS Tech, 2020 (estimated) · Heading · ¶1, https://example.org/trip`,
    );
    expect(shown).not.toContain('\u001b');
  });

  it('longer than the terminal shows, is cut at sentences around the best one, with ellipses outside the quotes', () => {
    const filler = 'Other things happened that day, at length and in detail. ';
    const text =
      `${filler.repeat(15)}The delegation met executives at Tencent. ${filler.repeat(15)}`.trimEnd();
    const best: Range = [text.indexOf('The delegation'), text.indexOf('Tencent.') + 8];
    const long = passage({
      text,
      end: start + text.length,
      highlights: [],
      bestSentence: best,
      sentences: sentencesOf(text),
    });
    const shown = formatPassage(long, plainStyle);
    const quote = shown.slice(shown.indexOf('“') + 1, shown.indexOf('”'));
    expect(shown.startsWith('… “')).toBe(true);
    expect(shown).toContain('” …\n  — The trip');
    expect(quote.length).toBeLessThanOrEqual(TERMINAL_QUOTE_MAX);
    expect(quote).toContain('The delegation met executives at Tencent.');
    expect(text).toContain(quote);
    expect(quote.startsWith('Other things') && quote.endsWith('in detail.')).toBe(true);
  });

  it('on a TTY, marks the matched words and reads the same once the styling is removed', () => {
    const shown = formatPassage(passage(), ansiStyle);
    expect(shown).toContain('\u001b[1m\u001b[33mTencent\u001b[39m\u001b[22m');
    expect(stripStyle(shown)).toBe(formatPassage(passage(), plainStyle));
  });

  it('on a TTY, shows control characters of a document as symbols instead of obeying them', () => {
    const text = 'Evil \u001b[2J text';
    const shown = styleRanges(text, [[0, 4]], undefined, ansiStyle);
    expect(stripStyle(shown)).toBe('Evil \u241b[2J text');
  });
});

describe('styleRanges', () => {
  const textAndRanges = fc.string({ unit: 'grapheme', maxLength: 60 }).chain((text) => {
    const offset = fc.integer({ min: 0, max: text.length });
    const range = fc.tuple(offset, offset).map(([a, b]): Range => [Math.min(a, b), Math.max(a, b)]);
    return fc.record({
      text: fc.constant(text),
      highlights: fc.array(range, { maxLength: 5 }),
      best: fc.option(range, { nil: undefined }),
    });
  });

  it('adds nothing at all without a TTY', () => {
    fc.assert(
      fc.property(
        textAndRanges,
        ({ text, highlights, best }) => styleRanges(text, highlights, best, plainStyle) === text,
      ),
    );
  });

  it('only adds styling on a TTY: removing it gives back the text', () => {
    fc.assert(
      fc.property(
        textAndRanges,
        ({ text, highlights, best }) =>
          stripStyle(styleRanges(text, highlights, best, ansiStyle)) === ansiStyle.safe(text),
      ),
    );
  });
});

describe('styleFor', () => {
  it.each([
    ['a pipe', {}, false],
    ['a TTY with colours', { isTTY: true, hasColors: (): boolean => true }, true],
    ['a TTY with NO_COLOR', { isTTY: true, hasColors: (): boolean => false }, false],
  ] as const)('styles %s: %s', (_case, stream, styled) => {
    expect(styleFor(stream).enabled).toBe(styled);
  });
});

describe('no answer', () => {
  it.each([
    [
      'no-searchable-words',
      'The sources do not answer this: the question has no words to search on (only common words, punctuation or symbols). Try /source.',
    ],
    ['no-match', 'The sources do not answer this: nothing in them matches the question. Try /source.'],
    [
      'weak-match',
      'The sources do not answer this: nothing in them matches enough of the question to quote. Try /source.',
    ],
  ] as const)('says so plainly for %s', (reason, expected) => {
    expect(formatNoAnswer(reason, 'Try /source.')).toBe(expected);
    expect(
      formatAskResult({ question: 'q', answered: false, reason, passages: [] }, plainStyle, 'Try /source.'),
    ).toBe(expected);
  });
});

describe('the --json contract', () => {
  it('maps a passage to exactly the contract fields', () => {
    const json = passageToJson(passage());
    expect(Object.keys(json)).toEqual(PASSAGE_JSON_FIELDS);
    expect(documentText.slice(json.start, json.end)).toBe(json.text);
    expect(json.highlights.map(([from, to]) => json.text.slice(from, to))).toEqual(['met', 'Tencent']);
  });

  it('has question, answered and passages, and a reason only when not answered', () => {
    const answered = askResultToJson({ question: 'q', answered: true, passages: [passage()] });
    expect(Object.keys(answered)).toEqual(['question', 'answered', 'passages']);
    const unanswered = askResultToJson({
      question: 'q',
      answered: false,
      reason: 'weak-match',
      passages: [],
    });
    expect(unanswered).toEqual({ question: 'q', answered: false, passages: [], reason: 'weak-match' });
  });

  it('keeps a batch line for a question that could not be asked', () => {
    expect(JSON.parse(JSON.stringify(askErrorToJson('', 'EMPTY_QUESTION', 'Ask a question.')))).toEqual({
      question: '',
      answered: false,
      passages: [],
      error: { code: 'EMPTY_QUESTION', message: 'Ask a question.' },
    });
  });
});

describe('documents', () => {
  const summary = { meta, paragraphs: 12, characters: 5400, sections: ['AI ethics', 'Antitrust regulation'] };

  it('lists one document per line with its source and size', () => {
    expect(
      formatDocumentList(
        [summary, { ...summary, meta: { ...meta, id: 'another-one', publisher: '' }, paragraphs: 1 }],
        plainStyle,
      ),
    ).toBe(
      [
        'trip         The trip — NS Tech, 2020 (estimated) · 12 paragraphs',
        'another-one  The trip — 2020 (estimated) · 1 paragraph',
      ].join('\n'),
    );
  });

  it('details one document, leaving out what is unknown', () => {
    expect(formatDocumentDetails({ ...summary, meta: { ...meta, language: '' } }, plainStyle)).toBe(
      [
        'The trip',
        '  id:         trip',
        '  publisher:  NS Tech',
        '  date:       2020 (estimated)',
        '  url:        https://example.org/trip',
        '  paragraphs: 12 (5,400 characters)',
        '  sections:   AI ethics · Antitrust regulation',
      ].join('\n'),
    );
  });
});
