import { describe, expect, it } from 'vitest';
import { testDocument } from '../../helpers/documents.ts';
import { SearchEngine } from '../../../src/core/index.ts';
import { createAnalyzer } from '../../../src/core/analyzer.ts';

const documentOf = testDocument;

function engineWith(texts: Record<string, string>, options = {}): SearchEngine {
  const engine = new SearchEngine(options);
  for (const [id, text] of Object.entries(texts)) engine.add(documentOf(id, text));
  return engine;
}

describe('question analysis', () => {
  it('keeps the words that say which one is asked for ("first", "last", number words)', () => {
    const terms = createAnalyzer().terms(
      'Who was the first emperor, and what was the last of the three dynasties?',
    );
    expect(terms).toEqual(['first', 'emperor', 'last', 'three', 'dynasti']);
  });
});

describe('lemmas (off by default)', () => {
  it('brings irregular forms to their base word when asked to', () => {
    expect(createAnalyzer().terms('Whom did they meet, and what was sold?')).toEqual(['meet', 'sold']);
    expect(createAnalyzer({ lemmatize: true }).terms('Whom had they met, and what was sold?')).toEqual([
      'meet',
      'sell',
    ]);
  });
});

describe('second stage', () => {
  // Both paragraphs have the same words, so the first stage scores them alike: only how close the
  // question's words stand tells them apart.
  const engine = engineWith({
    apart: 'The red car passed the old stone house and the blue barn.\n\nNothing else happened that day.',
    together: 'The red house passed the old stone car and the blue barn.\n\nNothing else happened that day.',
  });

  it('ranks the paragraph where the question’s words stand together first', () => {
    const [best, second] = engine.ask('Where is the red house?').passages;
    expect(best?.documentId).toBe('together');
    expect(second?.documentId).toBe('apart');
    const explained = engine.explain('Where is the red house?').candidates;
    expect(explained[0]?.pairShare).toBe(1);
    expect(explained[1]?.pairShare).toBe(0);
  });
});

describe('the no-answer rule', () => {
  const engine = engineWith({
    harbour: 'The harbour master inspects every fishing boat at dawn.\n\nThe fish market opens at six.',
  });

  it('answers a question whose informative words the sources contain', () => {
    expect(engine.ask('Who inspects the fishing boats?').answered).toBe(true);
  });

  it('declines when most of the question is words the sources never use, however well the rest matches', () => {
    const explanation = engine.explain('Which harbour has the tallest lighthouse and oldest shipyard?');
    expect(explanation.unknownShare).toBeGreaterThan(engine.options.maxUnknownShare);
    expect(engine.ask('Which harbour has the tallest lighthouse and oldest shipyard?')).toMatchObject({
      answered: false,
      reason: 'weak-match',
    });
  });

  it('lets a caller turn either part off', () => {
    const lenient = engineWith(
      { harbour: 'The harbour master inspects every fishing boat at dawn.' },
      { maxUnknownShare: 1, minCoverage: 0 },
    );
    expect(lenient.ask('Which harbour has the tallest lighthouse and oldest shipyard?').answered).toBe(true);
  });
});

describe('ranking options', () => {
  it('refuses weights and thresholds that cannot work, naming each', () => {
    let message = '';
    try {
      new SearchEngine({ glossaryWeight: 2, pairWeight: -1, maxUnknownShare: 1.2 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'SearchEngine: option "maxUnknownShare" must be from 0 to 1; "glossaryWeight" must be from 0 to 1; "pairWeight" must be at least 0.',
    );
  });

  it('refuses an option it does not know, such as the WordNet synonyms removed after the glossary', () => {
    // As `npm run eval -- --options` passes it: JSON, so the type cannot catch it.
    const options = JSON.parse('{"synonymWeight":0.5}') as ConstructorParameters<typeof SearchEngine>[0];
    expect(() => new SearchEngine(options)).toThrow('SearchEngine: option "synonymWeight" does not exist.');
  });
});
