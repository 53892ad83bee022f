/**
 * `npm run bench -- --only semantic`: what the semantic stage costs (issue 13), measured in a fresh child
 * process (bench/semantic-child.ts) and printed as a table with ratios against plain MiniSearch in the same
 * run, plus what 100,000 paragraphs would cost, extrapolated from the measured rates.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

export function measureSemantic(quick: boolean): Promise<SemanticFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, String(quick ? 100 : 500)],
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
  const sentencesPerSecond = f.shippedSentences / (f.shippedMs / 1000);
  const hundredK = 100_000;
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
      'resident memory: lexical on 2k / + model / + 2k sentence vectors',
      `${mib(f.rssLexical)} / ${mib(f.rssModel)} / ${mib(f.rssVectors)} (${(f.rssVectors / f.rssLexical).toFixed(2)}× lexical)`,
    ],
    [
      '2k corpus: parts, sentences (per part)',
      `${f.squadParts}, ${f.squadSentences} (${sentencesPerPart.toFixed(1)})`,
    ],
    [
      'shipped corpus vectored from nothing: parts, sentences, time',
      `${f.shippedParts}, ${f.shippedSentences}, ${(f.shippedMs / 1000).toFixed(1)} s (${partsPerSecond.toFixed(1)} parts/s, ${sentencesPerSecond.toFixed(1)} sentences/s)`,
    ],
    [
      '100,000 paragraphs, extrapolated: encode time, disk, vectors in memory',
      `${(hundredK / partsPerSecond / 3600).toFixed(1)} h, ${mib(hundredK * sentencesPerPart * f.recordBytes)}, ${mib(hundredK * sentencesPerPart * (f.recordBytes - 32))}`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Semantic stage (Universal Sentence Encoder lite, int8 sentence vectors), one child process:',
    ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
  ].join('\n');
}
