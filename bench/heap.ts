/**
 * Where the engine's memory goes: builds our engine over a bench corpus, writes a V8 heap snapshot to a
 * temporary folder and prints the retained heap grouped by kind of object (largest first). A diagnostic
 * for the memory figures of docs/performance.md, not part of `npm run bench`:
 *
 *     node --expose-gc --import tsx bench/heap.ts [size] [--no-compact] [--usage-only]
 *
 * Default size 20k; at 100k the heap snapshot needs ~4 GB, `--usage-only` prints process.memoryUsage()
 * (text only, built, compacted) and stops there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { SearchEngine } from '../src/core/index.ts';
import { ensureCorpus, loadCorpus, parseSize } from './corpus.ts';
import { sourceDocument } from './engines/ours.ts';

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const size = parseSize(process.argv[2] ?? '20k');
ensureCorpus(size);
const corpus = loadCorpus(size);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
/** process.memoryUsage() after two forced GCs, as the benchmark measures it. */
function printUsage(label: string): void {
  gc();
  gc();
  const usage = process.memoryUsage();
  console.log(
    `${label}: RSS ${megabytes(usage.rss)}, heap ${megabytes(usage.heapUsed)} used of ${megabytes(usage.heapTotal)}, ` +
      `array buffers ${megabytes(usage.arrayBuffers)}`,
  );
}
printUsage('corpus text only');
const engine = new SearchEngine();
for (const document of corpus.documents) {
  engine.add(sourceDocument(document));
}
printUsage('built');
if (!process.argv.includes('--no-compact')) {
  const started = performance.now();
  engine.compact();
  printUsage(`compacted in ${Math.round(performance.now() - started)} ms`);
}
if (process.argv.includes('--usage-only')) process.exit(0);
const dir = mkdtempSync(join(tmpdir(), 'verbatim-heap-'));
try {
  const file = writeHeapSnapshot(join(dir, 'engine.heapsnapshot'));
  const heap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [
    number,
    number,
    number,
  ];
  const groups = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt] as number] as string;
    const name = type.includes('string') ? '' : (heap.strings[heap.nodes[i + nameAt] as number] ?? '');
    const key = type.includes('string') ? 'strings' : `${type} ${name.slice(0, 40)}`.trim();
    const bytes = heap.nodes[i + sizeAt] as number;
    const group = groups.get(key) ?? { bytes: 0, count: 0 };
    group.bytes += bytes;
    group.count += 1;
    groups.set(key, group);
    total += bytes;
  }
  console.log(
    `${size.label}: ${engine.paragraphCount.toLocaleString('en')} paragraphs, ${(corpus.characters / 1e6).toFixed(1)} M characters of text; heap snapshot total ${(total / 1e6).toFixed(1)} MB`,
  );
  for (const [key, group] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)) {
    console.log(
      `${(group.bytes / 1e6).toFixed(1).padStart(8)} MB  ${group.count.toLocaleString('en').padStart(10)}  ${key}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
