/**
 * The glossaries the library applies to questions: the shipped corpus's list (every scope) and each
 * server's own (from the database), compiled by the engine's analyzer once and kept until this process
 * changes them. A server's glossary is changed only by the process serving that server (its shard), so
 * the cache cannot go stale behind its back.
 */
import type { GlossaryEntry, GlossaryRule, Scope, SearchEngine } from './core/index.ts';
import { SHIPPED_SCOPE, VerbatimError } from './core/index.ts';
import type { Logger } from './log.ts';
import type { Actor } from './store/db/index.ts';
import type { GlossaryStore } from './store/db/glossary.ts';
import { guildIdOfScope } from './store/guild-store.ts';

export class GlossaryService {
  readonly #engine: SearchEngine;
  readonly #store: GlossaryStore | undefined;
  readonly #shipped: readonly GlossaryEntry[];
  readonly #shippedRules: readonly GlossaryRule[];
  readonly #logger: Logger;
  /** Per server scope, its rules plus the shipped ones (a promise, so concurrent questions read once). */
  readonly #rules = new Map<Scope, Promise<readonly GlossaryRule[]>>();

  constructor(
    engine: SearchEngine,
    store: GlossaryStore | undefined,
    shipped: readonly GlossaryEntry[],
    logger: Logger,
  ) {
    this.#engine = engine;
    this.#logger = logger;
    this.#store = store;
    this.#shipped = shipped;
    this.#shippedRules = engine.compileGlossary(shipped);
  }

  /** The shipped corpus's entries. */
  get shipped(): readonly GlossaryEntry[] {
    return this.#shipped;
  }

  /** The rules for a question asked in `scope`: the server's entries, then the shipped corpus's. */
  rulesFor(scope: Scope | undefined): Promise<readonly GlossaryRule[]> {
    const store = this.#store;
    if (scope === undefined || scope === SHIPPED_SCOPE || store === undefined)
      return Promise.resolve(this.#shippedRules);
    let rules = this.#rules.get(scope);
    if (rules === undefined) {
      rules = store.list(scope).then(
        (entries) => [...this.#engine.compileGlossary(entries), ...this.#shippedRules],
        (error: unknown) => {
          // The question is still answered, without the server's entries; the next one reads again.
          this.#logger.warn(
            { scope, err: error },
            "Could not read the server's glossary; answering without it",
          );
          this.#rules.delete(scope);
          return this.#shippedRules;
        },
      );
      this.#rules.set(scope, rules);
    }
    return rules;
  }

  /** The server's own entries (not the shipped ones), sorted by term. */
  list(scope: Scope): Promise<GlossaryEntry[]> {
    return this.#storeFor(scope).list(scope);
  }

  /** Checks, stores and applies an entry; returns it as stored (normalised). */
  async add(scope: Scope, entry: GlossaryEntry, actor: Actor): Promise<GlossaryEntry> {
    const store = this.#storeFor(scope);
    const checked = this.#engine.checkGlossaryEntry(entry);
    try {
      await store.add(scope, checked, actor);
    } finally {
      this.#rules.delete(scope);
    }
    return checked;
  }

  /** Removes the entries of `term` (see GlossaryStore.remove); returns them. */
  async remove(scope: Scope, term: string, means?: string): Promise<GlossaryEntry[]> {
    const store = this.#storeFor(scope);
    try {
      return await store.remove(scope, term, means);
    } finally {
      this.#rules.delete(scope);
    }
  }

  /** Drops what is remembered of a server whose entries were erased (it was left 30 days ago). */
  forget(scope: Scope): void {
    this.#rules.delete(scope);
  }

  #storeFor(scope: Scope): GlossaryStore {
    if (guildIdOfScope(scope) === undefined)
      throw new VerbatimError(
        'BAD_OPTION',
        `"${scope}" is not a server's scope; only servers have a glossary.`,
      );
    if (this.#store === undefined)
      throw new VerbatimError(
        'BAD_OPTION',
        'The glossary cannot be changed here: no data directory is configured (set DATA_DIR).',
      );
    return this.#store;
  }
}
