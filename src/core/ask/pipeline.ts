/**
 * /ask, start to end: question → retrieve → rerank → (added stages) → abstain → passages. `explain` is
 * the same run, traced. Each stage is one module of this folder; this one only calls them in order.
 *
 * Adding a stage (a semantic score, say) touches no other stage: give the engine
 * `stages: [myStage]` (EngineOptions). A stage sees the question and the re-ranked candidates, best
 * first, and returns them re-scored and re-ordered (it may drop some, never add); the no-answer rule
 * and the passages then see its order and scores. A stage that needs per-part data keeps it by
 * `candidate.entry.id`, or by (scope, documentId, paragraph, part) from `candidate.entry.paragraph`.
 */
import { VerbatimError } from '../errors.ts';
import type { IndexState } from '../index-state.ts';
import type { AskOptions, AskResult, NoAnswerReason, Scope } from '../types.ts';
import { abstain, type Decision } from './abstain.ts';
import { expectedAnswerType, mentionsAnswerType } from './answer-type.ts';
import { partTextOf, toPassage } from './passage.ts';
import { readQuestion, unknownShareOf, type ExplainedTerm, type Question } from './question.ts';
import { rerank, type Candidate } from './rerank.ts';
import { retrieve } from './retrieve.ts';
import { semanticStage } from './semantic.ts';

/** One stage added after re-ranking, before the no-answer rule (see the module's comment). */
export type RankingStage = (question: Question, candidates: Candidate[], state: IndexState) => Candidate[];

/** One re-ranked candidate (diagnostics). */
export interface ExplainedCandidate {
  documentId: string;
  scope: Scope;
  paragraph: number;
  part: number;
  /** MiniSearch's BM25+ score. */
  bm25: number;
  coverage: number;
  sentenceShare: number;
  windowShare: number;
  pairShare: number;
  /** The question's terms found in the part (text, section or title). */
  matched: string[];
  /** The final score passages are ordered by. */
  score: number;
  /** The cosine with the question of the part's best sentence or the part whole, when scored. */
  semantic?: number;
}

/** What `ask` saw and decided, for calibrating the no-answer rule and for debugging rankings. */
export interface Explanation {
  question: string;
  terms: ExplainedTerm[];
  answered: boolean;
  reason?: NoAnswerReason;
  /** IDF-weighted share of the question's informative terms the index has never seen (the rule's part 2). */
  unknownShare: number;
  /** The re-ranked candidates, best first (at most `rerankDepth`, plus parts the semantic stage scored). */
  candidates: ExplainedCandidate[];
}

interface Run {
  question: Question;
  candidates: Candidate[];
  decision: Decision;
}

function run(state: IndexState, rawQuestion: string, options: AskOptions): Run {
  const question = readQuestion(state, rawQuestion, options.glossary);
  const { query } = question;
  let candidates: Candidate[] = [];
  // Nothing to search for: the no-answer rule says which reason, without a search.
  if (query.slotCount > 0 && query.weights.size > 0) {
    candidates = rerank(state, retrieve(state, question, options), query);
    for (const stage of state.options.stages) candidates = stage(question, candidates, state);
  }
  // The semantic stage runs even when no word of the question is in the index: meaning may still match.
  if (query.slotCount > 0 && options.semantic !== undefined)
    candidates = semanticStage(state, question, candidates, options.semantic, options);
  const expected = state.options.answerTypes ? expectedAnswerType(question.text) : undefined;
  const holds =
    expected === undefined
      ? undefined
      : (candidate: Candidate) => mentionsAnswerType(partTextOf(state, candidate).text, expected);
  return { question, candidates, decision: abstain(query, candidates, state.options, holds) };
}

/**
 * The best passages of the shipped corpus plus `options.scope`, optionally restricted to
 * `options.documentIds`. Throws VerbatimError EMPTY_QUESTION / QUESTION_TOO_LONG / BAD_OPTION; anything
 * else (emoji, punctuation, another language) is answered, perhaps with `answered: false` and a reason.
 */
export function ask(state: IndexState, question: string, options: AskOptions = {}): AskResult {
  const limit = limitOf(state, options.limit);
  const { question: read, decision } = run(state, question, options);
  if (!decision.answered)
    return { question: read.text, answered: false, reason: decision.reason, passages: [] };
  const passages = decision.shown.slice(0, limit).map((candidate) => toPassage(state, candidate, read.query));
  return { question: read.text, answered: true, passages };
}

/**
 * Diagnostics for the evaluation: the question's terms with their weights, and every re-ranked
 * candidate with its BM25 score, coverage and sentence shares, whatever the no-answer rule decided.
 * Validates the question like `ask`.
 */
export function explain(state: IndexState, question: string, options: AskOptions = {}): Explanation {
  const { question: read, candidates, decision } = run(state, question, options);
  return {
    question: read.text,
    terms: read.terms,
    answered: decision.answered,
    unknownShare: unknownShareOf(read.query),
    ...(decision.answered ? {} : { reason: decision.reason }),
    candidates: candidates.map((candidate) => {
      const { entry, bm25, evidence, score } = candidate;
      return {
        documentId: entry.paragraph.documentId,
        scope: entry.paragraph.scope,
        paragraph: entry.paragraph.number,
        part: entry.paragraph.part,
        bm25,
        coverage: evidence.coverage,
        sentenceShare: evidence.sentenceShare,
        windowShare: evidence.windowShare,
        pairShare: evidence.pairShare,
        matched: matchedTerms(state, candidate, read),
        score,
        ...(candidate.semantic === undefined ? {} : { semantic: candidate.semantic }),
      };
    }),
  };
}

function matchedTerms(state: IndexState, candidate: Candidate, question: Question): string[] {
  const ids = new Set<number>();
  for (const list of [candidate.record.distinct, ...candidate.context])
    for (const id of list) if (question.query.weights.has(id)) ids.add(id);
  return [...ids].map((id) => state.vocabulary.term(id));
}

function limitOf(state: IndexState, limit: number | undefined): number {
  const { defaultLimit, maxLimit } = state.options;
  if (limit === undefined) return defaultLimit;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new VerbatimError(
      'BAD_OPTION',
      `The number of results must be a whole number from 1 to ${maxLimit}.`,
    );
  }
  return Math.min(limit, maxLimit);
}
