/**
 * The verbatim rule as properties: whatever the document and the question, every quote is the exact
 * slice of the stored text it claims to be, and every range points inside it; with the semantic stage
 * on as well as off.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VerbatimError } from '../../src/core/index.ts';
import {
  partKey,
  quantiseVector,
  SHIPPED_SCOPE,
  SearchEngine,
  type PartVectors,
  type Passage,
  type Range,
} from '../../src/core/index.ts';
import { fakeVector } from '../helpers/fake-encoder.ts';

// A small shared vocabulary so that random questions actually match random documents.
const WORDS = [
  'tencent',
  'WeChat',
  'civil',
  'servants',
  'China',
  'meet',
  'Meeting',
  'café',
  'naïve',
  'U.S.',
  'post-Brexit',
  '2019',
  '75th',
  'the',
  'who',
  'of',
];
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ' ',
      ' ',
      '\t',
      '\u00a0',
      '. ',
      '? ',
      ', ',
      '—',
      '“',
      '”',
      '’s',
      '(',
      ')',
      '😀',
      'é',
      '中国',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\r\n', '\n\n', '\r\n\r\n', '\n \n') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
);
const documentText = fc
  .array(piece, { minLength: 1, maxLength: 200, size: 'medium' })
  .map((pieces) => pieces.join(' '));
const question = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((words) => `${words.join(' ')}?`),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
);

function expectRangeInside([start, end]: Range, length: number): void {
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThanOrEqual(start);
  expect(end).toBeLessThanOrEqual(length);
}

function checkPassage(passage: Passage, text: string): void {
  expect(passage.text).toBe(text.slice(passage.start, passage.end));
  expectRangeInside(passage.bestSentence, passage.text.length);
  let previousEnd = -1;
  for (const range of passage.highlights) {
    expectRangeInside(range, passage.text.length);
    expect(range[1]).toBeGreaterThan(range[0]);
    expect(range[0]).toBeGreaterThan(previousEnd);
    previousEnd = range[1];
  }
  // The sentences a front end cuts at: in order, inside the text, and the best one among them.
  let sentenceEnd = 0;
  for (const range of passage.sentences) {
    expectRangeInside(range, passage.text.length);
    expect(range[0]).toBeGreaterThanOrEqual(sentenceEnd);
    sentenceEnd = range[1];
  }
  if (passage.bestSentence[1] > passage.bestSentence[0])
    expect(passage.sentences).toContainEqual(passage.bestSentence);
}

describe('the verbatim invariant', () => {
  it('holds for every passage of random documents and questions', () => {
    // Tallies that show the generators reach the interesting cases: split paragraphs and highlights.
    let splitParts = 0;
    let highlights = 0;
    let semanticPassages = 0;
    fc.assert(
      fc.property(
        fc.array(documentText, { minLength: 1, maxLength: 3 }),
        fc.array(question, { minLength: 1, maxLength: 4 }),
        (texts, questions) => {
          const engine = new SearchEngine({ maxPartChars: 120, minCoverage: 0 });
          const stored = new Map<string, string>();
          texts.forEach((text, i) => {
            try {
              engine.add({
                meta: {
                  id: `d${i}`,
                  title: `Document ${i}`,
                  publisher: '',
                  date: '',
                  dateEstimated: false,
                  url: '',
                  language: 'en',
                  scope: SHIPPED_SCOPE,
                },
                text,
              });
              stored.set(`d${i}`, text);
            } catch (error) {
              // A random text may have nothing quotable; that is the only refusal allowed.
              expect((error as VerbatimError).code).toBe('EMPTY_DOCUMENT');
            }
          });
          for (const [id, text] of stored) {
            let previousEnd = 0;
            for (const paragraph of engine.paragraphs(SHIPPED_SCOPE, id)) {
              const slice = text.slice(paragraph.start, paragraph.end);
              expect(paragraph.start).toBeGreaterThanOrEqual(previousEnd);
              expect(slice.length).toBeGreaterThan(0);
              expect(slice.length).toBeLessThanOrEqual(120);
              expect(slice.trim()).toBe(slice);
              if (paragraph.parts > 1) splitParts++;
              previousEnd = paragraph.end;
              const whole = engine.passage(SHIPPED_SCOPE, id, paragraph.number);
              expect(whole).toBeDefined();
              checkPassage(whole as Passage, text);
            }
          }
          // The semantic stage's input: one vector per part, from its words (a stand-in encoder).
          const parts = new Map<string, PartVectors>();
          for (const [id, text] of stored) {
            for (const p of engine.paragraphs(SHIPPED_SCOPE, id)) {
              const { values, scale } = quantiseVector(fakeVector(text.slice(p.start, p.end), 16));
              parts.set(partKey(SHIPPED_SCOPE, id, p.number, p.part), {
                values,
                scales: Float32Array.of(scale),
              });
            }
          }
          for (const q of questions) {
            if (q.trim() === '') continue;
            const semantic = { question: fakeVector(q, 16), parts };
            for (const options of [{ limit: 10 }, { limit: 10, semantic }]) {
              const result = engine.ask(q, options);
              expect(result.answered || result.reason !== undefined).toBe(true);
              for (const passage of result.passages) {
                checkPassage(passage, stored.get(passage.documentId) ?? '');
                highlights += passage.highlights.length;
                if (passage.semantic !== undefined) semanticPassages++;
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(splitParts).toBeGreaterThan(0);
    expect(highlights).toBeGreaterThan(0);
    expect(semanticPassages).toBeGreaterThan(0);
  });
});
