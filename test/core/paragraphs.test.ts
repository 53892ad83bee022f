import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { shippedCopyOf } from '../helpers/captures.ts';
import { describe, expect, it } from 'vitest';
import { segment, type Block } from '../../src/core/index.ts';

/** A capture, read from its byte-for-byte copy in corpus/ (the corpus test checks the copy). */
const seed = (name: string): string => readFileSync(shippedCopyOf(name), 'utf8');

/** The text of each block of `text`, with its kind. */
function blocksOf(text: string): Array<[Block['kind'], string]> {
  return segment(text).blocks.map((block) => [block.kind, text.slice(block.start, block.end)]);
}

describe('segment: block kinds', () => {
  // Each line alone, as a document of one block. Kinds of chrome seen in the captured pages, plus
  // variants of them that the patterns are meant to generalise to.
  it.each([
    ['Skip to main content', 'boilerplate'],
    ['Skip to content', 'boilerplate'],
    ['Donate Now', 'boilerplate'],
    ['show image', 'boilerplate'],
    ['Enlarge photo', 'boilerplate'],
    ['Lintao Zhang/Getty Images', 'boilerplate'],
    ['Jane Doe / AFP via Getty Images', 'boilerplate'],
    ['Photo: Jane Doe', 'boilerplate'],
    [
      'A logo of a smartphone app TikTok is seen on a user post on a smartphone screen on Monday, September 28, 2020, in Tokyo.\u00a0 © 2020 AP Photo/Kiichiro Sato',
      'boilerplate',
    ],
    [
      'A booth displays face recognition software at an exhibition in Beijing, China, September 27, 2017. © 2017 Reuters',
      'boilerplate',
    ],
    ['Region / Country', 'boilerplate'],
    ['Home › News › Asia', 'boilerplate'],
    ['Most Viewed', 'boilerplate'],
    ['Most Popular', 'boilerplate'],
    ['Related stories', 'boilerplate'],
    ['Source link', 'boilerplate'],
    ['Click to comment', 'boilerplate'],
    ['Leave a Reply', 'boilerplate'],
    ['Your email address will not be published. Required fields are marked *', 'boilerplate'],
    ['Sign up here', 'boilerplate'],
    ['Subscribe now', 'boilerplate'],
    [
      'How is coronavirus taking its toll on our lives? Stay briefed with our coronavirus newsletter.',
      'boilerplate',
    ],
    ['Sign up for our weekly newsletter', 'boilerplate'],
    [
      'Your tax deductible gift can help stop human rights violations and save lives around the world.',
      'boilerplate',
    ],
    ['To Top', 'boilerplate'],
    ['Back to top', 'boilerplate'],
    ['• Press Release', 'boilerplate'],
    ['Published in: ChinaFile', 'boilerplate'],
    ['Posted on 3 May 2020', 'boilerplate'],
    ['World Politics', 'boilerplate'],
    ['Business', 'boilerplate'],
    ['September 22, 2015', 'boilerplate'],
    ['Tuesday, 8 May 2019, 10:30 BST', 'boilerplate'],
    ['2015-09-22', 'boilerplate'],
    ['* * *', 'boilerplate'],
    ['AI ethics', 'heading'],
    ['Antitrust regulation', 'heading'],
    ['Analysis: what these meetings say about post-Brexit UK-China relations', 'heading'],
    ['Revealed: UK government ignored Uighur repression in talks with China’s tech giants', 'heading'],
    ['Technical Difficulties - A ChinaFile Conversation', 'heading'],
    ['iPhone sales', 'heading'],
    ['The minutes state that the meetings took place in May.', 'body'],
    ['Who did they meet?', 'body'],
    ['“We are also clear and direct where China’s actions are incompatible with our values.”', 'body'],
    ['the meetings took place over three days', 'body'],
    ['Published in 2019, the report found that the firms had sold equipment to the police.', 'body'],
    ['A caption-like line that merely mentions Getty Images in passing is still a sentence.', 'body'],
    [
      'This is a heading-like line without a full stop but it has far too many words to be a title of anything',
      'body',
    ],
  ] as const)('%j is %s', (line, kind) => {
    expect(blocksOf(line)).toEqual([[kind, line]]);
  });

  it('makes a heading directly above a newsletter prompt part of that promo', () => {
    const text =
      'Coronavirus business update\n\nHow is it going? Stay briefed with our newsletter.\n\nSign up here\n\nThe UN says so.';
    expect(blocksOf(text)).toEqual([
      ['boilerplate', 'Coronavirus business update'],
      ['boilerplate', 'How is it going? Stay briefed with our newsletter.'],
      ['boilerplate', 'Sign up here'],
      ['body', 'The UN says so.'],
    ]);
  });

  it('keeps a heading above a caption: only promos swallow their heading', () => {
    expect(blocksOf('Technical Difficulties\n\nPublished in: ChinaFile\n\nThe companies censor.')).toEqual([
      ['heading', 'Technical Difficulties'],
      ['boilerplate', 'Published in: ChinaFile'],
      ['body', 'The companies censor.'],
    ]);
  });

  it('peels chrome lines glued to each other or to a paragraph without a blank line', () => {
    const text =
      'Skip to main content\nDonate Now\nA booth, Beijing. © 2017 Reuters\n\nThe firms sold it.\nMost Viewed';
    expect(blocksOf(text)).toEqual([
      ['boilerplate', 'Skip to main content'],
      ['boilerplate', 'Donate Now'],
      ['boilerplate', 'A booth, Beijing. © 2017 Reuters'],
      ['body', 'The firms sold it.'],
      ['boilerplate', 'Most Viewed'],
    ]);
  });

  it('keeps a multi-line paragraph whole', () => {
    expect(blocksOf('First line of a verse\nsecond line of it\nthird.')).toEqual([
      ['body', 'First line of a verse\nsecond line of it\nthird.'],
    ]);
  });
});

