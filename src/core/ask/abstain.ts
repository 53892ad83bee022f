/**
 * Stage 4 of /ask, the no-answer rule, whole: when the bot says it has no answer instead of quoting, and
 * which candidates are good enough to be shown after the first. DESIGN.md, "The no-answer rule", says
 * why; `src/eval/calibrate.ts` chose the thresholds.
 */
import type { EngineOptions } from '../options.ts';
import type { NoAnswerReason } from '../types.ts';
import { unknownShareOf, type QueryTerms } from './question.ts';
import type { Candidate } from './rerank.ts';

export type Decision =
  | { answered: false; reason: NoAnswerReason }
  /** The candidates that may be shown, best first: every one covers at least `minCoverage`. */
  | { answered: true; shown: Candidate[] };

/**
 * - no searchable word in the question (only stop words, punctuation, emoji...): `no-searchable-words`;
 * - no word the index knows, or nothing retrieved: `no-match`;
 * - the best candidate covers less than `minCoverage` of the question's IDF weight, or more than
 *   `maxUnknownShare` of that weight is words the index has never seen: `weak-match`;
 * - else answered, with the candidates that cover at least `minCoverage` (in order).
 *
 * With the semantic stage (candidates carry `semantic`, the cosine of their best sentence or themselves whole): a candidate whose
 * cosine reaches `semanticRescue` answers whatever its words, and no filter drops it; when no candidate's
 * cosine reaches `semanticFloor`, the question is declined (`weak-match`) however its words match.
 *
 * Then, when the question's form asks for a sum, a number or a time (`answer-type.ts`) and none of the
 * first `defaultLimit` passages to be shown holds one: `weak-match`. It declines the question whole and
 * drops no passage, so a passage the semantic stage found is still never filtered out of an answer.
 */
export function abstain(
  query: QueryTerms,
  candidates: readonly Candidate[],
  options: Pick<
    EngineOptions,
    'minCoverage' | 'maxUnknownShare' | 'semanticRescue' | 'semanticFloor' | 'defaultLimit'
  >,
  /** When the question's form asks for a sum, a number or a time: whether a candidate's text holds one. */
  holdsAnswerType?: (candidate: Candidate) => boolean,
): Decision {
  const decision = rule(query, candidates, options);
  // Part 3: the passages a member would see by default must hold the kind of answer the question asks for.
  if (
    decision.answered &&
    holdsAnswerType !== undefined &&
    !decision.shown.slice(0, options.defaultLimit).some(holdsAnswerType)
  )
    return { answered: false, reason: 'weak-match' };
  return decision;
}

function rule(
  query: QueryTerms,
  candidates: readonly Candidate[],
  options: Pick<EngineOptions, 'minCoverage' | 'maxUnknownShare' | 'semanticRescue' | 'semanticFloor'>,
): Decision {
  if (query.slotCount === 0) return { answered: false, reason: 'no-searchable-words' };
  const found = (candidate: Candidate) => (candidate.semantic ?? -1) >= options.semanticRescue;
  const covers = (candidate: Candidate) => candidate.evidence.coverage >= options.minCoverage;
  const semantic = candidates.some((candidate) => candidate.semantic !== undefined);
  if (semantic && candidates.some(found)) {
    return { answered: true, shown: candidates.filter((candidate) => found(candidate) || covers(candidate)) };
  }
  const best = candidates.find((candidate) => candidate.bm25 > 0);
  if (query.weights.size === 0 || best === undefined) return { answered: false, reason: 'no-match' };
  if (!covers(best)) return { answered: false, reason: 'weak-match' };
  if (unknownShareOf(query) > options.maxUnknownShare) return { answered: false, reason: 'weak-match' };
  if (semantic && !candidates.some((candidate) => (candidate.semantic ?? -1) >= options.semanticFloor))
    return { answered: false, reason: 'weak-match' };
  return { answered: true, shown: candidates.filter(covers) };
}
