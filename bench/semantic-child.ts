/**
 * The semantic stage's cost, measured in a fresh process (started by bench/semantic.ts with --expose-gc,
 * one JSON object on stdout): resident memory before and after the model loads, encoding a question in
 * the worker, the whole ask with and without the semantic stage against plain MiniSearch's search on the
 * same SQuAD dev paragraphs, and encoding the shipped corpus from nothing.
 */
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { SearchEngine, type SemanticInput } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadSquad } from '../src/eval/load.ts';
import { squadDocument } from '../src/eval/squad.ts';
import { silentLogger } from '../src/log.ts';
import { startWorkerEncoder } from '../src/semantic/encoder.ts';
import { DIMENSIONS } from '../src/semantic/model.ts';
import { openSemanticIndex } from '../src/semantic/semantic-index.ts';
import { recordBytes } from '../src/semantic/vector-file.ts';
import { loadShippedCorpus } from '../src/store/corpus.ts';

const QUESTIONS = Number(process.argv[2] ?? 500);
/** The 2k corpus's sentence vectors alone (bench/semantic.ts seeds it), as the bot's vector file holds them. */
const VECTOR_FILE = process.argv[3] as string;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
// Resident memory once V8 has given freed pages back: read right after one gc() it still counted ~110 MiB
// of the lexical heap's garbage on some runs and not on others (327 against 219 MiB, same code).
const rss = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return process.memoryUsage().rss;
};
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const timeEach = (items: readonly string[], work: (item: string) => unknown): number[] =>
  items.map((item) => {
    const started = performance.now();
    work(item);
    return performance.now() - started;
  });

const set = loadSquad(DEFAULT_SQUAD_PATH);
const documents = set.articles.map(squadDocument);
const questions = set.questions
  .filter((_, i) => i % Math.floor(set.questions.length / QUESTIONS) === 0)
  .slice(0, QUESTIONS);
const texts = questions.map((question) => question.question);

// Lexical: ours and plain MiniSearch, same paragraphs, same questions.
const engine = new SearchEngine();
const paragraphs = documents.map((document) => engine.add(document));
const plain = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
plain.addAll(
  set.articles.flatMap((article) =>
    article.contexts.map((text, i) => ({ id: `${article.index}/${i}`, text })),
  ),
);
for (const text of texts.slice(0, 100)) {
  engine.ask(text);
  plain.search(text);
}
const rssLexical = await rss();

// The model in its worker, and each question encoded on its own (as /ask does).
const loadStarted = performance.now();
const encoder = startWorkerEncoder();
await encoder.ready;
const loadMs = performance.now() - loadStarted;
const encodeMs: number[] = [];
const questionVectors = new Map<string, Float32Array>();
for (const text of texts) {
  const started = performance.now();
  const [vector] = await encoder.encode([text], { urgent: true });
  encodeMs.push(performance.now() - started);
  if (vector !== undefined) questionVectors.set(text, vector);
}
const rssModel = await rss();

// Every SQuAD part's sentence vectors, read from a vector file at start as the bot reads its own (encoded
// and appended if missing), with the same encoder: the bot runs one.
const vectorIndex = await openSemanticIndex({
  encoder,
  dimensions: DIMENSIONS,
  logger: silentLogger(),
  deadlineMs: Number.POSITIVE_INFINITY,
  batchSize: 32,
  vectorFile: VECTOR_FILE,
});
documents.forEach((document, i) => vectorIndex.track(document, paragraphs[i] ?? []));
await vectorIndex.idle();
const rssVectors = await rss();
const lookup = (question: string): SemanticInput | undefined => {
  const vector = questionVectors.get(question);
  return vector === undefined ? undefined : { question: vector, parts: vectorIndex.parts };
};
const semanticAsk = timeEach(texts, (text) => {
  const semantic = lookup(text);
  return engine.ask(text, semantic === undefined ? {} : { semantic });
});
const lexicalAsk = timeEach(texts, (text) => engine.ask(text));
// The small-scope path forced on all 2,139 parts: what scanning costs per part, to set semanticScanLimit.
const scanning = new SearchEngine({ semanticScanLimit: 1_000_000 });
for (const document of documents) scanning.add(document);
const scanAsk = timeEach(texts.slice(0, 100), (text) => {
  const semantic = lookup(text);
  return scanning.ask(text, semantic === undefined ? {} : { semantic });
});
const plainSearch = timeEach(texts, (text) => plain.search(text));
const parts = lookup(texts[0] as string)?.parts.size ?? 0;
let sentences = 0;
for (const vectors of lookup(texts[0] as string)?.parts.values() ?? []) sentences += vectors.scales.length;

// The shipped corpus encoded from nothing (no stored vectors), in the background batches the bot uses.
const shipped = await loadShippedCorpus();
const index = await openSemanticIndex({
  encoder,
  dimensions: DIMENSIONS,
  logger: silentLogger(),
  deadlineMs: 1000,
});
const indexEngine = new SearchEngine();
const encodeStarted = performance.now();
for (const document of shipped) index.track(document, indexEngine.add(document));
await index.idle();
const shippedMs = performance.now() - encodeStarted;
await encoder.close();

process.stdout.write(
  `${JSON.stringify({
    questions: texts.length,
    loadMs,
    encodeP50: percentile(encodeMs, 50),
    encodeP99: percentile(encodeMs, 99),
    semanticAskP50: percentile(semanticAsk, 50),
    semanticAskP99: percentile(semanticAsk, 99),
    lexicalAskP50: percentile(lexicalAsk, 50),
    scanAskP50: percentile(scanAsk, 50),
    plainSearchP50: percentile(plainSearch, 50),
    rssLexical,
    rssModel,
    rssVectors,
    squadParts: parts,
    squadSentences: sentences,
    shippedParts: indexEngine.paragraphCount,
    shippedSentences: index.encodedSentences,
    shippedMs,
    recordBytes: recordBytes(DIMENSIONS),
  })}\n`,
);
