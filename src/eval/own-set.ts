/**
 * verbatim's own question set over the shipped corpus (questions.json). Gold answers are short verbatim
 * quotes; each is mapped to the paragraph of the engine that contains it, so the gold does not depend on
 * how paragraphs are numbered.
 */
import { z } from 'zod';
import type { Paragraph, SourceDocument } from '../core/index.ts';
import type { EvalEngine } from './engine-port.ts';
import { firstHitRank, recallAt, share, uniqueInOrder } from './metrics.ts';

export const QUESTION_KINDS = [
  'lexical',
  'paraphrase',
  'unanswerable-on-topic',
  'unanswerable-off-topic',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The set's two halves, stratified by kind: decide on `tune`, report `test`. */
export const OWN_HALVES = ['tune', 'test'] as const;
export type OwnHalf = (typeof OWN_HALVES)[number];

export function isAnswerableKind(kind: QuestionKind): boolean {
  return kind === 'lexical' || kind === 'paraphrase';
}

/** Passages asked for: what a user sees by default, so R@3 is what a user would see. */
export const OWN_SET_LIMIT = 3;

const answerSchema = z.object({
  documentId: z.string().min(1),
  quote: z.string().min(10).max(60),
});

const questionSchema = z
  .object({
    id: z.string().min(1),
    question: z.string().min(1),
    kind: z.enum(QUESTION_KINDS),
    /** Tune on `tune` only; `test` is reported, never looked at while choosing (tools/assign-halves.ts). */
    half: z.enum(OWN_HALVES),
    answers: z.array(answerSchema),
  })
  .refine((question) => isAnswerableKind(question.kind) === question.answers.length > 0, {
    message: 'answerable questions need at least one answer, unanswerable ones none',
  });

const questionFileSchema = z.object({ about: z.string(), questions: z.array(questionSchema).min(1) });

export type OwnQuestion = z.infer<typeof questionSchema>;
export type OwnAnswer = z.infer<typeof answerSchema>;

/** Parses questions.json; throws an Error naming the first entry that does not fit. */
export function parseOwnQuestions(json: unknown): OwnQuestion[] {
  const parsed = questionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad question file at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  const ids = new Set<string>();
  for (const question of parsed.data.questions) {
    if (ids.has(question.id)) throw new Error(`bad question file: id ${question.id} is used twice`);
    ids.add(question.id);
  }
  return parsed.data.questions;
}

export function paragraphKey(documentId: string, paragraph: number): string {
  return `${documentId}#${paragraph}`;
}

interface IndexedDocument {
  text: string;
  paragraphs: readonly Paragraph[];
}

/** The paragraph key holding `answer.quote`; throws when the quote is not exactly one body paragraph's text. */
export function goldParagraph(documents: ReadonlyMap<string, IndexedDocument>, answer: OwnAnswer): string {
  const document = documents.get(answer.documentId);
  if (document === undefined) throw new Error(`gold answer names unknown document ${answer.documentId}`);
  const at = document.text.indexOf(answer.quote);
  if (at === -1) throw new Error(`quote not in ${answer.documentId}: ${answer.quote}`);
  if (document.text.indexOf(answer.quote, at + 1) !== -1) {
    throw new Error(`quote occurs more than once in ${answer.documentId}: ${answer.quote}`);
  }
  // A quote may straddle two parts of one split paragraph: its start decides.
  const paragraph = document.paragraphs.find((p) => p.start <= at && at < p.end);
  if (paragraph === undefined) {
    throw new Error(`quote is not in a body paragraph of ${answer.documentId}: ${answer.quote}`);
  }
  return paragraphKey(answer.documentId, paragraph.number);
}

export interface OwnResult {
  id: string;
  kind: QuestionKind;
  half: OwnHalf;
  question: string;
  answered: boolean;
  /** 1-based rank of the first gold paragraph among the passages shown, null when none (or declined). */
  rank: number | null;
  /** What was shown, as `documentId#paragraph`. */
  shown: string[];
  gold: string[];
}

/** Adds the documents to `engine` and returns what it indexed, by document id. */
export function indexDocuments(
  engine: EvalEngine,
  documents: readonly SourceDocument[],
): Map<string, IndexedDocument> {
  return new Map(
    documents.map((document) => [
      document.meta.id,
      { text: document.text, paragraphs: engine.add(document) },
    ]),
  );
}

/** Asks every question of the set; `engine` must already hold the documents in `indexed`. */
export function runOwnSet(
  engine: EvalEngine,
  indexed: ReadonlyMap<string, IndexedDocument>,
  questions: readonly OwnQuestion[],
): OwnResult[] {
  return questions.map((question) => {
    const gold = uniqueInOrder(question.answers.map((answer) => goldParagraph(indexed, answer)));
    const result = engine.ask(question.question, { limit: OWN_SET_LIMIT });
    const shown = uniqueInOrder(
      result.passages.map((passage) => paragraphKey(passage.documentId, passage.paragraph)),
    );
    return {
      id: question.id,
      kind: question.kind,
      half: question.half,
      question: question.question,
      answered: result.answered,
      // A declined question shows the user nothing, so it is a miss at every k.
      rank: result.answered ? firstHitRank(shown, new Set(gold)) : null,
      shown: result.answered ? shown : [],
      gold,
    };
  });
}

/** One line of the own-set table; fields that do not apply to the row's kind are null. */
export interface OwnRow {
  name: string;
  questions: number;
  r1: number | null;
  r3: number | null;
  /** Answerable questions declined. */
  falseAbstention: number | null;
  /** Unanswerable questions declined (higher is better). */
  abstention: number | null;
}

function answerableRow(name: string, results: readonly OwnResult[]): OwnRow {
  const ranks = results.map((result) => result.rank);
  return {
    name,
    questions: results.length,
    r1: recallAt(ranks, 1),
    r3: recallAt(ranks, 3),
    falseAbstention: share(results.map((result) => !result.answered)),
    abstention: null,
  };
}

function unanswerableRow(name: string, results: readonly OwnResult[]): OwnRow {
  return {
    name,
    questions: results.length,
    r1: null,
    r3: null,
    falseAbstention: null,
    abstention: share(results.map((result) => !result.answered)),
  };
}

/** Rows by kind, plus all answerable and all unanswerable. */
export function ownRows(results: readonly OwnResult[]): OwnRow[] {
  const ofKind = (kind: QuestionKind) => results.filter((result) => result.kind === kind);
  return [
    answerableRow('lexical', ofKind('lexical')),
    answerableRow('paraphrase', ofKind('paraphrase')),
    answerableRow(
      'answerable (all)',
      results.filter((result) => isAnswerableKind(result.kind)),
    ),
    unanswerableRow('unanswerable-on-topic', ofKind('unanswerable-on-topic')),
    unanswerableRow('unanswerable-off-topic', ofKind('unanswerable-off-topic')),
    unanswerableRow(
      'unanswerable (all)',
      results.filter((result) => !isAnswerableKind(result.kind)),
    ),
  ];
}
