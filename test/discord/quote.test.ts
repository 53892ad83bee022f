/**
 * markQuote escapes exactly as escapeText does, character by character, whatever markup it adds: the
 * quote a user reads is the document's text, and nothing in it can format, mention or link.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutMarkup } from '../helpers/markdown.ts';
import type { Range } from '../../src/core/index.ts';
import { ELLIPSIS, escapeText, markQuote } from '../../src/discord/quote.ts';
import { askedHeading } from '../../src/discord/render.ts';

/** Pieces that need escaping in some contexts and not in others, among plain words. */
const fragments = [
  'word ',
  'Sentence. ',
  '\n',
  '\n- item',
  '\n+ item',
  ' - dash ',
  '\n12. first',
  '\n3) second',
  'v1.2 ',
  '(a) ',
  'https://example.org/x ',
  'time: 10:30 ',
  '@everyone ',
  '<@123> ',
  '#channel ',
  '**bold** ',
  '__under__ ',
  '~~strike~~ ',
  '||spoiler|| ',
  '`code` ',
  '[link](https://a.example) ',
  '\\ ',
  '> quote ',
  'Ünïcödé 😀 ',
];

const textArbitrary = fc
  .array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.join(''));

function rangesWithin(length: number): fc.Arbitrary<Range[]> {
  return fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 12 }).map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges: Range[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      ranges.push([sorted[i] as number, sorted[i + 1] as number]);
    return ranges;
  });
}

describe('markQuote', () => {
  it('without highlights is the window of the text escaped as escapeText escapes it', () => {
    fc.assert(
      fc.property(
        textArbitrary.chain((text) =>
          fc.tuple(
            fc.constant(text),
            fc.integer({ min: 0, max: text.length }),
            fc.integer({ min: 0, max: text.length }),
          ),
        ),
        ([text, a, b]) => {
          const window: Range = [Math.min(a, b), Math.max(a, b)];
          expect(markQuote(text, window, { highlights: [] })).toBe(
            escapeText(text.slice(window[0], window[1])),
          );
        },
      ),
    );
  });

  it('with bold and underline adds only markup between the escaped characters', () => {
    fc.assert(
      fc.property(
        textArbitrary.chain((text) =>
          fc.tuple(fc.constant(text), rangesWithin(text.length), rangesWithin(text.length)),
        ),
        ([text, highlights, marks]) => {
          const marked = markQuote(text, [0, text.length], { highlights, mark: marks[0] });
          expect(withoutMarkup(marked)).toBe(escapeText(text));
        },
      ),
    );
  });
});

describe('a question too long for its heading', () => {
  const shown = (heading: string) => heading.slice('Asked “'.length, -'”'.length);

  it('is shortened after escaping in the context of the whole text: a link stays inert', () => {
    const question = `https://evil.example/x - the link? ${'Is this the place where '.repeat(20)}`;
    const heading = shown(askedHeading(question));
    expect(heading.endsWith(ELLIPSIS)).toBe(true);
    expect(heading).toContain('https\\://evil.example');
    expect(heading).not.toContain('\\-');
  });

  it('always shows a prefix of the whole escaped question, never a different escape', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...fragments), { minLength: 30, maxLength: 80 })
          .map((parts) => parts.join('')),
        (question) => {
          const heading = shown(askedHeading(question));
          const whole = escapeText(question);
          if (!heading.endsWith(ELLIPSIS)) {
            expect(heading).toBe(whole);
            return;
          }
          expect(whole.startsWith(heading.slice(0, -ELLIPSIS.length))).toBe(true);
        },
      ),
    );
  });
});
