import { describe, expect, it } from 'vitest';
import { declines, frontier, type QuestionSignals } from '../../src/eval/calibration.ts';

const own = (answerable: boolean, coverage: number, unknownShare: number): QuestionSignals => ({
  set: 'own',
  answerable,
  coverage,
  unknownShare,
});

describe('the no-answer calibration', () => {
  it('declines below the coverage floor or above the unknown-share ceiling, as the engine does', () => {
    expect(declines(own(true, 0.17, 0), 0.18, 0.7)).toBe(true);
    expect(declines(own(true, 0.18, 0.7), 0.18, 0.7)).toBe(false);
    expect(declines(own(true, 0.9, 0.71), 0.18, 0.7)).toBe(true);
  });

  it('finds, for each abstention level, the pair that declines the fewest answerable questions', () => {
    const signals: QuestionSignals[] = [
      own(false, 0.1, 0), // weak match: a coverage floor catches it
      own(false, 0.6, 0.9), // mostly unknown words: only the unknown-share ceiling catches it
      own(true, 0.15, 0), // a paraphrase: low coverage, no unknown words
      own(true, 0.8, 0.5),
      { set: 'squad-tune', answerable: true, coverage: 0.11, unknownShare: 0 },
    ];
    const rows = frontier(signals);
    const full = rows.find((row) => row.abstention === 1);
    expect(full).toMatchObject({ minCoverage: 0.12, maxUnknownShare: 0.5, ownFalseAbstention: 0 });
    expect(full?.squadFalseAbstention).toBe(1);
    expect(rows.map((row) => row.abstention)).toEqual([0, 0.5, 1]);
    expect(rows[0]).toMatchObject({ ownFalseAbstention: 0 });
  });
});

describe('a third signal under trial', () => {
  it('declines a question whose third signal is below its threshold, and never one without it', () => {
    expect(declines({ ...own(true, 0.9, 0), extra: 0.2 }, 0.18, 0.7, 0.24)).toBe(true);
    expect(declines({ ...own(true, 0.9, 0), extra: 0.3 }, 0.18, 0.7, 0.24)).toBe(false);
    expect(declines(own(true, 0.9, 0), 0.18, 0.7, 0.24)).toBe(false);
  });

  it('reaches an abstention the two signals cannot, without declining the answerable question', () => {
    // Same coverage and unknown share: only the third signal tells them apart.
    const signals: QuestionSignals[] = [
      { ...own(false, 0.5, 0.2), extra: 0.1 },
      { ...own(true, 0.5, 0.2), extra: 0.6 },
    ];
    const bestOf = (rows: ReturnType<typeof frontier>) =>
      rows.filter((row) => row.ownFalseAbstention === 0).at(-1)?.abstention;
    expect(bestOf(frontier(signals))).toBe(0);
    const withExtra = frontier(signals, [0, 0.3]);
    expect(bestOf(withExtra)).toBe(1);
    expect(withExtra.find((row) => row.abstention === 1)).toMatchObject({ minExtra: 0.3 });
  });
});
