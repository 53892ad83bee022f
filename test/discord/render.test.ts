/**
 * The renderer's promises, for any passages: every payload is within Discord's limits and notifies no one,
 * and a quote is the passage's exact text, only escaped and marked up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutMarkup } from '../helpers/markdown.ts';
import type { DocumentMeta, Passage, Range } from '../../src/core/index.ts';
import type { DocumentSummary } from '../../src/library.ts';
import { sentenceSpans } from '../../src/core/index.ts';
import { ELLIPSIS, escapeText, markQuote, renderQuote } from '../../src/discord/quote.ts';
import { renderAnswer, renderContext, renderNoAnswer, sourceLine } from '../../src/discord/render.ts';
import {
  renderDocumentChoices,
  renderDocumentDetails,
  renderSourceList,
} from '../../src/discord/render-documents.ts';
import type { Payload } from '../../src/discord/render.ts';
import { checkChoices, checkMessage } from '../helpers/message-rules.ts';
import { metaOf, sentencesOf } from '../helpers/passages.ts';

/** Pieces documents really contain, and pieces meant to break a renderer. */
const fragments = [
  'The ministry said it would review the contract. ',
  'Was that legal? ',
  'Yes! ',
  '@everyone ',
  '@here ',
  '<@123456789012345678> ',
  '<@&234567890123456789> ',
  '<#345678901234567890> ',
  '<t:1700000000:R> ',
  '[click here](https://evil.example/x) ',
  'https://example.org/report?id=1&x=(2) ',
  '**bold** ',
  '__under__ ',
  '~~strike~~ ',
  '||spoiler|| ',
  '`code` ',
  '```js\nblock\n``` ',
  '\n# Heading\n',
  '\n-# subtext\n',
  '\n- item\n',
  '\n1. first\n',
  '\n> quoted\n',
  '\\ ',
  '* ',
  '_ ',
  'Ünïcödé 漢字 😀 👩‍👩‍👧 ',
  '\n\n',
  'word ',
  'a.b.c ',
];

const textArbitrary = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 60 })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }) },
  // A 20,000-character paragraph, with and without sentence ends.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('Sentence with words and more words. ', 'endless words without a stop ')
      .map((s) => s.repeat(Math.ceil(20_000 / s.length)).slice(0, 20_000)),
  },
);

function rangesWithin(length: number): fc.Arbitrary<Range[]> {
  return fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 40 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: Range[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      ranges.push([sorted[i] as number, sorted[i + 1] as number]);
    return ranges;
  });
}

const passageArbitrary: fc.Arbitrary<Passage> = textArbitrary.chain((text) =>
  fc
    .record({
      highlights: rangesWithin(text.length),
      bestSentence: fc
        .tuple(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: text.length }))
        .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as Range),
      paragraph: fc.integer({ min: 1, max: 500 }),
      section: fc.constantFrom('', 'Background', '# **Odd** @everyone section'.repeat(3)),
      title: fc.constantFrom('A report', '[Masked](https://x.example) @here <@&1> title'.repeat(4)),
    })
    .map(({ highlights, bestSentence, paragraph, section, title }) => ({
      documentId: 'doc-1',
      scope: 'corpus',
      source: metaOf({ title }),
      paragraph,
      part: 1,
      parts: 1,
      section,
      text,
      start: 0,
      end: text.length,
      score: 1,
      highlights,
      bestSentence,
      sentences: sentencesOf(text),
    })),
);

const metaArbitrary: fc.Arbitrary<DocumentMeta> = fc.record({
  id: fc.constantFrom('doc-1', 'x'.repeat(120)),
  title: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constant('**Title** with @everyone and [link](https://a.example)'),
  ),
  publisher: fc.string({ maxLength: 300 }),
  date: fc.constantFrom('', '2019', '2019-05-08'),
  dateEstimated: fc.boolean(),
  url: fc.constantFrom(
    '',
    'https://example.org/a_(b)',
    'javascript:alert(1)',
    `https://example.org/${'p'.repeat(600)}`,
  ),
  language: fc.constant('en'),
  scope: fc.constantFrom('corpus', 'guild:1'),
});

/** What a reader sees once Discord has applied the backslash escapes. */
function unescape(markdown: string): string {
  return markdown.replace(/\\([\s\S])/g, '$1');
}

/** The quoted body between the quotation marks the renderer adds. */
function quoteBody(markdown: string): string {
  const body = markdown.replace(/^… /, '').replace(/ …$/, '');
  expect(body.startsWith('“')).toBe(true);
  expect(body.endsWith('”')).toBe(true);
  return body.slice(1, -1);
}

