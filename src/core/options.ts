/**
 * Everything that tunes the engine, its defaults and their checks. Changing a default changes answers:
 * re-run `npm run eval` (tune half only) before and after.
 */
import { defaultAnalyzerOptions, type AnalyzerOptions } from './analyzer.ts';
import type { RankingStage } from './ask/pipeline.ts';
import { VerbatimError } from './errors.ts';
import { MAX_QUESTION_CHARS, MAX_RESULTS } from './limits.ts';

/** Everything that tunes the engine. Defaults live in {@link defaultEngineOptions}. */
export interface EngineOptions {
  /** How text becomes terms, for documents and questions alike. Default: {@link defaultAnalyzerOptions}. */
  analyzer: AnalyzerOptions;
  /**
   * The longest paragraph part, in characters. Longer paragraphs are split at sentence boundaries so
   * one part fits a Discord embed with room for its attribution. Default: 1500. At least 100.
   */
  maxPartChars: number;
  /** The longest question accepted, in characters (after trimming). Default: {@link MAX_QUESTION_CHARS}. */
  maxQuestionChars: number;
  /** BM25+ parameters passed to MiniSearch. Default: `{ k: 1.2, b: 0.7, d: 0.5 }` (MiniSearch's own). */
  bm25: { k: number; b: number; d: number };
  /** Field boosts: a match in the section heading or title counts this much relative to the text. Default: `{ text: 1, section: 0.5, title: 0.5 }`. */
  boost: { text: number; section: number; title: number };
  /** How many of MiniSearch's best results the second stage re-ranks. Default: 20. */
  rerankDepth: number;
  /**
   * Re-ranking weights (ask/rerank.ts). A candidate's score is `bm25 / bestBm25 + coverageWeight *
   * coverage + sentenceWeight * sentenceShare + windowWeight * windowShare + pairWeight * pairShare`.
   * This one: the share of the question's IDF weight found anywhere in the part. Default: 0.3.
   */
  coverageWeight: number;
  /** Weight of `sentenceShare`: the share found in the part's best sentence alone. Default: 0.4. */
  sentenceWeight: number;
  /** Weight of `windowShare`: the share found in the best two neighbouring sentences. Default: 0.2. */
  windowWeight: number;
  /** Weight of `pairShare`: the question's neighbouring words found close together. Default: 0.2. */
  pairWeight: number;
  /**
   * Stages run after re-ranking and before the no-answer rule, in order (ask/pipeline.ts says what a
   * stage may do). Default: none.
   */
  stages: readonly RankingStage[];
  /**
   * The semantic stage (ask/semantic.ts), when `AskOptions.semantic` is given: a part's score gains
   * `semanticWeight × cosine` (the cosine with the question of its best sentence or of the part whole). Chosen on the own set's
   * tune half and SQuAD's tune half with tools/tune-semantic.ts (docs/quality.md). Default: 4.
   */
  semanticWeight: number;
  /**
   * Scopes of at most this many parts have every part's cosine computed (the nearest `rerankDepth` join
   * the candidates); larger ones only re-score the lexical candidates. Default: 200: scanning cost 26.7 ms
   * per 500 parts at the median on a loaded 2-core machine (`npm run bench -- --only semantic`), about the
   * cost of encoding the question, so 200 parts keep it under half of that. SQuAD's 2,139 parts use the
   * candidates (where scanning them all gained nothing on the tune half: docs/quality.md).
   */
  semanticScanLimit: number;
  /**
   * The no-answer rule with the semantic stage: a candidate whose cosine reaches this is answer enough
   * whatever its word coverage, and is never filtered out. Default: 0.4.
   */
  semanticRescue: number;
  /**
   * The no-answer rule with the semantic stage: when no candidate's cosine reaches this, the question is
   * declined (`weak-match`) however its words match: the sources are not about it. Default: 0.25
   * (off-topic questions' best cosine was 0.17–0.38 on the tune half, answerable ones' 0.29–0.79).
   */
  semanticFloor: number;
  /**
   * The no-answer rule, part 3: a question whose form asks for a sum, a number or a time ("how much did
   * X pay", "how many", "when") is declined (`weak-match`) when none of the first `defaultLimit` passages
   * to be shown holds one (`ask/answer-type.ts`). Default: on.
   */
  answerTypes: boolean;
  /**
   * The no-answer rule, part 1: the best candidate must contain at least this IDF-weighted share of
   * the question's informative terms (terms the index has never seen count as missing), else the
   * answer is `weak-match`. Passages after the first must pass it too. Calibrated with
   * `src/eval/calibrate.ts` (DESIGN.md, "The no-answer rule"). Default: 0.18.
   */
  minCoverage: number;
  /**
   * The no-answer rule, part 2: when more than this IDF-weighted share of the question's informative
   * terms is words the index has never seen, the sources are not about what is asked (`weak-match`),
   * however well the remaining words match. Default: 0.7.
   */
  maxUnknownShare: number;
  /**
   * Credit for a question word found through the glossary (a server's entries and the shipped corpus's
   * list, `AskOptions.glossary`), relative to the word itself; also the added word's boost in the first
   * stage. 0 turns the glossary off. Default: 0.5 (chosen on the tune half, docs/quality.md).
   */
  glossaryWeight: number;
  /** Passages returned when `AskOptions.limit` is not given. Default: 3. */
  defaultLimit: number;
  /** The most passages one question may ask for. Default: {@link MAX_RESULTS}. */
  maxLimit: number;
}

