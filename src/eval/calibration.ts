/**
 * The no-answer rule's calibration, as pure functions: given each question's two signals (the best
 * candidate's coverage and the question's unknown-word share, seen with the rule off) and its label, the
 * best (minCoverage, maxUnknownShare) pair for each level of abstention. A third signal can be tried beside
 * them (`extra`, higher meaning more likely answered, such as the best cosine between the question and a
 * sentence, which the removed tools/measure-sentence-encoder.ts passed).
 */
import { formatTable } from './report.ts';

export interface QuestionSignals {
  /** Where it comes from: the own set, or the SQuAD tune half (the test half is never read). */
  set: 'own' | 'squad-tune';
  answerable: boolean;
  coverage: number;
  unknownShare: number;
  /** A third signal under trial; a question without one is never declined by it. */
  extra?: number;
}

export interface FrontierRow {
  /** Share of the own set's unanswerable questions declined. */
  abstention: number;
  minCoverage: number;
  maxUnknownShare: number;
  /** The third signal's threshold (`-Infinity` when none was tried). */
  minExtra: number;
  /** Share of the own set's answerable questions declined (the fewest for this abstention). */
  ownFalseAbstention: number;
  /** Share of the SQuAD tune questions declined with the same pair. */
  squadFalseAbstention: number;
}

/** Whether the engine's rule (see DESIGN.md), with `minExtra` on the third signal, declines a question. */
export function declines(
  signals: QuestionSignals,
  minCoverage: number,
  maxUnknownShare: number,
  minExtra = -Infinity,
): boolean {
  return (
    signals.coverage < minCoverage ||
    signals.unknownShare > maxUnknownShare ||
    (signals.extra ?? Infinity) < minExtra
  );
}

function shareDeclined(
  signals: readonly QuestionSignals[],
  minCoverage: number,
  maxUnknown: number,
  minExtra: number,
): number {
  if (signals.length === 0) return 0;
  return signals.filter((s) => declines(s, minCoverage, maxUnknown, minExtra)).length / signals.length;
}

/**
 * For each abstention level reached on the grid (minCoverage 0–0.80 in steps of 0.02, maxUnknownShare
 * 0.30–1 in steps of 0.05), the pair with the fewest own-set false abstentions; ties keep the pair found
 * first (the lowest minCoverage, then the lowest maxUnknownShare, then the first of `extraThresholds`).
 * Sorted by abstention.
 */
export function frontier(
  signals: readonly QuestionSignals[],
  extraThresholds: readonly number[] = [-Infinity],
): FrontierRow[] {
  const ownAnswerable = signals.filter((s) => s.set === 'own' && s.answerable);
  const unanswerable = signals.filter((s) => !s.answerable);
  const squad = signals.filter((s) => s.set === 'squad-tune');
  const best = new Map<string, FrontierRow>();
  for (let c = 0; c <= 40; c++) {
    const minCoverage = c / 50;
    for (let u = 6; u <= 20; u++) {
      const maxUnknownShare = u / 20;
      for (const minExtra of extraThresholds) {
        const abstention = shareDeclined(unanswerable, minCoverage, maxUnknownShare, minExtra);
        const key = abstention.toFixed(3);
        const own = shareDeclined(ownAnswerable, minCoverage, maxUnknownShare, minExtra);
        const known = best.get(key);
        if (known !== undefined && own >= known.ownFalseAbstention) continue;
        best.set(key, {
          abstention,
          minCoverage,
          maxUnknownShare,
          minExtra,
          ownFalseAbstention: own,
          squadFalseAbstention: shareDeclined(squad, minCoverage, maxUnknownShare, minExtra),
        });
      }
    }
  }
  return [...best.values()].sort((a, b) => a.abstention - b.abstention);
}

export function frontierTable(rows: readonly FrontierRow[]): string {
  return formatTable(
    [
      'abstention (own unanswerable)',
      'minCoverage',
      'maxUnknownShare',
      'false abst. own',
      'false abst. SQuAD tune',
    ],
    rows.map((row) => [
      row.abstention.toFixed(3),
      row.minCoverage.toFixed(2),
      row.maxUnknownShare.toFixed(2),
      row.ownFalseAbstention.toFixed(3),
      row.squadFalseAbstention.toFixed(4),
    ]),
  );
}
