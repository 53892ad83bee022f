/**
 * `npx tsx tools/tune-answer-types.ts` — the no-answer rule's answer-type part (`answerTypes`) off and on,
 * lexical and with the semantic stage, on the TUNE halves only: the own set's tune half (with the shipped
 * glossary, as the bot asks) and SQuAD's even articles. The test halves are never asked. Prints one line
 * per row; docs/quality.md quotes it.
 */
import { SearchEngine } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import type { EvalEngine } from '../src/eval/engine-port.ts';
import { loadSquad } from '../src/eval/load.ts';
import { withGlossary, withSemantic } from '../src/eval/main.ts';
import { indexDocuments, runOwnSet } from '../src/eval/own-set.ts';
import { prepareSemantic } from '../src/eval/semantic.ts';
import { halfOf, runEngine, squadDocument, squadRow } from '../src/eval/squad.ts';
import { openOwnTuneHalf, ownTuneFigures } from './own-tune-half.ts';

const f3 = (value: number) => value.toFixed(3);
const rows = [false, true].flatMap((answerTypes) =>
  [false, true].map((semantic) => ({ answerTypes, semantic })),
);
const name = (row: { answerTypes: boolean; semantic: boolean }) =>
  `answerTypes ${row.answerTypes ? 'on ' : 'off'} | ${row.semantic ? '+sem   ' : 'lexical'}`;

const own = await openOwnTuneHalf();
for (const row of rows) {
  const lexical: EvalEngine = withGlossary(new SearchEngine({ answerTypes: row.answerTypes }), own.glossary);
  const engine = row.semantic ? withSemantic(lexical, own.lookup) : lexical;
  const f = ownTuneFigures(runOwnSet(engine, indexDocuments(engine, own.documents), own.questions));
  process.stdout.write(
    `own tune | ${name(row)} | para R@3 ${f3(f.paraphraseR3)} | ans R@3 ${f3(f.answerableR3)} | false abst ${f3(f.falseAbstention)} | unans abst ${f3(f.unanswerableAbstention)} (on-topic ${f3(f.onTopicAbstention)})\n`,
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
