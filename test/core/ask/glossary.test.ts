/**
 * The glossary as query expansion: a question in the members' words finds the passage in the sources'
 * words; one-way entries work one way; the added words count less than the question's own; the entries
 * themselves are checked. The verbatim property with glossaries is in test/core/verbatim.property.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  SearchEngine,
  isVerbatimError,
  type EngineOptionsInput,
  type GlossaryEntry,
} from '../../../src/core/index.ts';
import { testDocument } from '../../helpers/documents.ts';

const texts = {
  uighur: 'Officials ignored the repression of the Uighur population during the trip. It lasted three days.',
  bytedance: 'ByteDance censors videos that criticise the government on its platforms.',
  ferry: 'Rain fell on the harbour all week, and the ferry stayed in port.',
  owner: 'The owner of the harbour café opened a second shop in the spring.',
};

function engineWith(options: EngineOptionsInput = {}): SearchEngine {
  const engine = new SearchEngine(options);
  for (const [id, text] of Object.entries(texts)) engine.add(testDocument(id, text));
  return engine;
}

const uyghur: GlossaryEntry = { term: 'Uighur', means: 'Uyghur', bothWays: true };
const tiktok: GlossaryEntry = { term: 'TikTok owner', means: 'ByteDance', bothWays: false };

function ask(engine: SearchEngine, question: string, entries: readonly GlossaryEntry[]) {
  return engine.ask(question, { glossary: engine.compileGlossary(entries) });
}

describe('glossary expansion', () => {
  it('answers a question spelled the other way (Uyghur) with the passage that says Uighur, highlighting Uighur', () => {
    const engine = engineWith();
    const question = 'What happened to the Uyghur population?';
    expect(ask(engine, question, [])).toMatchObject({ answered: false, reason: 'weak-match' });
    const result = ask(engine, question, [uyghur]);
    expect(result.answered).toBe(true);
    const best = result.passages[0];
    expect(best?.documentId).toBe('uighur');
    const marked = (best?.highlights ?? []).map(([start, end]) => best?.text.slice(start, end));
    // Adjacent matched words are marked as one range.
    expect(marked.join(' ')).toContain('Uighur');
    expect(best?.text).not.toContain('Uyghur');
  });

  it('applies a both-ways entry from either side', () => {
    const engine = engineWith();
    const terms = (question: string) =>
      engine.explain(question, { glossary: engine.compileGlossary([uyghur]) }).terms;
    expect(terms('Uyghur population').find((t) => t.term === 'uyghur')?.glossary).toEqual(['uighur']);
    // "Uighur" is in the index and "Uyghur" is not: nothing to add the other way round, and no harm.
    expect(terms('Uighur population').find((t) => t.term === 'uighur')?.glossary).toBeUndefined();
  });

  it('applies a one-way entry one way only: "TikTok owner" finds ByteDance, not the reverse', () => {
    const engine = engineWith();
    const result = ask(engine, 'What does the TikTok owner censor?', [tiktok]);
    expect(result.passages[0]?.documentId).toBe('bytedance');
    expect(ask(engine, 'What does the TikTok owner censor?', []).passages[0]?.documentId).not.toBe(
      'bytedance',
    );
    const oneWay = engine.explain('ByteDance censors', { glossary: engine.compileGlossary([tiktok]) });
    expect(oneWay.terms.every((t) => t.glossary === undefined)).toBe(true);
  });

  it('needs every word of a multi-word term: "owner" alone adds nothing', () => {
    const engine = engineWith();
    const explained = engine.explain('Who is the owner of the café?', {
      glossary: engine.compileGlossary([tiktok]),
    });
    expect(explained.terms.every((t) => t.glossary === undefined)).toBe(true);
    expect(ask(engine, 'Who is the owner of the café?', [tiktok]).passages[0]?.documentId).toBe('owner');
  });

  it('gives an added word less credit than the question’s own word', () => {
    // Both parts match one question word each: "ferry" itself, or "harbour" only through the glossary.
    const engine = engineWith();
    const entries: GlossaryEntry[] = [{ term: 'ferry', means: 'café', bothWays: false }];
    const result = engine.explain('ferry', { glossary: engine.compileGlossary(entries) });
    const ferry = result.candidates.find((c) => c.documentId === 'ferry');
    const cafe = result.candidates.find((c) => c.documentId === 'owner');
    expect(cafe).toBeDefined();
    expect((ferry?.score ?? 0) > (cafe?.score ?? 0)).toBe(true);
    expect(result.candidates[0]?.documentId).toBe('ferry');
  });

  it('is off with glossaryWeight 0', () => {
    const engine = engineWith({ glossaryWeight: 0 });
    expect(ask(engine, 'What happened to the Uyghur population?', [uyghur]).answered).toBe(false);
  });
});

describe('glossary entries', () => {
  const engine = new SearchEngine();
  const check = (term: string, means: string) => {
    try {
      return engine.checkGlossaryEntry({ term, means, bothWays: false });
    } catch (error) {
      if (isVerbatimError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
  };

  it.each([
    ['  TikTok \n owner ', 'ByteDance', { term: 'TikTok owner', means: 'ByteDance', bothWays: false }],
    [
      'x'.repeat(61),
      'ByteDance',
      'GLOSSARY_TERM_TOO_LONG: That glossary term is 61 characters long; terms are limited to 60 characters. Give the name or the short phrase itself.',
    ],
    [
      'the of',
      'ByteDance',
      'GLOSSARY_TERM_EMPTY: "the of" has no word the search can use (it is empty, punctuation or only very common words); give a name or a word.',
    ],
    [
      'ByteDance',
      '  ',
      'GLOSSARY_TERM_EMPTY: "" has no word the search can use (it is empty, punctuation or only very common words); give a name or a word.',
    ],
    [
      'Owners',
      'owner',
      'GLOSSARY_SAME_TERMS: "Owners" and "owner" are the same words to the search, so the entry would change nothing; give two different terms.',
    ],
  ])('%j → %j', (term, means, expected) => {
    expect(check(term, means)).toEqual(expected);
  });
});
