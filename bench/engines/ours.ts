/** Our engine (src/core's SearchEngine, and the Library for the add path) behind the benchmark's interface. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchEngine, SHIPPED_SCOPE, guildScope, type SourceDocument } from '../../src/core/index.ts';
import { snapshotJson, type EngineSnapshot } from '../../src/core/snapshot.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { writeCorpusFolder, type BenchCorpus, type BenchDocument } from '../corpus.ts';
import type { BenchEngine, EngineFactory, LargeAddPath } from './types.ts';

/**
 * The engine's snapshot methods (`toSnapshot`, static `fromSnapshot`), looked up at run time so that the
 * benchmark also runs against an engine without them (the snapshot rows then read n/a).
 */
interface SnapshotCapable {
  toSnapshot?: () => unknown;
}
type FromSnapshot = (snapshot: never, documents: readonly SourceDocument[]) => SearchEngine;

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
    // Part of building: the postings packed as a snapshot load leaves them (looked up, like the snapshot
    // methods, so the benchmark also runs against an engine without it).
    (this.engine as { compact?: () => void }).compact?.();
  }

  get entries(): number {
    return this.engine.paragraphCount;
  }

  ask(question: string): number {
    return this.engine.ask(question).passages.length;
  }

  get saveSnapshot(): (() => string) | undefined {
    const toSnapshot = (this.engine as SnapshotCapable).toSnapshot?.bind(this.engine);
    if (!toSnapshot) return undefined;
    return () => {
      const snapshot = toSnapshot();
      // As the Library writes it (ASCII JSON, see snapshotJson).
      return typeof snapshot === 'string' ? snapshot : snapshotJson(snapshot as EngineSnapshot);
    };
  }
}

function fromSnapshot(): FromSnapshot | undefined {
  const method = (SearchEngine as unknown as { fromSnapshot?: FromSnapshot }).fromSnapshot;
  return method?.bind(SearchEngine);
}

export const oursFactory: EngineFactory = {
  create: () => new OursEngine(new SearchEngine()),
  get loadSnapshot() {
    const load = fromSnapshot();
    const toSnapshot = (new SearchEngine() as SnapshotCapable).toSnapshot;
    if (!load || !toSnapshot) return undefined;
    // Hand fromSnapshot back the kind of value toSnapshot gave (a string, or an object saved as JSON).
    const savesStrings = typeof toSnapshot.call(new SearchEngine()) === 'string';
    return (serialized: string, corpus: BenchCorpus) =>
      new OursEngine(
        load(
          (savesStrings ? serialized : JSON.parse(serialized)) as never,
          corpus.documents.map(sourceDocument),
        ),
      );
  },
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
    ask: (question) => open().ask(question, { scope }).passages.length,
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
