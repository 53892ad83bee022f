/**
 * Reading what is indexed: the documents visible from a scope and their summaries, one document's
 * paragraphs around a passage, and the counts `/healthz` and the terminal show. The engine is the one
 * registry; a server whose index is not in memory starts loading and its reads say "still loading".
 */
import type { DocumentSummary, LibraryStats } from './library-api.ts';
import { MAX_AROUND_RADIUS } from './library-api.ts';
import { type Entry } from './library-context.ts';
import { paragraphCountOf, SHIPPED_SCOPE, VerbatimError, userError } from './core/index.ts';
import type { Paragraph, Passage, Scope, SourceDocument, SearchEngine } from './core/index.ts';
import type { ServerIndexes } from './store/index-cache.ts';

export class DocumentReads {
  readonly #engine: SearchEngine;
  readonly #servers: ServerIndexes;
  /** Each indexed document's summary, made the first time it is asked for. */
  readonly #summaries = new WeakMap<SourceDocument, DocumentSummary>();

  constructor(engine: SearchEngine, servers: ServerIndexes) {
    this.#engine = engine;
    this.#servers = servers;
  }

  stats(): LibraryStats {
    const stats: LibraryStats = {
      shipped: { documents: 0, paragraphs: 0 },
      servers: { scopes: 0, documents: 0, paragraphs: 0 },
    };
    const scopes = new Set<Scope>();
    for (const document of this.#engine.allDocuments()) {
      const { scope } = document.meta;
      const counts = scope === SHIPPED_SCOPE ? stats.shipped : stats.servers;
      if (scope !== SHIPPED_SCOPE) scopes.add(scope);
      counts.documents += 1;
      counts.paragraphs += this.summaryOf(document).paragraphs;
    }
    stats.servers.scopes = scopes.size;
    return stats;
  }

  list(scope?: Scope): DocumentSummary[] {
    const shipped = this.#engine.documentsIn(SHIPPED_SCOPE).map((document) => this.summaryOf(document));
    if (scope === undefined || scope === SHIPPED_SCOPE) return shipped;
    this.assertLoaded(scope);
    const own = this.#engine
      .documentsIn(scope)
      .map((document) => this.summaryOf(document))
      .sort(
        (a, b) =>
          (a.meta.added?.at ?? '').localeCompare(b.meta.added?.at ?? '') ||
          a.meta.title.localeCompare(b.meta.title),
      );
    return [...shipped, ...own];
  }

  describe(id: string, scope?: Scope): DocumentSummary {
    return this.find(id, scope).summary;
  }

  around(id: string, paragraph: number, radius: number, scope?: Scope): Passage[] {
    const { document, summary } = this.find(id, scope);
    const count = summary.paragraphs;
    if (!Number.isInteger(paragraph) || paragraph < 1 || paragraph > count) {
      throw new VerbatimError(
        'BAD_OPTION',
        `"${document.meta.title}" has paragraphs 1 to ${count}; there is no paragraph ${paragraph}.`,
      );
    }
    if (!Number.isInteger(radius) || radius < 0 || radius > MAX_AROUND_RADIUS) {
      throw new VerbatimError(
        'BAD_OPTION',
        `Show 0 to ${MAX_AROUND_RADIUS} paragraphs around a passage, not ${radius}.`,
      );
    }
    const passages: Passage[] = [];
    for (
      let number = Math.max(1, paragraph - radius);
      number <= Math.min(count, paragraph + radius);
      number += 1
    ) {
      const passage = this.#engine.passage(document.meta.scope, id, number);
      if (passage !== undefined) passages.push(passage);
    }
    return passages;
  }

  /** The engine's document (scope, id) with its summary; undefined when it has none. */
  entry(scope: Scope, id: string): Entry | undefined {
    const document = this.#engine.document(scope, id);
    return document === undefined ? undefined : { document, summary: this.summaryOf(document) };
  }

  summaryOf(document: SourceDocument): DocumentSummary {
    let summary = this.#summaries.get(document);
    if (summary === undefined) {
      summary = summarise(document, this.#engine.paragraphs(document.meta.scope, document.meta.id));
      this.#summaries.set(document, summary);
    }
    return summary;
  }

  /** A document visible from `scope`: the shipped corpus first, then the scope's own. */
  find(id: string, scope: Scope | undefined): Entry {
    const entry = this.entry(SHIPPED_SCOPE, id) ?? (scope === undefined ? undefined : this.entry(scope, id));
    if (entry === undefined) {
      if (scope !== undefined) this.assertLoaded(scope);
      throw userError('UNKNOWN_DOCUMENT', { id });
    }
    return entry;
  }

  /** For reads that cannot wait: a server whose index is not in memory starts loading and is refused. */
  assertLoaded(scope: Scope): void {
    if (!this.#servers.ready(scope)) throw userError('STILL_LOADING');
  }

  /** A document of the scope itself, for update and remove; the shipped corpus is read-only. */
  ownEntry(scope: Scope, id: string): Entry {
    const entry = this.entry(scope, id);
    if (entry !== undefined) return entry;
    if (this.#engine.has(SHIPPED_SCOPE, id)) throw userError('READ_ONLY_DOCUMENT', { id });
    throw userError('UNKNOWN_DOCUMENT', { id });
  }
}

function summarise(document: SourceDocument, paragraphs: readonly Paragraph[]): DocumentSummary {
  const sections: string[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.section !== '' && sections[sections.length - 1] !== paragraph.section)
      sections.push(paragraph.section);
  }
  return {
    meta: document.meta,
    paragraphs: paragraphCountOf(paragraphs),
    characters: document.text.length,
    sections: [...new Set(sections)],
  };
}
