/**
 * `npx tsx tools/tune-answer-types.ts` — the no-answer rule's answer-type part (`answerTypes`) off and on,
 * lexical and with the semantic stage, on the TUNE halves only: the own set's tune half (with the shipped
 * glossary, as the bot asks) and SQuAD's even articles. The test halves are never asked. Prints one line
 * per row; docs/quality.md quotes it.
 */
import { SearchEngine } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import type { EvalEngine } from '../src/eval/engine-port.ts';
import { loadOwnQuestions, loadSquad } from '../src/eval/load.ts';
import { withGlossary, withSemantic } from '../src/eval/main.ts';
import { indexDocuments, isAnswerableKind, runOwnSet } from '../src/eval/own-set.ts';
import { prepareSemantic } from '../src/eval/semantic.ts';
import { halfOf, runEngine, squadDocument, squadRow } from '../src/eval/squad.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from '../src/store/corpus.ts';
import { loadShippedGlossary } from '../src/store/shipped-glossary.ts';

const mean = (flags: boolean[]) => flags.filter(Boolean).length / Math.max(1, flags.length);
const rows = [false, true].flatMap((answerTypes) =>
  [false, true].map((semantic) => ({ answerTypes, semantic })),
);
const name = (row: { answerTypes: boolean; semantic: boolean }) =>
  `answerTypes ${row.answerTypes ? 'on ' : 'off'} | ${row.semantic ? '+sem   ' : 'lexical'}`;

const questions = loadOwnQuestions().filter((question) => question.half === 'tune');
const documents = await loadShippedCorpus();
const glossary = await loadShippedGlossary(DEFAULT_CORPUS_DIR);
const ownLookup = await prepareSemantic(
  documents,
  questions.map((question) => question.question),
);
for (const row of rows) {
  const lexical: EvalEngine = withGlossary(new SearchEngine({ answerTypes: row.answerTypes }), glossary);
  const engine = row.semantic ? withSemantic(lexical, ownLookup) : lexical;
  const results = runOwnSet(engine, indexDocuments(engine, documents), questions);
  const paraphrase = results.filter((r) => r.kind === 'paraphrase');
  const answerable = results.filter((r) => isAnswerableKind(r.kind));
  const unanswerable = results.filter((r) => !isAnswerableKind(r.kind));
  const onTopic = results.filter((r) => r.kind === 'unanswerable-on-topic');
  process.stdout.write(
    `own tune | ${name(row)} | para R@3 ${mean(paraphrase.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)} | ans R@3 ${mean(answerable.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)} | false abst ${mean(answerable.map((r) => !r.answered)).toFixed(3)} | unans abst ${mean(unanswerable.map((r) => !r.answered)).toFixed(3)} (on-topic ${mean(onTopic.map((r) => !r.answered)).toFixed(3)})\n`,
  );
}

const set = loadSquad(DEFAULT_SQUAD_PATH);
const tune = set.questions.filter((question) => halfOf(question.article) === 'tune');
const squadLookup = await prepareSemantic(
  set.articles.map(squadDocument),
  tune.map((question) => question.question),
);
for (const row of rows) {
  const run = runEngine(set, tune, () => {
    const engine = new SearchEngine({ answerTypes: row.answerTypes });
    return row.semantic ? withSemantic(engine, squadLookup) : engine;
  });
  const result = squadRow('tune', run, tune);
  process.stdout.write(
    `squad tune | ${name(row)} | R@1 ${result.r1.toFixed(3)} | R@5 ${result.r5.toFixed(3)} | MRR@10 ${result.mrr10.toFixed(3)} | false abst ${result.falseAbstention.toFixed(3)}\n`,
  );
}
