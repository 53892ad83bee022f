/** The pipeline's one extension point: a stage added between re-ranking and the no-answer rule. */
import { describe, expect, it } from 'vitest';
import { SearchEngine, type EngineOptionsInput, type RankingStage } from '../../../src/core/index.ts';
import { testDocument } from '../../helpers/documents.ts';

const texts = {
  harbour: 'The harbour ferry returns in spring. The harbour master said the ferry needs repairs.',
  ferry: 'A ferry crossed the bay. Ferry tickets went up in price this year.',
  orchard: 'The orchard harvest starts in October, and the ferry brings the pickers.',
};

function engineWith(options: EngineOptionsInput = {}): SearchEngine {
  const engine = new SearchEngine(options);
  for (const [id, text] of Object.entries(texts)) engine.add(testDocument(id, text));
  return engine;
}

const ids = (engine: SearchEngine, question: string): string[] =>
  engine.ask(question, { limit: 5 }).passages.map((passage) => passage.documentId);

describe('a ranking stage', () => {
  it('orders the passages and the explanation (here: reversed)', () => {
    const plain = ids(engineWith(), 'the ferry');
    expect(plain.length).toBeGreaterThan(1);
    const reverse: RankingStage = (_question, candidates) => [...candidates].reverse();
    const staged = engineWith({ stages: [reverse] });
    expect(ids(staged, 'the ferry')).toEqual([...plain].reverse());
    const explained = staged.explain('the ferry').candidates.map((c) => c.documentId);
    expect(explained).toEqual([...plain].reverse());
  });

  it('runs before the no-answer rule: dropping every candidate is answered as no match', () => {
    const dropAll: RankingStage = () => [];
    expect(engineWith({ stages: [dropAll] }).ask('the ferry')).toMatchObject({
      answered: false,
      reason: 'no-match',
    });
  });

  it('sees the question as the engine read it', () => {
    const seen: string[][] = [];
    const spy: RankingStage = (question, candidates) => {
      seen.push(question.terms.map((term) => term.term));
      return candidates;
    };
    const engine = engineWith({ stages: [spy] });
    const read = engine.explain('Where does the ferry go?').terms.map((term) => term.term);
    engine.ask('Where does the ferry go?');
    // Once for explain, once for ask: the same run.
    expect(seen).toEqual([read, read]);
    expect(read).toContain('ferri');
  });
});