function expectWithinLimits(message: Payload): void {
  expect(message.allowedMentions.parse).toEqual([]);
  expect(checkMessage(message as unknown as Record<string, unknown>, 0)).toEqual([]);
}

describe('quotes', () => {
  it('are the passage text, escaped, with only bold and underline added', () => {
    fc.assert(
      fc.property(passageArbitrary, fc.integer({ min: 40, max: 4096 }), (passage, budget) => {
        const quote = renderQuote(passage, { budget });
        expect(quote.markdown.length).toBeLessThanOrEqual(budget);
        const body = quoteBody(quote.markdown);
        const exact = passage.text.slice(quote.window[0], quote.window[1]);
        expect(withoutMarkup(body)).toBe(escapeText(exact));
        expect(unescape(withoutMarkup(body))).toBe(exact);
      }),
      { numRuns: 150 },
    );
  });

  it('are cut only where a sentence starts or ends, unless one sentence alone is too long', () => {
    let cuts = 0;
    let cutInside = 0;
    fc.assert(
      fc.property(passageArbitrary, fc.integer({ min: 200, max: 4096 }), (passage, budget) => {
        const quote = renderQuote(passage, { budget });
        if (!quote.cut) return;
        cuts++;
        const { text, highlights, bestSentence } = passage;
        const spans = sentenceSpans(passage);
        const trimmed = spans.map(([s, e]) => {
          const t = text.slice(s, e);
          return [s + (t.length - t.trimStart().length), e - (t.length - t.trimEnd().length)];
        });
        const starts = new Set(trimmed.map(([s]) => s));
        const ends = new Set(trimmed.map(([, e]) => e));
        const [start, end] = quote.window;
        // Every cut quote starts where a sentence starts, and ends where one ends...
        expect(starts.has(start)).toBe(true);
        if (ends.has(end)) return;
        // ...except as the last resort: the sentence kept whole when it fits (the best sentence, or the sentences from the
        // window's start up to the first end past both the cut and the best sentence) is over the budget
        // alone, so the quote stops inside it at a space (mid-word only when there is no space to stop at).
        cutInside++;
        const [bestStart, bestEnd] = bestSentence;
        if (bestEnd > bestStart) {
          expect(start).toBeGreaterThanOrEqual(bestStart);
          expect(end).toBeLessThan(bestEnd);
        }
        const sentenceEnd = Math.min(...spans.map(([, e]) => e).filter((e) => e >= bestEnd && e > end));
        const sentence: Range = [start, start + text.slice(start, sentenceEnd).trimEnd().length];
        expect(sentence[1]).toBeGreaterThan(end);
        expect(/\s/.test(text[end] ?? '') || !text.slice(start, end).includes(' ')).toBe(true);
        expect(/[\uDC00-\uDFFF]/.test(text[end] ?? '')).toBe(false);
        const wholeStart = text.length - text.trimStart().length;
        const wholeEnd = text.trimEnd().length;
        const sentenceAlone =
          (sentence[0] > wholeStart ? `${ELLIPSIS} ` : '') +
          `“${markQuote(text, sentence, { highlights, mark: bestSentence })}”` +
          (sentence[1] < wholeEnd ? ` ${ELLIPSIS}` : '');
        expect(sentenceAlone.length).toBeGreaterThan(budget);
      }),
      { numRuns: 300 },
    );
    // Cut quotes were checked, of both kinds, not only passages that fit whole.
    expect(cuts).toBeGreaterThan(10);
    expect(cutInside).toBeGreaterThan(3);
  });

  it('leave nothing that mentions, links or formats', () => {
    fc.assert(
      fc.property(passageArbitrary, (passage) => {
        const body = withoutMarkup(quoteBody(renderQuote(passage, { budget: 4000 }).markdown));
        // Every character that could open markdown, a mention or a masked link is escaped.
        const bare = body.replace(/\\[\s\S]/g, '');
        expect(bare).not.toMatch(/[*_~`|[\]<>@#]/);
        expect(bare).not.toMatch(/https?:\/\//);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['the whole passage when it fits', 'One. Two. Three.', [5, 9] as Range, 1000, '“One. __Two.__ Three.”'],
    [
      'whole sentences around the best one, ellipses outside the quote',
      'First sentence here. Best one. Last sentence here.',
      [21, 30] as Range,
      30,
      '… “Best one.” …',
    ],
  ])('%s', (_name, text, bestSentence, budget, expected) => {
    const passage = { text, highlights: [], bestSentence, sentences: sentencesOf(text) };
    expect(renderQuote(passage, { budget }).markdown).toBe(expected);
  });

  it('does not underline a quote of one sentence end to end', () => {
    const text = 'The crane lifted tin at dawn.';
    const whole = {
      text,
      highlights: [[4, 9]] as Range[],
      bestSentence: [0, text.length] as Range,
      sentences: sentencesOf(text),
    };
    expect(renderQuote(whole, { budget: 500 }).markdown).toBe('“The **crane** lifted tin at dawn.”');
    const aloneText = `Before. ${text} After.`;
    const alone = {
      text: aloneText,
      highlights: [],
      bestSentence: [8, 37] as Range,
      sentences: sentencesOf(aloneText),
    };
    expect(renderQuote(alone, { budget: 36 }).markdown).toBe(`… “${text}” …`);
  });

  it('bolds matched words inside the underlined best sentence without crossing markup', () => {
    const text = 'Tencent signed. The UN partnered with Tencent in 2019.';
    const markdown = renderQuote(
      {
        text,
        highlights: [
          [0, 7],
          [38, 45],
        ],
        bestSentence: [16, 54],
        sentences: sentencesOf(text),
      },
      { budget: 500 },
    ).markdown;
    expect(markdown).toBe('“**Tencent** signed. __The UN partnered with **Tencent** in 2019.__”');
  });

  it('breaks URLs and mentions in quoted text', () => {
    const text = 'See https://example.org and [this](https://x.io) @everyone <@&123>.';
    const markdown = renderQuote(
      { text, highlights: [], bestSentence: [0, 0], sentences: sentencesOf(text) },
      { budget: 500 },
    ).markdown;
    expect(markdown).toBe(
      '“See https\\://example.org and \\[this\\](https\\://x.io) \\@everyone \\<\\@&123\\>.”',
    );
  });
});

describe('payloads', () => {
  it('an answer stays within every limit for any passages', () => {
    fc.assert(
      fc.property(
        fc.array(passageArbitrary, { minLength: 1, maxLength: 5 }),
        metaArbitrary,
        fc.boolean(),
        (passages, meta, isPrivate) => {
          const withMeta = passages.map((passage) => ({ ...passage, source: meta }));
          const message = renderAnswer(withMeta, {
            private: isPrivate,
            heading: 'Asked “@everyone <@1>”',
          });
          expectWithinLimits(message);
          // Every passage is shown once: the best always in the content (seen with embeds off), the rest
          // in the content while they fit whole, then in embeds; each with its source line.
          const content = message.content ?? '';
          expect(content).toMatch(/^Asked “@everyone <@1>”\n\n(… )?“/);
          const inContent = content.match(/”( …)?\n— /g) ?? [];
          expect(inContent.length).toBeGreaterThanOrEqual(1);
          expect(inContent.length + message.embeds.length).toBe(passages.length);
          for (const embed of message.embeds) expect(embed.description).toContain('\n\n— ');
          // A link in the content never unfurls into a preview.
          for (const [, target] of content.matchAll(/(?<!\\)\]\(([^)]*)\)/g))
            expect(target).toMatch(/^<https?:/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('context, details, lists and choices stay within every limit', () => {
    const summaryArbitrary: fc.Arbitrary<DocumentSummary> = fc.record({
      meta: metaArbitrary,
      paragraphs: fc.nat(10_000),
      characters: fc.nat(10_000_000),
      sections: fc.array(fc.string({ maxLength: 300 }), { maxLength: 200 }),
    });
    fc.assert(
      fc.property(
        fc.array(passageArbitrary, { maxLength: 5 }),
        fc.array(summaryArbitrary, { maxLength: 40 }),
        fc.string(),
        (passages, summaries, typed) => {
          if (passages.length > 0) {
            const sourced = passages.map((passage) => ({
              ...passage,
              source: summaries[0]?.meta ?? passage.source,
            }));
            expectWithinLimits(renderContext(sourced, passages[0]!.paragraph));
            // In place of a public answer: its heading above, a button below.
            const inPlace = renderContext(sourced, passages[0]!.paragraph, {
              heading: `Asked “${'@everyone '.repeat(40)}”`,
              buttons: [[{ customId: 'ask:more:x', label: 'Back to the answer' }]],
              private: false,
            });
            expectWithinLimits(inPlace);
            expect(inPlace.flags).toBeUndefined();
            expect(inPlace.content).toMatch(/^Asked “/);
          }
          expectWithinLimits(renderSourceList(summaries, 1, (page) => `source:page:${page}`));
          for (const summary of summaries.slice(0, 3)) expectWithinLimits(renderDocumentDetails(summary));
          expect(checkChoices(renderDocumentChoices(summaries, typed))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the no-answer message is private and points to /source', () => {
    const message = renderNoAnswer({ question: 'what about @everyone?', reason: 'no-match' });
    expectWithinLimits(message);
    expect(message.flags).toBeDefined();
    expect(message.content).toContain('/source');
    expect(message.content).toContain('\\@everyone');
  });
});

describe('source line', () => {
  const passage = { documentId: 'd', section: 'Findings', paragraph: 4, part: 1, parts: 1 };
  const meta: DocumentMeta = {
    id: 'd',
    title: 'A *report*',
    publisher: 'Human Rights Watch',
    date: '2019-05-08',
    dateEstimated: false,
    url: 'https://www.hrw.org/x_(y)',
    language: 'en',
    scope: 'corpus',
  };
  it.each([
    [
      'linked when there is a url',
      meta,
      '[A \\*report\\*](https://www.hrw.org/x_%28y%29) — Human Rights Watch, 2019-05-08 · Findings · ¶4',
    ],
    [
      'plain without one',
      { ...meta, url: '' },
      'A \\*report\\* — Human Rights Watch, 2019-05-08 · Findings · ¶4',
    ],
    [
      'says when a date is estimated',
      { ...meta, url: '', dateEstimated: true, date: '2019' },
      'A \\*report\\* — Human Rights Watch, 2019 (estimated) · Findings · ¶4',
    ],
    [
      'never links a non-web url',
      { ...meta, url: 'javascript:alert(1)' },
      'A \\*report\\* — Human Rights Watch, 2019-05-08 · Findings · ¶4',
    ],
    [
      'without a publisher that is only "Unknown"',
      { ...meta, url: '', publisher: 'Unknown' },
      'A \\*report\\* — 2019-05-08 · Findings · ¶4',
    ],
  ])('is %s', (_name, m, expected) => {
    expect(sourceLine({ ...passage, source: m })).toBe(expected);
  });

  it('names the title once when the first section is the title itself', () => {
    const first = { ...passage, section: 'A  *Report* ' };
    expect(sourceLine({ ...first, source: { ...meta, url: '' } })).toBe(
      'A \\*report\\* — Human Rights Watch, 2019-05-08 · ¶4',
    );
  });
});

describe('answers readable with embeds and link previews off', () => {
  const meta: DocumentMeta = {
    id: 'd',
    title: 'Harbour report',
    publisher: 'Port office',
    date: '2024-03-01',
    dateEstimated: false,
    url: 'https://example.org/harbour',
    language: 'en',
    scope: 'guild:1',
  };
  const passage = (paragraph: number, text: string): Passage => ({
    documentId: 'd',
    scope: 'guild:1',
    source: meta,
    paragraph,
    part: 1,
    parts: 1,
    section: 'Moorings',
    text,
    start: 0,
    end: text.length,
    score: 1,
    highlights: [[4, 9]],
    bestSentence: [0, 0],
    sentences: sentencesOf(text),
  });

  it('put the best quote and its source line in the message content, a link that does not unfurl', () => {
    const message = renderAnswer([passage(3, 'The crane lifted tin at dawn.')], {
      private: false,
      heading: 'Asked “who lifted tin?”',
    });
    expect(message.content).toBe(
      'Asked “who lifted tin?”\n\n“The **crane** lifted tin at dawn.”\n— [Harbour report](<https://example.org/harbour>) — Port office, 2024-03-01 · Moorings · ¶3',
    );
    expect(message.embeds).toEqual([]);
  });

  it('show each quote once: whole ones in the content while they fit, the rest in embeds', () => {
    const long = `${'Barges queue at the lock. '.repeat(60)}The crane lifted tin.`;
    const passages = [passage(1, long), passage(2, long), passage(3, 'The crane is blue.')];
    const message = renderAnswer(passages, { private: false, heading: 'Asked “x”' });
    expect(message.content).toContain('· ¶1');
    expect(message.content).not.toContain('· ¶2');
    expect(message.embeds.map((e) => /¶(\d+)$/.exec(e.description ?? '')?.[1])).toEqual(['2', '3']);
  });
});
