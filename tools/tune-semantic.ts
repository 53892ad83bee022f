/**
 * `npx tsx tools/tune-semantic.ts [--squad] [--float32]` — chooses the semantic stage's weight and the no-answer
 * rule's thresholds on the TUNE halves only (the own set's tune half; with --squad, SQuAD's even
 * articles too). The test halves are never asked. Prints one line per setting; docs/quality.md quotes it.
 * `--float32`: the defaults with int8 sentence vectors against the same vectors unquantised.
 */
import { parseArgs } from 'node:util';
import {
  partKey,
  SearchEngine,
  SHIPPED_SCOPE,
  type EngineOptionsInput,
  type PartVectors,
} from '../src/core/index.ts';
import { startWorkerEncoder } from '../src/semantic/encoder.ts';
import { DIMENSIONS } from '../src/semantic/model.ts';
import { sentencesOf } from '../src/semantic/sentences.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadOwnQuestions, loadSquad } from '../src/eval/load.ts';
import { withSemantic } from '../src/eval/main.ts';
import { indexDocuments, isAnswerableKind, runOwnSet } from '../src/eval/own-set.ts';
import { prepareSemantic } from '../src/eval/semantic.ts';
import { halfOf, runEngine, squadDocument, squadRow } from '../src/eval/squad.ts';
import { loadShippedCorpus } from '../src/store/corpus.ts';

const { values } = parseArgs({
  options: { squad: { type: 'boolean', default: false }, float32: { type: 'boolean', default: false } },
});
const grid: EngineOptionsInput[] = [];
for (const semanticWeight of [2, 4, 6, 8, 10])
  for (const semanticRescue of [0.3, 0.35, 0.4, 0.45, 0.5])
    for (const semanticFloor of [0, 0.2, 0.25, 0.3])
      for (const minCoverage of [0.18, 0.3])
        grid.push({ semanticWeight, semanticRescue, semanticFloor, minCoverage });

const questions = loadOwnQuestions().filter((question) => question.half === 'tune');
const documents = await loadShippedCorpus();
const lookup = await prepareSemantic(
  documents,
  questions.map((question) => question.question),
);
const mean = (values: boolean[]) => values.filter(Boolean).length / Math.max(1, values.length);
const rows: string[] = [];
for (const options of values.squad || values.float32 ? [] : grid) {
  const engine = withSemantic(new SearchEngine(options), lookup);
  const results = runOwnSet(engine, indexDocuments(engine, documents), questions);
  const of = (test: (kind: string) => boolean) => results.filter((result) => test(result.kind));
  const paraphrase = of((kind) => kind === 'paraphrase');
  const answerable = of((kind) => isAnswerableKind(kind as never));
  const unanswerable = of((kind) => !isAnswerableKind(kind as never));
  rows.push(
    [
      JSON.stringify(options),
      `para R@3 ${mean(paraphrase.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)}`,
      `ans R@3 ${mean(answerable.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)}`,
      `ans R@1 ${mean(answerable.map((r) => r.rank === 1)).toFixed(3)}`,
      `false abst ${mean(answerable.map((r) => !r.answered)).toFixed(3)}`,
      `unans abst ${mean(unanswerable.map((r) => !r.answered)).toFixed(3)}`,
    ].join(' | '),
  );
}
process.stdout.write(`${rows.join('\n')}\n`);

if (values.float32) {
  // int8 against float32 at the defaults: the same sentences, encoded again and kept unquantised.
  const encoder = startWorkerEncoder();
  const engine = new SearchEngine();
  const parts = new Map<string, PartVectors>();
  for (const document of documents) {
    for (const p of engine.add(document)) {
      const sentences = sentencesOf(document.text.slice(p.start, p.end));
      const vectors = await encoder.encode(sentences);
      const values = new Float32Array(sentences.length * DIMENSIONS);
      vectors.forEach((vector, row) => values.set(vector, row * DIMENSIONS));
      parts.set(partKey(SHIPPED_SCOPE, document.meta.id, p.number, p.part), {
        values,
        scales: new Float32Array(sentences.length).fill(1),
      });
    }
  }
  const questionVectors = new Map<string, Float32Array>();
  for (const question of questions)
    questionVectors.set(question.question, (await encoder.encode([question.question]))[0] as Float32Array);
  await encoder.close();
  const floatLookup = (question: string) => {
    const vector = questionVectors.get(question);
    return vector === undefined ? undefined : { question: vector, parts };
  };
  for (const [name, look] of [
    ['int8', lookup],
    ['float32', floatLookup],
  ] as const) {
    const engine = withSemantic(new SearchEngine(), look);
    const results = runOwnSet(engine, indexDocuments(engine, documents), questions);
    const answerable = results.filter((r) => isAnswerableKind(r.kind));
    const paraphrase = results.filter((r) => r.kind === 'paraphrase');
    const unanswerable = results.filter((r) => !isAnswerableKind(r.kind));
    process.stdout.write(
      `${name} (defaults) | para R@3 ${mean(paraphrase.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)} | ans R@3 ${mean(answerable.map((r) => r.rank !== null && r.rank <= 3)).toFixed(3)} | ans R@1 ${mean(answerable.map((r) => r.rank === 1)).toFixed(3)} | false abst ${mean(answerable.map((r) => !r.answered)).toFixed(3)} | unans abst ${mean(unanswerable.map((r) => !r.answered)).toFixed(3)}\n`,
    );
  }
}

if (values.squad) {
  const set = loadSquad(DEFAULT_SQUAD_PATH);
  const tune = set.questions.filter((question) => halfOf(question.article) === 'tune');
  const squadLookup = await prepareSemantic(
    set.articles.map(squadDocument),
    tune.map((q) => q.question),
  );
  const settings: EngineOptionsInput[] = [
    {},
    ...[1, 2, 4, 6, 8].map((semanticWeight) => ({
      semanticWeight,
      semanticRescue: 0.4,
      semanticFloor: 0.25,
    })),
    { semanticWeight: 6, semanticRescue: 0.4, semanticFloor: 0 },
    // Every part scored (the small-scope path) on SQuAD's 2,139 parts: what the scan limit guards against.
    { semanticWeight: 6, semanticRescue: 0.4, semanticFloor: 0.25, semanticScanLimit: 5000 },
    { semanticWeight: 2, semanticRescue: 0.4, semanticFloor: 0.25, semanticScanLimit: 5000 },
  ];
  for (const options of settings) {
    const semantic = Object.keys(options).length > 0;
    const run = runEngine(set, tune, () =>
      semantic ? withSemantic(new SearchEngine(options), squadLookup) : new SearchEngine(),
    );
    const row = squadRow('tune', run, tune);
    process.stdout.write(
      `${semantic ? JSON.stringify(options) : 'lexical'} | R@1 ${row.r1.toFixed(3)} | R@5 ${row.r5.toFixed(3)} | MRR@10 ${row.mrr10.toFixed(3)} | false abst ${row.falseAbstention.toFixed(3)} | p50 ${row.p50Ms.toFixed(2)} ms\n`,
    );
  }
}
