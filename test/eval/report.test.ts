import { describe, expect, it } from 'vitest';
import { VerbatimError } from '../../src/core/index.ts';
import { parseEvalArgs } from '../../src/eval/args.ts';
import { loadOwnQuestions, loadSquad } from '../../src/eval/load.ts';
import { runEval } from '../../src/eval/main.ts';
import { formatMs, formatRate, formatTable, renderReport, type EvalReport } from '../../src/eval/report.ts';

describe('formatTable', () => {
  it('aligns columns, names left and numbers right, as a pipe table README can quote', () => {
    expect(
      formatTable(
        ['engine', 'R@1'],
        [
          ['ours', '0.861'],
          ['minisearch-defaults', '0.718'],
        ],
      ),
    ).toBe(
      [
        '| engine              |   R@1 |',
        '|:--------------------|------:|',
        '| ours                | 0.861 |',
        '| minisearch-defaults | 0.718 |',
      ].join('\n'),
    );
  });
});

describe('number formats', () => {
  it.each([
    { value: 0.71834, text: '0.718' },
    { value: 1, text: '1.000' },
    { value: null, text: '—' },
  ])('rate $value → $text', ({ value, text }) => {
    expect(formatRate(value)).toBe(text);
  });

  it('prints latencies to a hundredth of a millisecond', () => {
    expect(formatMs(0.3849)).toBe('0.38');
  });
});

describe('renderReport', () => {
  const report: EvalReport = {
    command: 'npm run eval',
    node: 'v20.0.0',
    date: '2025-01-31',
    own: {
      documents: 5,
      rows: [{ name: 'lexical', questions: 2, r1: 0.5, r3: 1, falseAbstention: 0, abstention: null }],
      halves: {
        tune: [{ name: 'lexical', questions: 1, r1: 0.5, r3: 1, falseAbstention: 0, abstention: null }],
        test: [{ name: 'lexical', questions: 1, r1: 0.25, r3: 1, falseAbstention: 0, abstention: null }],
      },
      results: [],
    },
    elapsedMs: 1234,
  };

  it('names the command, node version and date in its header, and prints only the tables it ran', () => {
    const text = renderReport(report);
    expect(text.split('\n')[0]).toBe('verbatim evaluation — `npm run eval` — node v20.0.0 — 2025-01-31');
    expect(text).toContain('| lexical           | 1 | 0.500 | 1.000 |       0.000 |          — |');
    expect(text).toContain('| lexical           | 1 | 0.250 | 1.000 |       0.000 |          — |');
    expect(text).not.toContain('SQuAD');
    expect(text.trimEnd().endsWith('Eval took 1.2 s.')).toBe(true);
  });
});

describe('parseEvalArgs', () => {
  it('defaults to both tables, plain text, every question, and the shared SQuAD file', () => {
    const args = parseEvalArgs([]);
    expect(args).toMatchObject({ json: false, only: undefined, limitQuestions: undefined });
    expect(args.squadPath.endsWith('shared/data/dev-v1.1.json')).toBe(true);
  });

  it('reads every option', () => {
    expect(
      parseEvalArgs([
        '--json',
        '--squad',
        'x.json',
        '--only',
        'squad',
        '--limit-questions',
        '50',
        '--options',
        '{"minCoverage":0}',
        '--no-baseline',
      ]),
    ).toEqual({
      json: true,
      squadPath: 'x.json',
      only: 'squad',
      limitQuestions: 50,
      engineOptions: { minCoverage: 0 },
      baseline: false,
      half: 'both',
      semantic: true,
    });
  });

  it.each([
    { argv: ['--only', 'both'], message: '--only takes "squad" or "own", not "both".' },
    {
      argv: ['--limit-questions', '0'],
      message: '--limit-questions takes a whole number of at least 1, not "0".',
    },
    {
      argv: ['--limit-questions', 'many'],
      message: '--limit-questions takes a whole number of at least 1, not "many".',
    },
    {
      argv: ['--fast'],
      message:
        "Unknown option '--fast'. Usage: npm run eval -- [--json] [--squad PATH] [--only squad|own] [--limit-questions N] [--options '{JSON engine options}'] [--no-baseline] [--no-semantic] [--half tune]",
    },
    {
      argv: ['--options', '[1]'],
      message: '--options takes a JSON object of engine options, not "[1]".',
    },
  ])('answers $argv with one sentence', ({ argv, message }) => {
    let caught: unknown;
    try {
      parseEvalArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VerbatimError);
    expect((caught as VerbatimError).code).toBe('BAD_OPTION');
    expect((caught as VerbatimError).message).toBe(message);
  });
});

describe('loadSquad', () => {
  it('names a missing file and says what to do, in one sentence', () => {
    expect(() => loadSquad('missing/dev-v1.1.json')).toThrow(
      new VerbatimError(
        'BAD_OPTION',
        'SQuAD file not found at missing/dev-v1.1.json: pass --squad PATH, or --only own to skip SQuAD.',
      ),
    );
  });

  it('refuses a JSON file that is not SQuAD', () => {
    expect(() => loadSquad('package.json')).toThrow('package.json is not SQuAD v1.1 JSON');
  });
});

describe('runEval --only own', () => {
  it('reports every question of the own set, by kind, under the given command', async () => {
    const report = await runEval(parseEvalArgs(['--only', 'own', '--no-semantic']), {
      command: 'npm run eval -- --only own',
    });
    expect(report.squad).toBeUndefined();
    expect(report.own?.documents).toBe(5);
    expect(report.own?.results).toHaveLength(loadOwnQuestions().length);
    expect(report.own?.rows.map((row) => row.name)).toEqual([
      'lexical',
      'paraphrase',
      'answerable (all)',
      'unanswerable-on-topic',
      'unanswerable-off-topic',
      'unanswerable (all)',
    ]);
    expect(renderReport(report)).toContain('Own question set: ');
    expect(report.own?.halves.test?.[0]?.questions).toBeGreaterThan(0);
  });

  it('with --half tune shows and keeps only the tune half, so choosing on it cannot see the test half', async () => {
    const report = await runEval(parseEvalArgs(['--only', 'own', '--half', 'tune', '--no-semantic']), {
      command: 'x',
    });
    const tune = loadOwnQuestions().filter((question) => question.half === 'tune');
    expect(report.own?.results.map((result) => result.id)).toEqual(tune.map((question) => question.id));
    expect(report.own?.halves.test).toBeUndefined();
    expect(renderReport(report)).toContain('Test half: not shown (--half tune).');
  });
});
