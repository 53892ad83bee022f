/**
 * `npx tsx tools/part-vectors-ablation.ts [--squad]` — what a part is represented by in the semantic
 * stage, measured on the TUNE halves only (the own set's; with --squad, SQuAD's even articles too): its
 * sentences' vectors, one vector of the whole part, the mean of its sentences, its sentences plus the whole
 * part (the bot's since this measure: `partTextsOf`), its sentences plus each pair of neighbouring ones.
 * Every variant is a set of rows of which the best cosine counts, so the core scores them unchanged.
 * Vectors are int8 like the bot's and kept in the evaluation's cache (`.cache/eval-vectors/`), so only
 * the first run encodes the parts and the pairs (minutes for SQuAD). The own set is asked with the shipped
 * glossary, as `npm run eval` and the bot ask it.
 */
import { parseArgs } from 'node:util';
import {
  partKey,
  SearchEngine,
  type PartVectors,
  type SemanticInput,
  type SourceDocument,
} from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadSquad } from '../src/eval/load.ts';
import { withGlossary, withSemantic } from '../src/eval/main.ts';
import { indexDocuments, runOwnSet } from '../src/eval/own-set.ts';
import { EVAL_VECTOR_FILE, prepareSemantic, type SemanticLookup } from '../src/eval/semantic.ts';
import { halfOf, runEngine, squadDocument, squadRow } from '../src/eval/squad.ts';
import { silentLogger } from '../src/log.ts';
import { startWorkerEncoder } from '../src/semantic/encoder.ts';
import { DIMENSIONS } from '../src/semantic/model.ts';
import { openSemanticIndex } from '../src/semantic/semantic-index.ts';
import { sentencesOf, wholePartText } from '../src/semantic/sentences.ts';
import { openOwnTuneHalf, ownTuneFigures } from './own-tune-half.ts';

const { values } = parseArgs({ options: { squad: { type: 'boolean', default: false } } });

const VARIANTS = ['sentences', 'part', 'mean', 'sentences+part', 'sentences+pairs'] as const;
type Variant = (typeof VARIANTS)[number];

/** Every variant's rows for every part of `documents`, keyed as the semantic index keys them. */
async function partVectors(
  documents: readonly SourceDocument[],
): Promise<Map<Variant, Map<string, PartVectors>>> {
  const engine = new SearchEngine();
  const parts: Array<{ key: string; sentences: string[]; whole: string; pairs: string[] }> = [];
  for (const document of documents) {
    for (const paragraph of engine.add(document)) {
      const text = document.text.slice(paragraph.start, paragraph.end);
      const sentences = sentencesOf(text);
      parts.push({
        key: partKey(document.meta.scope, document.meta.id, paragraph.number, paragraph.part),
        sentences,
        whole: wholePartText(text),
        pairs: sentences.slice(1).map((sentence, i) => `${sentences[i] as string} ${sentence}`),
      });
    }
  }
  const encoder = startWorkerEncoder();
  const index = await openSemanticIndex({
    encoder,
    dimensions: DIMENSIONS,
    logger: silentLogger(),
    deadlineMs: Number.POSITIVE_INFINITY,
    vectorFile: EVAL_VECTOR_FILE,
  });
  const texts = [...new Set(parts.flatMap((part) => [...part.sentences, part.whole, ...part.pairs]))];
  const vectors = await index.vectorsOf(texts);
  await index.idle();
  await encoder.close();
  const byText = new Map(texts.map((text, i) => [text, vectors[i] as Float32Array]));
  const rowsOf = (rows: Float32Array[]): PartVectors => {
    const values = new Float32Array(rows.length * DIMENSIONS);
    rows.forEach((row, i) => values.set(row, i * DIMENSIONS));
    return { values, scales: new Float32Array(rows.length).fill(1) };
  };
  const mean = (rows: Float32Array[]): Float32Array => {
    const sum = new Float32Array(DIMENSIONS);
    for (const row of rows)
      for (let i = 0; i < DIMENSIONS; i++) sum[i] = (sum[i] as number) + (row[i] as number);
    const norm = Math.hypot(...sum) || 1;
    return sum.map((value) => value / norm);
  };
  const result = new Map<Variant, Map<string, PartVectors>>(VARIANTS.map((variant) => [variant, new Map()]));
  for (const part of parts) {
    const sentences = part.sentences.map((text) => byText.get(text) as Float32Array);
    const whole = byText.get(part.whole) as Float32Array;
    const pairs = part.pairs.map((text) => byText.get(text) as Float32Array);
    result.get('sentences')?.set(part.key, rowsOf(sentences));
    result.get('part')?.set(part.key, rowsOf([whole]));
    result.get('mean')?.set(part.key, rowsOf(sentences.length === 0 ? [] : [mean(sentences)]));
    result.get('sentences+part')?.set(part.key, rowsOf([...sentences, whole]));
    result.get('sentences+pairs')?.set(part.key, rowsOf([...sentences, ...pairs]));
  }
  return result;
}

const withParts =
  (lookup: SemanticLookup, parts: ReadonlyMap<string, PartVectors>): SemanticLookup =>
  (question): SemanticInput | undefined => {
    const input = lookup(question);
    return input === undefined ? undefined : { question: input.question, parts };
  };

const WEIGHTS = [2, 4, 6];
const f3 = (value: number) => value.toFixed(3);

const own = await openOwnTuneHalf();
const ownVariants = await partVectors(own.documents);
for (const variant of VARIANTS) {
  for (const semanticWeight of WEIGHTS) {
    const engine = withSemantic(
      withGlossary(new SearchEngine({ semanticWeight }), own.glossary),
      withParts(own.lookup, ownVariants.get(variant) as Map<string, PartVectors>),
    );
    const f = ownTuneFigures(runOwnSet(engine, indexDocuments(engine, own.documents), own.questions));
    process.stdout.write(
      `own tune | ${variant} | w ${semanticWeight} | para R@3 ${f3(f.paraphraseR3)} | ans R@3 ${f3(f.answerableR3)} | ans R@1 ${f3(f.answerableR1)} | false abst ${f3(f.falseAbstention)} | unans abst ${f3(f.unanswerableAbstention)}\n`,
    );
  }
}

if (values.squad) {
  const set = loadSquad(DEFAULT_SQUAD_PATH);
  const squadDocuments = set.articles.map(squadDocument);
  const tune = set.questions.filter((question) => halfOf(question.article) === 'tune');
  const squadLookup = await prepareSemantic(
    squadDocuments,
    tune.map((question) => question.question),
  );
  const squadVariants = await partVectors(squadDocuments);
  for (const variant of VARIANTS) {
    for (const semanticWeight of WEIGHTS) {
      const parts = squadVariants.get(variant) as Map<string, PartVectors>;
      const run = runEngine(set, tune, () =>
        withSemantic(new SearchEngine({ semanticWeight }), withParts(squadLookup, parts)),
      );
      const row = squadRow('tune', run, tune);
      process.stdout.write(
        `squad tune | ${variant} | w ${semanticWeight} | R@1 ${row.r1.toFixed(3)} | R@5 ${row.r5.toFixed(3)} | MRR@10 ${row.mrr10.toFixed(3)} | false abst ${row.falseAbstention.toFixed(3)}\n`,
      );
    }
  }
}
