import { describe, expect, it } from 'vitest';
import type { AskOptions, AskResult, Paragraph, SourceDocument } from '../../src/core/index.ts';
import type { EvalEngine } from '../../src/eval/engine-port.ts';
import { metaOf } from '../helpers/passages.ts';
import {
  CONTEXT_SEPARATOR,
  contextAt,
  halfOf,
  mapParagraphs,
  parseSquad,
  runEngine,
  sampleQuestions,
  squadRow,
  type SquadArticle,
} from '../../src/eval/squad.ts';

/** A small file in the SQuAD v1.1 shape: two articles, the first with a context that has inner newlines. */
const squadJson = {
  version: '1.1',
  data: [
    {
      title: 'Super_Bowl_50',
      paragraphs: [
        {
          context: 'Super Bowl 50 was an American football game.',
          qas: [{ id: 'q1', question: 'What was Super Bowl 50?', answers: [] }],
        },
        {
          context: 'The game was played on February 7, 2016.\nIt was held in Santa Clara. ',
          qas: [
            { id: 'q2', question: 'When was the game played?', answers: [] },
            { id: 'q3', question: 'Where was it held?', answers: [] },
          ],
        },
      ],
    },
    {
      title: 'Warsaw',
      paragraphs: [
        {
          context: 'Warsaw is the capital of Poland.',
          qas: [{ id: 'q4', question: 'What is the capital of Poland?', answers: [] }],
        },
      ],
    },
  ],
};

describe('parseSquad', () => {
  const set = parseSquad(squadJson);

  it('makes one document per article, contexts joined by a blank line, with each context at its offset', () => {
    const first = set.articles[0] as SquadArticle;
    expect(first.text).toBe(`${first.contexts[0]}${CONTEXT_SEPARATOR}${first.contexts[1]}`);
    first.contexts.forEach((context, i) => {
      const start = first.contextStarts[i] as number;
      expect(first.text.slice(start, start + context.length)).toBe(context);
    });
  });

  it('gives each question its own article and context as gold', () => {
    expect(set.questions.map(({ id, article, context }) => [id, article, context])).toEqual([
      ['q1', 0, 0],
      ['q2', 0, 1],
      ['q3', 0, 1],
      ['q4', 1, 0],
    ]);
  });

  it('names the field that does not fit the format', () => {
    expect(() => parseSquad({ version: '1.1', data: [{ title: 'x' }] })).toThrow(
      'not a SQuAD v1.1 file: data.0.paragraphs',
    );
  });

  it('maps every offset of a context (and the separator after it) to that context', () => {
    const first = set.articles[0] as SquadArticle;
    const secondStart = first.contextStarts[1] as number;
    expect(contextAt(first, 0)).toBe(0);
    expect(contextAt(first, secondStart - 1)).toBe(0);
    expect(contextAt(first, secondStart)).toBe(1);
    expect(contextAt(first, first.text.length - 1)).toBe(1);
  });
});

describe('halves and sampling', () => {
  it('puts even articles in tune and odd ones in test', () => {
    expect([0, 1, 2, 47].map(halfOf)).toEqual(['tune', 'test', 'tune', 'test']);
  });

  it('samples evenly across the file, keeping every question when no limit is given', () => {
    const questions = Array.from({ length: 100 }, (_, i) => ({
      id: `q${i}`,
      question: 'x',
      article: Math.floor(i / 10),
      context: 0,
    }));
    expect(sampleQuestions(questions, undefined)).toHaveLength(100);
    const sample = sampleQuestions(questions, 10);
    expect(sample.map((question) => question.article)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

function paragraph(number: number, start: number, end: number, part = 1, parts = 1): Paragraph {
  return { documentId: 'squad-00', scope: 'corpus', number, part, parts, section: '', start, end };
}

describe('mapParagraphs', () => {
  const article = parseSquad(squadJson).articles[0] as SquadArticle;
  const secondStart = article.contextStarts[1] as number;

  it('maps the parts of a split context to that context and counts the split', () => {
    const split = [
      paragraph(1, 0, 44),
      paragraph(2, secondStart, secondStart + 40, 1, 2),
      paragraph(2, secondStart + 41, secondStart + 68, 2, 2),
    ];
    const { contextOfParagraph, check } = mapParagraphs(article, split);
    expect([...contextOfParagraph]).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(check).toEqual({ contexts: 2, units: 3, contextsSplit: 1, contextsMissing: 0 });
  });

  it('counts a context that produced no paragraph', () => {
    expect(mapParagraphs(article, [paragraph(1, 0, 44)]).check.contextsMissing).toBe(1);
  });

  it('refuses a paragraph that runs across two contexts', () => {
    expect(() => mapParagraphs(article, [paragraph(1, 0, secondStart + 5)])).toThrow(
      'crosses the end of context 0',
    );
  });
});

/**
 * A stand-in engine with one paragraph per context that answers with a fixed ranking, so the run's
 * bookkeeping (gold mapping, declines, halves) can be checked exactly.
 */
function scriptedEngine(
  script: Record<string, { answered: boolean; ranking: [string, number][] }>,
): EvalEngine {
  const documents = new Map<string, SourceDocument>();
  return {
    add(document) {
      documents.set(document.meta.id, document);
      const paragraphs: Paragraph[] = [];
      let number = 0;
      let offset = 0;
      for (const block of document.text.split(CONTEXT_SEPARATOR)) {
        number += 1;
        paragraphs.push({
          ...paragraph(number, offset, offset + block.trimEnd().length),
          documentId: document.meta.id,
        });
        offset += block.length + CONTEXT_SEPARATOR.length;
      }
      return paragraphs;
    },
    ask(question: string, _options?: AskOptions): AskResult {
      const planned = script[question] ?? { answered: false, ranking: [] };
      return {
        question,
        answered: planned.answered,
        passages: planned.ranking.map(([documentId, number]) => {
          const text = documents.get(documentId)?.text ?? '';
          return {
            documentId,
            scope: 'corpus',
            source: metaOf({ id: documentId, title: '' }),
            paragraph: number,
            part: 1,
            parts: 1,
            section: '',
            text,
            start: 0,
            end: text.length,
            score: 1,
            highlights: [],
            bestSentence: [0, 0],
            sentences: [],
          };
        }),
      };
    },
  };
}

describe('runEngine', () => {
  const set = parseSquad(squadJson);
  const engine = scriptedEngine({
    'What was Super Bowl 50?': { answered: true, ranking: [['squad-00', 1]] },
    'When was the game played?': {
      answered: true,
      ranking: [
        ['squad-01', 1],
        ['squad-00', 1],
        ['squad-00', 2],
      ],
    },
    'Where was it held?': { answered: false, ranking: [['squad-00', 2]] },
    'What is the capital of Poland?': { answered: true, ranking: [['squad-00', 1]] },
  });
  const run = runEngine(set, set.questions, () => engine);

  it('ranks the gold context among distinct contexts, and counts a declined question as a miss', () => {
    expect(run.ranks).toEqual([1, 3, null, null]);
    expect(run.answered).toEqual([true, true, false, true]);
    expect(run.latenciesMs).toHaveLength(4);
  });

  it('summarises each half from its own questions', () => {
    const tune = squadRow('ours-tune', run, set.questions, 'tune');
    const test = squadRow('ours-test', run, set.questions, 'test');
    expect([tune.questions, tune.r1, tune.r3, tune.falseAbstention]).toEqual([3, 1 / 3, 2 / 3, 1 / 3]);
    expect([test.questions, test.r1, test.falseAbstention]).toEqual([1, 0, 0]);
  });
});
