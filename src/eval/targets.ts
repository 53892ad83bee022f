/**
 * The answer-quality targets of issue 4, checked against a report's rows so that `npm run eval` says
 * plainly which are met. Each target names the row and figure it reads.
 */
import type { OwnRow } from './own-set.ts';
import type { SquadRow } from './squad.ts';

export interface TargetCheck {
  target: string;
  /** The measured figure, formatted as in the tables; '—' when the row is missing. */
  measured: string;
  met: boolean;
}

interface Target<Row> {
  target: string;
  row: string;
  value: (row: Row) => number | null;
  /** 'min': measured ≥ bound; 'max': measured ≤ bound. */
  kind: 'min' | 'max';
  bound: number;
  format: (value: number) => string;
}

const rate = (value: number) => value.toFixed(3);
const ms = (value: number) => `${value.toFixed(2)} ms`;

const SQUAD_TARGETS: Target<SquadRow>[] = [
  { target: 'SQuAD R@1 ≥ 0.86', row: 'ours-all', value: (r) => r.r1, kind: 'min', bound: 0.86, format: rate },
  { target: 'SQuAD R@5 ≥ 0.96', row: 'ours-all', value: (r) => r.r5, kind: 'min', bound: 0.96, format: rate },
  {
    target: 'SQuAD MRR@10 ≥ 0.90',
    row: 'ours-all',
    value: (r) => r.mrr10,
    kind: 'min',
    bound: 0.9,
    format: rate,
  },
  {
    target: 'SQuAD false abstention ≤ 0.05',
    row: 'ours-all',
    value: (r) => r.falseAbstention,
    kind: 'max',
    bound: 0.05,
    format: rate,
  },
  { target: 'ask p50 ≤ 0.4 ms', row: 'ours-all', value: (r) => r.p50Ms, kind: 'max', bound: 0.4, format: ms },
  { target: 'ask p99 ≤ 2 ms', row: 'ours-all', value: (r) => r.p99Ms, kind: 'max', bound: 2, format: ms },
];

const OWN_TARGETS: Target<OwnRow>[] = [
  {
    target: 'own answerable R@3 ≥ 0.90',
    row: 'answerable (all)',
    value: (r) => r.r3,
    kind: 'min',
    bound: 0.9,
    format: rate,
  },
  {
    target: 'own paraphrase R@3 ≥ 0.70',
    row: 'paraphrase',
    value: (r) => r.r3,
    kind: 'min',
    bound: 0.7,
    format: rate,
  },
  {
    target: 'own answerable false abstention ≤ 0.05',
    row: 'answerable (all)',
    value: (r) => r.falseAbstention,
    kind: 'max',
    bound: 0.05,
    format: rate,
  },
  {
    target: 'own unanswerable abstention ≥ 0.80',
    row: 'unanswerable (all)',
    value: (r) => r.abstention,
    kind: 'min',
    bound: 0.8,
    format: rate,
  },
];

function check<Row extends { name: string }>(targets: Target<Row>[], rows: readonly Row[]): TargetCheck[] {
  return targets.map(({ target, row: name, value, kind, bound, format }) => {
    const row = rows.find((candidate) => candidate.name === name);
    const measured = row === undefined ? null : value(row);
    if (measured === null || Number.isNaN(measured)) return { target, measured: '—', met: false };
    // Compare what is printed: a figure shown as 0.050 meets "≤ 0.05".
    const shown = Number(format(measured).replace(/ ms$/, ''));
    return { target, measured: format(measured), met: kind === 'min' ? shown >= bound : shown <= bound };
  });
}

/** The SQuAD targets, including that the tune and test halves differ by at most 2 points of R@1. */
export function squadTargets(rows: readonly SquadRow[]): TargetCheck[] {
  const checks = check(SQUAD_TARGETS, rows);
  const tune = rows.find((row) => row.name === 'ours-tune');
  const test = rows.find((row) => row.name === 'ours-test');
  if (tune !== undefined && test !== undefined) {
    const gap = Math.abs(tune.r1 - test.r1);
    checks.push({
      target: 'tune/test R@1 within 0.02',
      measured: gap.toFixed(3),
      met: Number(gap.toFixed(3)) <= 0.02,
    });
  }
  return checks;
}

export function ownTargets(rows: readonly OwnRow[]): TargetCheck[] {
  return check(OWN_TARGETS, rows);
}

const rateTarget = <Row>(
  target: string,
  row: string,
  value: (row: Row) => number | null,
  kind: 'min' | 'max',
  bound: number,
): Target<Row> => ({ target, row, value, kind, bound, format: rate });

/** Issue 13's quality targets, with the semantic stage on: SQuAD whole, the own set's test half. */
const SEMANTIC_SQUAD_TARGETS: Target<SquadRow>[] = [
  rateTarget('SQuAD +semantic R@1 ≥ 0.83', 'ours+semantic-all', (r) => r.r1, 'min', 0.83),
  rateTarget('SQuAD +semantic R@5 ≥ 0.96', 'ours+semantic-all', (r) => r.r5, 'min', 0.96),
  rateTarget('SQuAD +semantic MRR@10 ≥ 0.88', 'ours+semantic-all', (r) => r.mrr10, 'min', 0.88),
];
const SEMANTIC_OWN_TARGETS: Target<OwnRow>[] = [
  rateTarget('own test half +semantic paraphrase R@3 ≥ 0.75', 'paraphrase', (r) => r.r3, 'min', 0.75),
  rateTarget('own test half +semantic answerable R@3 ≥ 0.90', 'answerable (all)', (r) => r.r3, 'min', 0.9),
  rateTarget(
    'own test half +semantic false abstention ≤ 0.02',
    'answerable (all)',
    (r) => r.falseAbstention,
    'max',
    0.02,
  ),
  rateTarget(
    'own test half +semantic unanswerable abstention ≥ 0.70',
    'unanswerable (all)',
    (r) => r.abstention,
    'min',
    0.7,
  ),
];

/** Issue 13's targets: SQuAD rows with the semantic stage, and the own set's test-half rows with it. */
export function semanticTargets(
  squadRows: readonly SquadRow[] | undefined,
  ownTestRows: readonly OwnRow[] | undefined,
): TargetCheck[] {
  return [
    ...(squadRows === undefined ? [] : check(SEMANTIC_SQUAD_TARGETS, squadRows)),
    ...(ownTestRows === undefined ? [] : check(SEMANTIC_OWN_TARGETS, ownTestRows)),
  ];
}
