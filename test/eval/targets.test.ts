import { describe, expect, it } from 'vitest';
import type { OwnRow } from '../../src/eval/own-set.ts';
import type { SquadRow } from '../../src/eval/squad.ts';
import { ownTargets, semanticTargets, squadTargets } from '../../src/eval/targets.ts';

function squadRow(name: string, r1: number, p99Ms = 1.5): SquadRow {
  return {
    name,
    questions: 100,
    r1,
    r3: 0.95,
    r5: 0.97,
    mrr10: 0.91,
    falseAbstention: 0.01,
    p50Ms: 0.3,
    p99Ms,
    buildMs: 900,
  };
}

function ownRow(name: string, fields: Partial<OwnRow>): OwnRow {
  return { name, questions: 10, r1: null, r3: null, falseAbstention: null, abstention: null, ...fields };
}

describe('targets', () => {
  it('says which SQuAD targets are met, reading ours-all and the gap between the halves', () => {
    const checks = squadTargets([
      squadRow('ours-tune', 0.85),
      squadRow('ours-test', 0.88),
      squadRow('ours-all', 0.865, 2.4),
    ]);
    const met = Object.fromEntries(checks.map((check) => [check.target, [check.measured, check.met]]));
    expect(met).toEqual({
      'SQuAD R@1 ≥ 0.86': ['0.865', true],
      'SQuAD R@5 ≥ 0.96': ['0.970', true],
      'SQuAD MRR@10 ≥ 0.90': ['0.910', true],
      'SQuAD false abstention ≤ 0.05': ['0.010', true],
      'ask p50 ≤ 0.4 ms': ['0.30 ms', true],
      'ask p99 ≤ 2 ms': ['2.40 ms', false],
      'tune/test R@1 within 0.02': ['0.030', false],
    });
  });

  it('judges the figure as printed, and a missing row as not met', () => {
    const checks = ownTargets([
      ownRow('answerable (all)', { r3: 0.8999, falseAbstention: 0.0504 }),
      ownRow('unanswerable (all)', { abstention: 0.79 }),
    ]);
    expect(checks.map((check) => [check.target, check.measured, check.met])).toEqual([
      ['own answerable R@3 ≥ 0.90', '0.900', true],
      ['own paraphrase R@3 ≥ 0.70', '—', false],
      ['own answerable false abstention ≤ 0.05', '0.050', true],
      ['own unanswerable abstention ≥ 0.80', '0.790', false],
    ]);
  });

  it('reads issue 13 targets from the semantic rows (SQuAD whole, own test half)', () => {
    const checks = semanticTargets(
      [squadRow('ours-all', 0.9), squadRow('ours+semantic-all', 0.8304)],
      [
        ownRow('paraphrase', { r3: 0.75 }),
        ownRow('answerable (all)', { r3: 0.89, falseAbstention: 0.021 }),
        ownRow('unanswerable (all)', { abstention: 0.7 }),
      ],
    );
    expect(checks.map((check) => [check.target, check.measured, check.met])).toEqual([
      ['SQuAD +semantic R@1 ≥ 0.83', '0.830', true],
      ['SQuAD +semantic R@5 ≥ 0.96', '0.970', true],
      ['SQuAD +semantic MRR@10 ≥ 0.88', '0.910', true],
      ['own test half +semantic paraphrase R@3 ≥ 0.75', '0.750', true],
      ['own test half +semantic answerable R@3 ≥ 0.90', '0.890', false],
      ['own test half +semantic false abstention ≤ 0.02', '0.021', false],
      ['own test half +semantic unanswerable abstention ≥ 0.70', '0.700', true],
    ]);
  });
});
