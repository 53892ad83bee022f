/**
 * Per-question diagnostics for calibrating the no-answer rule: questions whose answerability is known
 * (the own set, SQuAD), each with the engine's outcome and its `explain` account (the question's terms and
 * weights; every re-ranked candidate's BM25 score, coverage and sentence shares).
 */
import type { Explanation } from '../core/index.ts';
import type { EvalEngine } from './engine-port.ts';
import { isAnswerableKind, OWN_SET_LIMIT, type OwnQuestion } from './own-set.ts';

/** A question and whether the corpus answers it. */
export interface LabelledQuestion {
  id: string;
  question: string;
  answerable: boolean;
  /** Where it comes from: an own-set kind, or `squad`. */
  kind: string;
}

export interface QuestionDiagnostics extends LabelledQuestion {
  answered: boolean;
  /** The best passage's score, null when nothing was shown. */
  topScore: number | null;
  /** Present when the engine offers `explain`. */
  explain?: Explanation;
}

export function labelOwnQuestions(questions: readonly OwnQuestion[]): LabelledQuestion[] {
  return questions.map(({ id, question, kind }) => ({
    id,
    question,
    kind,
    answerable: isAnswerableKind(kind),
  }));
}

/** Asks each question as a user would (3 passages) and records what the engine saw and decided. */
export function diagnose(engine: EvalEngine, questions: readonly LabelledQuestion[]): QuestionDiagnostics[] {
  return questions.map((labelled) => {
    const result = engine.ask(labelled.question, { limit: OWN_SET_LIMIT });
    return {
      ...labelled,
      answered: result.answered,
      topScore: result.passages[0]?.score ?? null,
      ...(engine.explain === undefined ? {} : { explain: engine.explain(labelled.question) }),
    };
  });
}