export const defaultEngineOptions: Readonly<EngineOptions> = Object.freeze({
  analyzer: { ...defaultAnalyzerOptions },
  maxPartChars: 1500,
  maxQuestionChars: MAX_QUESTION_CHARS,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  boost: { text: 1, section: 0.5, title: 0.5 },
  rerankDepth: 20,
  coverageWeight: 0.3,
  sentenceWeight: 0.4,
  windowWeight: 0.2,
  pairWeight: 0.2,
  stages: [],
  semanticWeight: 4,
  semanticScanLimit: 200,
  semanticRescue: 0.4,
  semanticFloor: 0.25,
  answerTypes: true,
  minCoverage: 0.18,
  maxUnknownShare: 0.7,
  glossaryWeight: 0.5,
  defaultLimit: 3,
  maxLimit: MAX_RESULTS,
});

/** Options given to the constructor: any subset; object-valued options may also be partial. */
export type EngineOptionsInput = Partial<Omit<EngineOptions, 'analyzer' | 'bm25' | 'boost'>> & {
  analyzer?: Partial<AnalyzerOptions>;
  bm25?: Partial<EngineOptions['bm25']>;
  boost?: Partial<EngineOptions['boost']>;
};

/** The options a constructor was given, merged over the defaults and checked. */
export function resolveOptions(options: EngineOptionsInput): Readonly<EngineOptions> {
  const merged: EngineOptions = {
    ...defaultEngineOptions,
    ...options,
    analyzer: { ...defaultEngineOptions.analyzer, ...options.analyzer },
    bm25: { ...defaultEngineOptions.bm25, ...options.bm25 },
    boost: { ...defaultEngineOptions.boost, ...options.boost },
  };
  checkOptions(merged);
  return Object.freeze(merged);
}

function checkOptions(options: EngineOptions): void {
  const problems: string[] = [];
  // A name the engine does not know (a typo, or an option since removed, such as WordNet's synonymWeight)
  // would otherwise be ignored without a word, and an ablation would measure nothing.
  for (const name of Object.keys(options))
    if (!(name in defaultEngineOptions)) problems.push(`"${name}" does not exist`);
  if (!(options.maxPartChars >= 100)) problems.push('"maxPartChars" must be at least 100');
  if (!(options.maxQuestionChars >= 1)) problems.push('"maxQuestionChars" must be at least 1');
  if (!(options.rerankDepth >= 1)) problems.push('"rerankDepth" must be at least 1');
  if (!(options.defaultLimit >= 1 && options.maxLimit >= options.defaultLimit))
    problems.push('"defaultLimit" must be from 1 to "maxLimit"');
  if (!(options.minCoverage >= 0 && options.minCoverage <= 1))
    problems.push('"minCoverage" must be from 0 to 1');
  if (!(options.maxUnknownShare >= 0 && options.maxUnknownShare <= 1))
    problems.push('"maxUnknownShare" must be from 0 to 1');
  if (!(options.glossaryWeight >= 0 && options.glossaryWeight <= 1))
    problems.push('"glossaryWeight" must be from 0 to 1');
  for (const name of ['coverageWeight', 'sentenceWeight', 'windowWeight', 'pairWeight'] as const)
    if (!(options[name] >= 0)) problems.push(`"${name}" must be at least 0`);
  if (!(options.semanticWeight >= 0)) problems.push('"semanticWeight" must be at least 0');
  if (!(Number.isInteger(options.semanticScanLimit) && options.semanticScanLimit >= 0))
    problems.push('"semanticScanLimit" must be a whole number from 0');
  for (const name of ['semanticRescue', 'semanticFloor'] as const)
    if (!(options[name] >= -1 && options[name] <= 1)) problems.push(`"${name}" must be from -1 to 1`);
  if (problems.length > 0)
    throw new VerbatimError('BAD_OPTION', `SearchEngine: option ${problems.join('; ')}.`);
}
