/**
 * The one escaping function (src/discord/escape.ts), and every renderer that echoes user or document text:
 * for any text an attacker can choose, nothing echoed is a live link, a mention, markup of its own or an
 * invisible bidi/zero-width control, and every payload stays within Discord's limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentMeta, Passage } from '../../src/core/index.ts';
import { escapeEcho, linkTarget } from '../../src/discord/escape.ts';
import { askedHeading, renderAnswer, renderError, renderNoAnswer } from '../../src/discord/render.ts';
import {
  renderDocumentChanged,
  renderDocumentDetails,
  renderRefreshPreview,
  renderSourceList,
} from '../../src/discord/render-documents.ts';
import type { Payload } from '../../src/discord/render.ts';
import type { DocumentSummary } from '../../src/library.ts';
import { sentencesOf } from '../helpers/passages.ts';
import { checkMessage } from '../helpers/message-rules.ts';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');

const hostile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '[x](http://evil.example)',
        '[x](<https://evil.example>)',
        '@everyone',
        '@here',
        '<@123456789012345678>',
        '<@&123456789012345678>',
        '<#123456789012345678>',
        '<t:1700000000:R>',
        '**b**',
        '__u__',
        '~~s~~',
        '||spoiler||',
        '`c`',
        '```',
        '\n# h',
        '\n-# sub',
        '\n> q',
        '\n1. item',
        '\n- item',
        '\\',
        '\u202E',
        '\u2066',
        '\u2069',
        '\u200B',
        '\u200F',
        '\uFEFF',
        'https://evil.example/a',
        'word',
        ' ',
      ),
      { maxLength: 20 },
    )
    .map((parts) => parts.join('')),
);

/** Markdown links in `markdown` that Discord would render (not escaped). */
function liveLinks(markdown: string): Array<{ text: string; target: string }> {
  return [...markdown.matchAll(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)/g)].map((m) => ({
    text: m[1] ?? '',
    target: m[2] ?? '',
  }));
}

/** Every place a payload shows text: content, titles, descriptions, fields, footers. */
function shownText(payload: Payload): string[] {
  return [
    payload.content ?? '',
    ...payload.embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ];
}

/** Echoed text holds no mention, no markup of its own and no invisible control; links only where ours. */
function expectInert(payload: Payload, options: { quotes?: boolean } = {}): void {
  expect(payload.allowedMentions.parse).toEqual([]);
  expect(checkMessage(payload as unknown as Record<string, unknown>, 0)).toEqual([]);
  for (const shown of shownText(payload)) {
    // `<…>` around a target (in message content) only stops the link from unfurling into a preview.
    for (const link of liveLinks(shown))
      expect(link.target).toMatch(/^(https?:\/\/[^\s@()<>\\`]+|<https?:\/\/[^\s@()<>\\`]+>)$/);
    // Markdown does not apply inside a link target (checked just above); the rest is checked below.
    const text = shown.replace(/(?<!\\)(\[(?:\\.|[^\]\\])*\])\([^)]*\)/g, '$1');
    expect(text).not.toMatch(/(?<!\\)@(everyone|here)/);
    expect(text).not.toMatch(/(?<!\\)<[@#t]/);
    // The one code span is ours: a document id (a slug) in the details and change notices.
    expect(text.replace(/`[\w.-]{1,100}`/g, '')).not.toMatch(/(?<!\\)(~~|\|\||`)/);
    // Quotes keep a document's own controls (verbatim); everything else is echoed without them.
    if (!options.quotes) expect(text).not.toMatch(INVISIBLE);
  }
}

const metaArbitrary: fc.Arbitrary<DocumentMeta> = fc.record({
  id: fc.constantFrom('doc-1', 'harbour-log-2024'),
  title: hostile.map((t) => t || 'T'),
  publisher: hostile,
  date: fc.constantFrom('', '2019', '2019-05-08'),
  dateEstimated: fc.boolean(),
  url: fc.oneof(
    fc.constant(''),
    hostile.map((s) => `https://example.org/${s.replace(/\s/g, '')}`),
    fc.constant('https://example.org/@everyone/page'),
  ),
  language: fc.constant('en'),
  scope: fc.constantFrom('corpus', 'guild:1'),
  added: fc.option(
    fc.record({ userId: fc.constant('1'), userName: hostile, at: fc.constant('2024-01-01T00:00:00Z') }),
    {
      nil: undefined,
    },
  ),
});

const summaryArbitrary: fc.Arbitrary<DocumentSummary> = fc.record({
  meta: metaArbitrary,
  paragraphs: fc.nat(1000),
  characters: fc.nat(1_000_000),
  sections: fc.array(hostile, { maxLength: 10 }),
});

describe('escapeEcho', () => {
  it('reads back as the text without its invisible controls, and leaves nothing live', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeEcho(text);
        expect(escaped.replace(/\\([\s\S])/g, '$1')).toBe(text.replace(INVISIBLE_ALL, ''));
        expect(escaped).not.toMatch(INVISIBLE);
        expect(liveLinks(escaped)).toEqual([]);
        expect(escaped).not.toMatch(/(?<!\\)[@<*_~|`[\]]/);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps no @ or markup in a link target', () => {
    expect(linkTarget('https://example.org/@everyone/(x)')).toBe('https://example.org/%40everyone/%28x%29');
    expect(linkTarget('javascript:alert(1)')).toBeUndefined();
    expect(linkTarget('https://example.org/\u202Eevil')).toBeUndefined();
  });
});

describe('every renderer that echoes', () => {
  it('errors, headings, no-answers, details, lists and change notices are inert for any text', () => {
    fc.assert(
      fc.property(
        hostile,
        summaryArbitrary,
        fc.array(summaryArbitrary, { maxLength: 12 }),
        (text, summary, list) => {
          expectInert(renderError(`There is no document "${text}" here.`));
          expectInert(renderNoAnswer({ question: text, reason: 'no-match' }));
          expectInert(renderDocumentDetails(summary));
          expectInert(renderDocumentChanged('Added', summary));
          // A fetched document's url and the refresh counts are echoed too.
          const fetched = { url: `https://example.org/${text}`, at: '2026-12-03T06:12:00.000Z' };
          const changes = { added: 1, changed: 2, removed: 0, unchanged: 3 };
          expectInert(renderDocumentChanged('Updated', summary, { fetched, changes }));
          expectInert(renderRefreshPreview(summary, fetched, changes, 'document:replace:x'));
          expectInert(renderRefreshPreview(summary, fetched, { ...changes, added: 0, changed: 0 }, 'x'));
          expectInert(renderSourceList(list, 0, (page) => `source:page:${page}`));
          const heading = askedHeading(text, text);
          expect(heading).not.toMatch(INVISIBLE);
          const passage: Passage = {
            documentId: summary.meta.id,
            scope: summary.meta.scope,
            source: summary.meta,
            paragraph: 1,
            part: 1,
            parts: 1,
            section: summary.sections[0] ?? '',
            text: `The crane lifted tin. ${text}`,
            start: 0,
            end: 0,
            score: 1,
            highlights: [],
            bestSentence: [0, 0],
            sentences: [],
          };
          passage.end = passage.text.length;
          passage.sentences = sentencesOf(passage.text);
          expectInert(renderAnswer([passage], { private: false, heading }), {
            quotes: true,
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
