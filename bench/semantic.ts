/**
 * `npm run bench -- --only semantic`: what the semantic stage costs (issue 13), measured in a fresh child
 * process (bench/semantic-child.ts) and printed as a table with ratios against plain MiniSearch in the same
 * run, plus what 100,000 paragraphs would cost, extrapolated from the measured rates.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SearchEngine } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadSquad } from '../src/eval/load.ts';
import { EVAL_VECTOR_FILE } from '../src/eval/semantic.ts';
import { squadDocument } from '../src/eval/squad.ts';
import { DIMENSIONS, vectorFileName } from '../src/semantic/model.ts';
import { partTextsOf, sentenceKey } from '../src/semantic/sentences.ts';
import { readVectorFile, VectorFileWriter } from '../src/semantic/vector-file.ts';
import { VectorStore, type StoredVector } from '../src/semantic/vector-store.ts';

export interface SemanticFigures {
  questions: number;
  loadMs: number;
  encodeP50: number;
  encodeP99: number;
  semanticAskP50: number;
  semanticAskP99: number;
  lexicalAskP50: number;
  scanAskP50: number;
  plainSearchP50: number;
  rssLexical: number;
  rssModel: number;
  rssVectors: number;
  squadParts: number;
  squadSentences: number;
  shippedParts: number;
  shippedSentences: number;
  shippedMs: number;
  recordBytes: number;
}

const CHILD = fileURLToPath(new URL('./semantic-child.ts', import.meta.url));
/** The 2k corpus's sentence vectors and nothing else: what the bot's vector file would hold for it. */
const VECTOR_FILE = fileURLToPath(new URL(`./data/semantic-2k/${vectorFileName()}`, import.meta.url));

/**
 * Writes the bench's vector file from the evaluation's cache unless it holds the 2k corpus's texts in order (the
 * cache also holds every SQuAD question's vector, which the bot never stores), in part order, as the bot
 * appends them: a part's rows are then consecutive and held once. The child encodes whatever is missing.
 */
async function seedVectorFile(): Promise<void> {
  if (!existsSync(EVAL_VECTOR_FILE)) return;
  const engine = new SearchEngine();
  const keys = new Set<string>();
  for (const document of loadSquad(DEFAULT_SQUAD_PATH).articles.map(squadDocument)) {
    for (const paragraph of engine.add(document))
      for (const text of partTextsOf(document.text.slice(paragraph.start, paragraph.end)).texts)
        keys.add(sentenceKey(text));
  }
  const { slab } = await readVectorFile(VECTOR_FILE, DIMENSIONS);
  const wanted = [...keys];
  if (slab.keys.length === wanted.length && slab.keys.every((key, i) => key === wanted[i])) return;
  const held = new VectorStore(DIMENSIONS);
  held.add(slab);
  const cache = new VectorStore(DIMENSIONS);
  cache.add((await readVectorFile(EVAL_VECTOR_FILE, DIMENSIONS)).slab);
  const records: Array<[string, StoredVector]> = [];
  for (const key of keys) {
    const vector = held.get(key) ?? cache.get(key);
    if (vector !== undefined) records.push([key, vector]);
  }
  const fresh = `${VECTOR_FILE}.new`;
  await rm(fresh, { force: true });
  await new VectorFileWriter(fresh, DIMENSIONS).append(records);
  await rename(fresh, VECTOR_FILE);
}

export async function measureSemantic(quick: boolean): Promise<SemanticFigures> {
  await seedVectorFile();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, String(quick ? 100 : 500), VECTOR_FILE],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`the semantic bench child exited with ${code}`));
      else resolve(JSON.parse(output) as SemanticFigures);
    });
  });
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function formatSemantic(figures: SemanticFigures): string {
  const f = figures;
  const wholeP50 = f.encodeP50 + f.semanticAskP50;
  const sentencesPerPart = f.squadSentences / Math.max(1, f.squadParts);
  const partsPerSecond = f.shippedParts / (f.shippedMs / 1000);
  const vectorsPerSecond = f.shippedSentences / (f.shippedMs / 1000);
  const hundredK = 100_000;
  // Measured, not the record's size: the keys and the index around the values cost as much again.
  const bytesPerVector = (f.rssVectors - f.rssModel) / Math.max(1, f.squadSentences);
  const rows: Array<[string, string]> = [
    ['questions timed (SQuAD dev, evenly sampled)', String(f.questions)],
    ['model load in the worker (with its first inference)', ms(f.loadMs)],
    ['encode one question in the worker, p50 / p99', `${ms(f.encodeP50)} / ${ms(f.encodeP99)}`],
    [
      'core ask with the semantic stage (vectors given), p50 / p99',
      `${ms(f.semanticAskP50)} / ${ms(f.semanticAskP99)}`,
    ],
    ['core ask lexical only, p50', ms(f.lexicalAskP50)],
    [
      'core ask scanning every part (all 2k parts, forced), p50; per 500 parts',
      `${ms(f.scanAskP50)}; ${ms(((f.scanAskP50 - f.semanticAskP50) * 500) / Math.max(1, f.squadParts))}`,
    ],
    ['plain MiniSearch search, p50', ms(f.plainSearchP50)],
    [
      'whole ask with the semantic stage (encode + core), p50, vs plain MiniSearch',
      `${ms(wholeP50)} = ${(wholeP50 / f.plainSearchP50).toFixed(2)}×`,
    ],
    ['lexical ask p50 vs plain MiniSearch', `${(f.lexicalAskP50 / f.plainSearchP50).toFixed(2)}×`],
    [
      'resident memory: lexical on 2k / + model / + 2k vectors',
      `${mib(f.rssLexical)} / ${mib(f.rssModel)} / ${mib(f.rssVectors)} (${(f.rssVectors / f.rssLexical).toFixed(2)}× lexical)`,
    ],
    [
      '2k corpus: parts, vectors of sentences and whole parts (per part)',
      `${f.squadParts}, ${f.squadSentences} (${sentencesPerPart.toFixed(1)})`,
    ],
    [
      'shipped corpus vectored from nothing: parts, vectors, time',
      `${f.shippedParts}, ${f.shippedSentences}, ${(f.shippedMs / 1000).toFixed(1)} s (${partsPerSecond.toFixed(1)} parts/s, ${vectorsPerSecond.toFixed(1)} vectors/s)`,
    ],
    [
      'resident memory per 2k vector (record on disk)',
      `${bytesPerVector.toFixed(0)} bytes (${f.recordBytes} bytes)`,
    ],
    [
      '100,000 paragraphs, extrapolated: encode time, disk, vectors in memory',
      `${(hundredK / partsPerSecond / 3600).toFixed(1)} h, ${mib(hundredK * sentencesPerPart * f.recordBytes)}, ${mib(hundredK * sentencesPerPart * bytesPerVector)}`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Semantic stage (Universal Sentence Encoder lite, int8 vectors of sentences and whole parts), one child process:',
    ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
  ].join('\n');
}
