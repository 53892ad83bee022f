/**
 * The own question set is data the eval's numbers rest on, so it is tested like code: its shape, its
 * balance of kinds, and every gold quote against the shipped corpus as the core segments it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { segment, type SourceDocument } from '../../src/core/index.ts';
import { loadOwnQuestions } from '../../src/eval/load.ts';
import { isAnswerableKind, parseOwnQuestions, type OwnQuestion } from '../../src/eval/own-set.ts';
import { loadShippedCorpus } from '../../src/store/corpus.ts';

const questions = loadOwnQuestions();
const answerable = questions.filter((question) => isAnswerableKind(question.kind));
const ofKind = (kind: OwnQuestion['kind']) => questions.filter((question) => question.kind === kind);

let documents: Map<string, SourceDocument>;
beforeAll(async () => {
  documents = new Map((await loadShippedCorpus()).map((document) => [document.meta.id, document]));
});

describe('the own question set', () => {
  it('is large enough and balanced as issues 2 and 4 ask', () => {
    expect(questions.length).toBeGreaterThanOrEqual(90);
    expect(ofKind('paraphrase').length * 2).toBeGreaterThanOrEqual(answerable.length);
    expect(
      ofKind('unanswerable-on-topic').length + ofKind('unanswerable-off-topic').length,
    ).toBeGreaterThanOrEqual(15);
    expect(ofKind('unanswerable-on-topic').length).toBeGreaterThanOrEqual(5);
    expect(ofKind('unanswerable-off-topic').length).toBeGreaterThanOrEqual(5);
  });

  it('splits every kind evenly into a tune half and a test half (at most one apart)', () => {
    for (const kind of new Set(questions.map((question) => question.kind))) {
      const tune = ofKind(kind).filter((question) => question.half === 'tune').length;
      const test = ofKind(kind).filter((question) => question.half === 'test').length;
      expect(tune + test, kind).toBe(ofKind(kind).length);
      expect(Math.abs(tune - test), kind).toBeLessThanOrEqual(1);
    }
  });

  it('has the paraphrased and unanswerable questions issue 13 asks for', () => {
    expect(ofKind('paraphrase').length).toBeGreaterThanOrEqual(90);
    expect(
      ofKind('unanswerable-on-topic').length + ofKind('unanswerable-off-topic').length,
    ).toBeGreaterThanOrEqual(35);
  });

  it('asks the README question', () => {
    expect(questions.map((question) => question.question)).toContain(
      'Who did the British civil servants meet in China?',
    );
  });

  it('has no question twice', () => {
    const normal = questions.map((question) => question.question.toLowerCase().replace(/\W+/g, ' ').trim());
    expect(new Set(normal).size).toBe(normal.length);
  });

  it('quotes each gold answer verbatim, exactly once, from a body paragraph of its document', () => {
    const problems: string[] = [];
    for (const question of answerable) {
      for (const { documentId, quote } of question.answers) {
        const document = documents.get(documentId);
        if (document === undefined) {
          problems.push(`${question.id}: unknown document ${documentId}`);
          continue;
        }
        const occurrences = document.text.split(quote).length - 1;
        if (occurrences !== 1) {
          problems.push(`${question.id}: "${quote}" occurs ${occurrences} times in ${documentId}`);
          continue;
        }
        const at = document.text.indexOf(quote);
        const block = segment(document.text).blocks.find((b) => b.start <= at && at + quote.length <= b.end);
        if (block?.kind !== 'body')
          problems.push(`${question.id}: "${quote}" is in a ${block?.kind ?? 'gap'}, not a body paragraph`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('rejects a file whose answerable question has no answer, with the entry named', () => {
    const broken = { about: 'x', questions: [{ id: 'a', question: 'Who?', kind: 'lexical', answers: [] }] };
    expect(() => parseOwnQuestions(broken)).toThrow('bad question file at questions.0');
  });

  it('rejects an id used twice', () => {
    const entry = {
      id: 'a',
      question: 'What is the capital of Australia?',
      kind: 'unanswerable-off-topic',
      half: 'tune',
      answers: [],
    };
    expect(() => parseOwnQuestions({ about: 'x', questions: [entry, entry] })).toThrow('id a is used twice');
  });
});

/**
 * Content words a question shares with its best gold paragraph: a rough, engine-independent check that
 * the `paraphrase` label means what it says (a plain stop list; no stemming, so it undercounts nothing
 * the engine could not also miss).
 */
const STOP = new Set(
  'the a an of to in on for and or is are was were be been did do does what which who whom when where why how with about from by at as that this these those it its their they them there has have had can could would should will may might any into over than then just only also not no your you our we me my one'.split(
    ' ',
  ),
);
function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .match(/[a-z0-9]+/g);
  return new Set((words ?? []).filter((word) => word.length > 2 && !STOP.has(word)));
}

describe('question kinds are honest', () => {
  function sharedWords(question: OwnQuestion): number {
    return Math.max(
      ...question.answers.map(({ documentId, quote }) => {
        const text = documents.get(documentId)?.text ?? '';
        const at = text.indexOf(quote);
        const block = segment(text).blocks.find((b) => b.start <= at && at < b.end);
        const paragraph = contentWords(block === undefined ? '' : text.slice(block.start, block.end));
        return [...contentWords(question.question)].filter((word) => paragraph.has(word)).length;
      }),
    );
  }

  it('paraphrases share few content words with their answer, lexical questions share some', () => {
    const paraphrase = ofKind('paraphrase').map(sharedWords);
    const lexical = ofKind('lexical').map(sharedWords);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Math.max(...paraphrase)).toBeLessThanOrEqual(4);
    expect(mean(paraphrase)).toBeLessThanOrEqual(2);
    expect(Math.min(...lexical)).toBeGreaterThanOrEqual(1);
    expect(mean(lexical)).toBeGreaterThanOrEqual(3);
  });
});
