/** Our engine (src/core's SearchEngine, and the Library for the add path) behind the benchmark's interface. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchEngine, SHIPPED_SCOPE, guildScope, type SourceDocument } from '../../src/core/index.ts';
import { snapshotJson, type EngineSnapshot } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { writeCorpusFolder, type BenchCorpus, type BenchDocument } from '../corpus.ts';
import type { BenchEngine, EngineFactory, LargeAddPath } from './types.ts';

/** A bench document as the engine takes it (shared with heap.ts, so both measure the same input). */
export function sourceDocument(document: BenchDocument): SourceDocument {
  return {
    meta: {
      id: document.id,
      title: document.title,
      publisher: 'SQuAD v1.1 dev (Wikipedia)',
      date: '',
      dateEstimated: false,
      url: '',
      language: 'en',
      scope: SHIPPED_SCOPE,
    },
    text: document.text,
  };
}

class OursEngine implements BenchEngine {
  readonly engine: SearchEngine;

  constructor(engine: SearchEngine) {
    this.engine = engine;
  }

  build(corpus: BenchCorpus): void {
    for (const document of corpus.documents) this.engine.add(sourceDocument(document));
    // Part of building, as in the Library: the postings packed as a snapshot load leaves them.
    this.engine.compact();
  }

  get entries(): number {
    return this.engine.paragraphCount;
  }

  ask(question: string): number {
    return this.engine.ask(question).passages.length;
  }

  // As the Library writes it (ASCII JSON, see snapshotJson).
  readonly saveSnapshot = (): string => snapshotJson(this.engine.toSnapshot());
}

export const oursFactory: EngineFactory = {
  create: () => new OursEngine(new SearchEngine()),
  loadSnapshot: (serialized: string, corpus: BenchCorpus) =>
    new OursEngine(
      SearchEngine.fromSnapshot(
        JSON.parse(serialized) as EngineSnapshot,
        corpus.documents.map(sourceDocument),
      ),
    ),
};

/**
 * The Library's add path (src/library.ts), as the bot and the terminal add a document: `add` is async
 * (it stores the file first), then indexes. The Library indexes the 2k corpus as its corpus folder.
 */
export function oursLargeAddPath(): LargeAddPath {
  const root = mkdtempSync(join(tmpdir(), 'verbatim-bench-'));
  const scope = guildScope('100000000000000001');
  let library: Library | undefined;
  const open = (): Library => {
    if (!library) throw new Error('prepare() first');
    return library;
  };
  return {
    description:
      'ours: Library.add with a text source (openLibrary over the 2k corpus as its corpus folder, temp dataDir), ' +
      'queries through Library.ask',
    prepare: async (corpus) => {
      writeCorpusFolder(corpus, join(root, 'corpus'));
      library = await openLibrary({
        corpusFolder: join(root, 'corpus'),
        dataDir: join(root, 'data'),
        logger: silentLogger(),
      });
    },
    ask: async (question) => (await open().ask(question, { scope })).passages.length,
    add: async (text) => {
      await open().add({
        scope,
        source: { kind: 'text', text },
        title: 'A large generated document',
        actor: { userId: '100000000000000002', userName: 'bench' },
      });
    },
    close: async () => {
      await library?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
