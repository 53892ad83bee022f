/**
 * The glossary changes which passages are found, never what they quote: with random documents,
 * questions and glossaries, every passage is still the exact slice of its document's part, identical to
 * the same part found without the glossary, and every highlight marks words of the quote that the
 * question or the glossary asked for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAnalyzer,
  SHIPPED_SCOPE,
  SearchEngine,
  type GlossaryEntry,
  type Passage,
} from '../../src/core/index.ts';
import { testDocument } from '../helpers/documents.ts';

const WORDS = [
  'Uighur',
  'Uyghur',
  'ByteDance',
  'TikTok',
  'owner',
  'WeChat',
  'U.S.',
  'UN',
  'Xinjiang',
  'café',
  'the',
  'of',
];
const separator = fc.constantFrom(' ', ' ', '. ', ', ', '\n\n', '’s ', ' — ', '\u00a0');
const documentText = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), separator), { minLength: 3, maxLength: 80 })
  .map((pieces) => pieces.map(([word, sep]) => word + sep).join(''));
const phrase = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((words) => words.join(' '));
const entry: fc.Arbitrary<GlossaryEntry> = fc.record({ term: phrase, means: phrase, bothWays: fc.boolean() });

const key = (passage: Passage) => `${passage.documentId}:${passage.paragraph}:${passage.part}`;

describe('the glossary and the verbatim invariant', () => {
  it('never changes what a passage quotes, and highlights only asked-for words of the quote', () => {
    const analyzer = createAnalyzer();
    let expanded = 0;
    fc.assert(
      fc.property(
        fc.array(documentText, { minLength: 1, maxLength: 3 }),
        fc.array(phrase, { minLength: 1, maxLength: 3 }),
        fc.array(entry, { maxLength: 4 }),
        (texts, questions, entries) => {
          const engine = new SearchEngine({ maxPartChars: 120, minCoverage: 0 });
          const stored = new Map<string, string>();
          texts.forEach((text, i) => {
            try {
              engine.add(testDocument(`d${i}`, text));
              stored.set(`d${i}`, text);
            } catch {
              // A text with nothing quotable is refused; the others are enough.
            }
          });
          const glossary = engine.compileGlossary(entries);
          for (const question of questions) {
            const plain = new Map(engine.ask(question, { limit: 20 }).passages.map((p) => [key(p), p]));
            const withGlossary = engine.ask(question, { limit: 20, glossary });
            const asked = new Set(analyzer.terms(question));
            for (const rule of glossary)
              if (rule.when.every((t) => asked.has(t))) for (const t of rule.add) asked.add(t);
            for (const passage of withGlossary.passages) {
              const text = stored.get(passage.documentId) as string;
              expect(passage.text).toBe(text.slice(passage.start, passage.end));
              const part = engine
                .paragraphs(SHIPPED_SCOPE, passage.documentId)
                .find((p) => p.number === passage.paragraph && p.part === passage.part);
              expect([part?.start, part?.end]).toEqual([passage.start, passage.end]);
              const same = plain.get(key(passage));
              if (same !== undefined)
                expect([same.text, same.start, same.end]).toEqual([passage.text, passage.start, passage.end]);
              else expanded++;
              for (const [start, end] of passage.highlights) {
                const words = analyzer.terms(passage.text.slice(start, end));
                expect(words.length).toBeGreaterThan(0);
                for (const word of words) expect(asked).toContain(word);
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
    // The generators reach passages that only the glossary found.
    expect(expanded).toBeGreaterThan(0);
  });
});