describe('segment: offsets', () => {
  it('splits on blank lines, including whitespace-only lines and CRLF, and trims each block', () => {
    const text = '\r\n  Title line\r\n\r\n  First paragraph.  \r\n \t \r\nSecond\r\nparagraph.\r\n\r\n\r\n';
    expect(blocksOf(text)).toEqual([
      ['heading', 'Title line'],
      ['body', 'First paragraph.'],
      ['body', 'Second\r\nparagraph.'],
    ]);
  });

  it('returns no blocks for empty or blank text', () => {
    expect(segment('').blocks).toEqual([]);
    expect(segment(' \n\r\n\t\n').blocks).toEqual([]);
  });

  // What the shipped pages split into: headings and boilerplate as read by a person.
  it.each([
    [
      '000_a6917b567e8ed414.txt',
      26,
      [
        'Revealed: UK government ignored Uighur repression in talks with China’s tech giants',
        'AI ethics',
        'Antitrust regulation',
        'Analysis: what these meetings say about post-Brexit UK-China relations',
      ],
    ],
    [
      '001_ea7c59fa047cdc9f.txt',
      8,
      [
        "Chinese Tech Firms Fueling Beijing's Repression",
        'Technical Difficulties - A ChinaFile Conversation',
      ],
    ],
    [
      '002_dcdb1b1ca83ac9af.txt',
      14,
      ['U.S. tech companies must not be complicit in China’s internet repression'],
    ],
    ['003_49a7675e5517bb39.txt', 11, []],
    [
      '004_c9a3fcf15c302f4f.txt',
      16,
      ['UN’s partnership with Tencent at odds with its push for global unity'],
    ],
  ])('%s has %i body paragraphs and the headings a reader sees', (file, bodies, headings) => {
    const blocks = blocksOf(seed(file));
    expect(blocks.filter(([kind]) => kind === 'body')).toHaveLength(bodies);
    expect(blocks.filter(([kind]) => kind === 'heading').map(([, text]) => text)).toEqual(headings);
    // No body paragraph is one of the chrome lines of these pages.
    const chrome =
      /Skip to main content|Donate Now|show image|Getty Images|©|Region \/ Country|Most Viewed|Source link|Leave a Reply|newsletter|tax deductible|Sign up here|To Top/;
    for (const [kind, text] of blocks) if (kind === 'body') expect(text).not.toMatch(chrome);
  });
});

describe('segment: properties', () => {
  const piece = fc.oneof(
    fc.constantFrom(
      'word',
      'Title',
      'é',
      '😀',
      '.',
      '?',
      ' ',
      '\t',
      '\u00a0',
      '\n',
      '\r\n',
      '\n\n',
      '\r\n \r\n',
      'Skip to main content',
      '© 2020 AP',
    ),
    fc.string({ maxLength: 6 }),
  );
  const documentText = fc.array(piece, { maxLength: 60, size: 'medium' }).map((pieces) => pieces.join(''));

  it('gives ordered, non-overlapping blocks that are exact trimmed slices containing no blank line', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        let previousEnd = 0;
        for (const { start, end } of segment(text).blocks) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          const slice = text.slice(start, end);
          expect(slice.trim()).toBe(slice);
          expect(slice).not.toMatch(/\n[^\S\r\n]*\r?\n/);
          previousEnd = end;
        }
        // Every non-white-space character belongs to some block.
        const covered = segment(text).blocks.reduce(
          (sum, { start, end }) => sum + text.slice(start, end).replace(/\s/g, '').length,
          0,
        );
        expect(covered).toBe(text.replace(/\s/g, '').length);
      }),
      { numRuns: 200 },
    );
  });
});
