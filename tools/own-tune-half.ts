/**
 * The own set's tune half as the tune tools ask it: the shipped corpus, its glossary (applied as the bot
 * applies it) and the questions' vectors; and its figures, read from `ownRows`, the rows `npm run eval`
 * prints. The test half is never loaded.
 */
import type { GlossaryEntry, SourceDocument } from '../src/core/index.ts';
import { loadOwnQuestions } from '../src/eval/load.ts';
import { ownRows, type OwnQuestion, type OwnResult } from '../src/eval/own-set.ts';
import { prepareSemantic, type SemanticLookup } from '../src/eval/semantic.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from '../src/store/corpus.ts';
import { loadShippedGlossary } from '../src/store/shipped-glossary.ts';

export interface OwnTuneHalf {
  questions: OwnQuestion[];
  documents: SourceDocument[];
  glossary: GlossaryEntry[];
  lookup: SemanticLookup;
}

export async function openOwnTuneHalf(): Promise<OwnTuneHalf> {
  const questions = loadOwnQuestions().filter((question) => question.half === 'tune');
  const documents = await loadShippedCorpus();
  const glossary = await loadShippedGlossary(DEFAULT_CORPUS_DIR);
  const lookup = await prepareSemantic(
    documents,
    questions.map((question) => question.question),
  );
  return { questions, documents, glossary, lookup };
}

export interface OwnTuneFigures {
  paraphraseR3: number;
  answerableR3: number;
  answerableR1: number;
  falseAbstention: number;
  unanswerableAbstention: number;
  onTopicAbstention: number;
}

export function ownTuneFigures(results: readonly OwnResult[]): OwnTuneFigures {
  const rows = new Map(ownRows(results).map((row) => [row.name, row]));
  const paraphrase = rows.get('paraphrase');
  const answerable = rows.get('answerable (all)');
  return {
    paraphraseR3: paraphrase?.r3 ?? 0,
    answerableR3: answerable?.r3 ?? 0,
    answerableR1: answerable?.r1 ?? 0,
    falseAbstention: answerable?.falseAbstention ?? 0,
    unanswerableAbstention: rows.get('unanswerable (all)')?.abstention ?? 0,
    onTopicAbstention: rows.get('unanswerable-on-topic')?.abstention ?? 0,
  };
}
