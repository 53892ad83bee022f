/**
 * Stage 1 of /ask: the question checked and turned into terms the index knows, each weighed by its IDF,
 * with the neighbouring pairs the re-ranking looks for and the glossary's words (glossary.ts).
 */
import { userError } from '../errors.ts';
import type { IndexState } from '../index-state.ts';
import { expandWithGlossary, type GlossaryRule } from './glossary.ts';

/**
 * The question's terms as the index knows them. Each informative word of the question is one *slot*
 * weighing its IDF; a slot is filled by the word itself (full credit) or by a word the glossary gives
 * for it (the glossary's lesser credit), and evidence counts each slot once, at the best credit found.
 */
export interface QueryTerms {
  /** Term id → credit when it matches (the slot's weight, times `glossaryWeight` for a glossary's word). */
  weights: Map<number, number>;
  /** Term id → the slot it fills. */
  slots: Map<number, number>;
  /** How many slots there are (question terms the index knows, or the glossary gave a known word). */
  slotCount: number;
  /** Sum of the weights of every informative term of the question, known to the index or not. */
  totalWeight: number;
  /** The part of `totalWeight` from terms the index has never seen. */
  unknownWeight: number;
  /**
   * Neighbouring question words (consecutive known slots, in question order) as `[slotA, slotB]`, with
   * `pairWeights` the weight of each pair (the smaller IDF of the two): a part that has both words
   * close together likely says what the question asks, not just mentions its words.
   */
  pairs: Array<[number, number]>;
  pairWeights: number[];
}

/** One question term as the engine weighed it (diagnostics). */
export interface ExplainedTerm {
  term: string;
  /** Index entries (in every scope) that contain it; 0 when the index has never seen it. */
  documentFrequency: number;
  idf: number;
  /** Words the glossary added for it, searched with `glossaryWeight` (absent when none). */
  glossary?: string[];
}

/** A question as the later stages need it. */
export interface Question {
  /** The question as asked, trimmed. */
  text: string;
  /** Its distinct terms in question order, as weighed. */
  terms: ExplainedTerm[];
  query: QueryTerms;
  /** The words MiniSearch searches for, each with its boost (1, or `glossaryWeight` for a glossary's word). */
  boosts: Map<string, number>;
}

/**
 * Reads a question against the index. Throws VerbatimError EMPTY_QUESTION or QUESTION_TOO_LONG; anything
 * else (emoji, punctuation, another language) is read, perhaps into no known term at all.
 */
export function readQuestion(
  state: IndexState,
  rawQuestion: string,
  glossary: readonly GlossaryRule[] = [],
): Question {
  const text = checkQuestion(rawQuestion, state.options.maxQuestionChars);
  const { vocabulary, options } = state;
  const termStrings = [...new Set(state.analyzer.terms(text))];
  const query: QueryTerms = {
    weights: new Map(),
    slots: new Map(),
    slotCount: 0,
    totalWeight: 0,
    unknownWeight: 0,
    pairs: [],
    pairWeights: [],
  };
  const boosts = new Map<string, number>();
  const terms: ExplainedTerm[] = [];
  // The user's own words first, so a word the glossary also gives for another keeps full credit.
  for (const term of termStrings) {
    const id = vocabulary.find(term);
    const idf = vocabulary.idf(id);
    const documentFrequency = vocabulary.documentFrequency(id);
    terms.push({ term, documentFrequency, idf });
    query.totalWeight += idf;
    if (documentFrequency === 0) query.unknownWeight += idf;
    if (documentFrequency > 0) {
      query.weights.set(id, idf);
      query.slots.set(id, terms.length - 1);
      boosts.set(term, 1);
    }
  }
  query.slotCount = terms.length;
  let previousKnown = -1;
  terms.forEach((explained, slot) => {
    if (explained.documentFrequency === 0) return;
    const previous = terms[previousKnown];
    if (previous !== undefined) {
      query.pairs.push([previousKnown, slot]);
      query.pairWeights.push(Math.min(previous.idf, explained.idf));
    }
    previousKnown = slot;
  });
  expandWithGlossary(vocabulary, options.glossaryWeight, terms, query, boosts, glossary);
  return { text, terms, query, boosts };
}

/** IDF-weighted share of the question's informative terms that the index has never seen. */
export function unknownShareOf(query: QueryTerms): number {
  return query.totalWeight > 0 ? query.unknownWeight / query.totalWeight : 0;
}

function checkQuestion(question: string, max: number): string {
  const trimmed = typeof question === 'string' ? question.trim() : '';
  if (trimmed === '') {
    throw userError('EMPTY_QUESTION');
  }
  if (trimmed.length > max) {
    throw userError('QUESTION_TOO_LONG', { length: trimmed.length, max });
  }
  return trimmed;
}
