import { describe, expect, it } from 'vitest';
import { testDocument } from '../helpers/documents.ts';
import { SearchEngine } from '../../src/core/index.ts';
import { diagnose, labelOwnQuestions } from '../../src/eval/diagnostics.ts';
import {
  goldParagraph,
  indexDocuments,
  ownRows,
  paragraphKey,
  runOwnSet,
  type OwnQuestion,
  type OwnResult,
} from '../../src/eval/own-set.ts';

const document = testDocument;

const harbour = document(
  'harbour',
  [
    'The Harbour Report',
    'The old lighthouse was built in 1821 by the harbour board to guide fishing boats past the reef.',
    'Ferries to the island leave every morning at seven and return before dusk in summer.',
    'The fish market opens on Saturdays, when the trawlers bring their catch to the quay.',
  ].join('\n\n'),
);

describe('goldParagraph', () => {
  const engine = new SearchEngine();
  const indexed = indexDocuments(engine, [harbour]);

  it('maps a quote to the number the engine gave its paragraph (the title line is not a paragraph)', () => {
    expect(goldParagraph(indexed, { documentId: 'harbour', quote: 'Ferries to the island leave' })).toBe(
      paragraphKey('harbour', 2),
    );
  });

  it.each([
    { quote: 'not in the text at all', message: 'quote not in harbour' },
    { quote: 'The Harbour Report', message: 'quote is not in a body paragraph of harbour' },
    { quote: 'the Harbour Report', message: 'quote not in harbour' }, // verbatim means case too
  ])('refuses "$quote"', ({ quote, message }) => {
    expect(() => goldParagraph(indexed, { documentId: 'harbour', quote })).toThrow(message);
  });

  it('refuses a quote that occurs twice, since its gold paragraph would be ambiguous', () => {
    expect(() => goldParagraph(indexed, { documentId: 'harbour', quote: 'The ' })).toThrow('more than once');
  });

  it('refuses an unknown document', () => {
    expect(() => goldParagraph(indexed, { documentId: 'nope', quote: 'Ferries to the island' })).toThrow(
      'unknown document nope',
    );
  });
});

describe('runOwnSet over the real engine', () => {
  const engine = new SearchEngine();
  const indexed = indexDocuments(engine, [harbour]);
  const questions: OwnQuestion[] = [
    {
      id: 'a',
      question: 'When was the lighthouse built?',
      kind: 'lexical',
      half: 'tune',
      answers: [{ documentId: 'harbour', quote: 'The old lighthouse was built' }],
    },
    {
      id: 'b',
      question: 'What is the capital of Australia?',
      kind: 'unanswerable-off-topic',
      half: 'test',
      answers: [],
    },
  ];
  const results = runOwnSet(engine, indexed, questions);

  it('finds the paragraph of a plainly worded question first', () => {
    expect(results[0]).toMatchObject({ id: 'a', answered: true, rank: 1, gold: ['harbour#1'] });
  });

  it('records what an unrelated question showed, and no gold', () => {
    expect(results[1]).toMatchObject({ id: 'b', gold: [] });
    expect(results[1]?.rank).toBeNull();
  });

  it('diagnose records the engine explanation of each question', () => {
    const [first, second] = diagnose(engine, labelOwnQuestions(questions));
    expect(first).toMatchObject({ id: 'a', kind: 'lexical', answerable: true, answered: true });
    expect(first?.explain?.candidates[0]).toMatchObject({ documentId: 'harbour', paragraph: 1 });
    expect(second).toMatchObject({ id: 'b', answerable: false });
    expect(second?.explain?.terms.map((term) => term.term)).toContain('australia');
  });
});

describe('ownRows', () => {
  const result = (kind: OwnResult['kind'], answered: boolean, rank: number | null): OwnResult => ({
    id: 'x',
    kind,
    half: 'tune',
    question: 'q',
    answered,
    rank,
    shown: [],
    gold: [],
  });

  it('reports recall and false abstention for answerable kinds, abstention for unanswerable ones', () => {
    const rows = ownRows([
      result('lexical', true, 1),
      result('lexical', true, 3),
      result('paraphrase', false, null),
      result('paraphrase', true, 2),
      result('unanswerable-on-topic', true, null),
      result('unanswerable-off-topic', false, null),
    ]);
    expect(
      rows.map(({ name, questions, r1, r3, falseAbstention, abstention }) => [
        name,
        questions,
        r1,
        r3,
        falseAbstention,
        abstention,
      ]),
    ).toEqual([
      ['lexical', 2, 0.5, 1, 0, null],
      ['paraphrase', 2, 0, 0.5, 0.5, null],
      ['answerable (all)', 4, 0.25, 0.75, 0.25, null],
      ['unanswerable-on-topic', 1, null, null, null, 0],
      ['unanswerable-off-topic', 1, null, null, null, 1],
      ['unanswerable (all)', 2, null, null, null, 0.5],
    ]);
  });
});
