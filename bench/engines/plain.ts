/** Plain MiniSearch as a user would start with it: default options, one field `text`, one entry per paragraph. */
import MiniSearch from 'minisearch';
import { paragraphsOf, type BenchCorpus } from '../corpus.ts';
import type { BenchEngine, EngineFactory, LargeAddPath } from './types.ts';

interface Entry {
  id: number;
  text: string;
}

const OPTIONS = { fields: ['text'] };
const TOP = 3;

class PlainEngine implements BenchEngine {
  readonly index: MiniSearch<Entry>;
  /** The paragraph texts by id: plain MiniSearch stores no fields, so the caller keeps what it quotes. */
  readonly paragraphs: string[] = [];

  constructor(index = new MiniSearch<Entry>(OPTIONS)) {
    this.index = index;
  }

  build(corpus: BenchCorpus): void {
    this.index.addAll(this.entriesOf(corpus));
  }

  entriesOf(corpus: BenchCorpus): Entry[] {
    const entries: Entry[] = [];
    for (const document of corpus.documents) {
      for (const text of paragraphsOf(document.text)) {
        entries.push({ id: this.paragraphs.length, text });
        this.paragraphs.push(text);
      }
    }
    return entries;
  }

  get entries(): number {
    return this.index.documentCount;
  }

  ask(question: string): number {
    const passages = this.index
      .search(question)
      .slice(0, TOP)
      .map((result) => ({
        text: this.paragraphs[result.id as number],
        score: result.score,
        terms: result.terms,
      }));
    return passages.length;
  }

  readonly saveSnapshot = (): string => JSON.stringify(this.index);
}

export const plainFactory: EngineFactory = {
  create: () => new PlainEngine(),
  loadSnapshot(serialized, corpus) {
    const engine = new PlainEngine(MiniSearch.loadJSON<Entry>(serialized, OPTIONS));
    // The snapshot holds the index only; the texts to quote come from the corpus, as they would in an app.
    engine.entriesOf(corpus);
    return engine;
  },
};

/** Plain MiniSearch's async add path: addAllAsync yields to the event loop between chunks of 10 entries. */
export function plainLargeAddPath(): LargeAddPath {
  const engine = new PlainEngine();
  let nextId = 0;
  return {
    description:
      'plain: MiniSearch addAllAsync (default chunks of 10 paragraphs, setTimeout 0 between chunks)',
    prepare: async (corpus) => {
      engine.build(corpus);
      nextId = engine.paragraphs.length;
    },
    ask: (question) => engine.ask(question),
    add: async (text) => {
      const entries = paragraphsOf(text).map((paragraph) => ({ id: nextId++, text: paragraph }));
      for (const entry of entries) engine.paragraphs.push(entry.text);
      await engine.index.addAllAsync(entries);
    },
    close: async () => {},
  };
}
