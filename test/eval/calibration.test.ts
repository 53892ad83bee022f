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
