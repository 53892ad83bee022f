/**
 * Servers' glossaries in the database (table `glossary`, migration 0040). Entries arrive checked
 * (`SearchEngine.checkGlossaryEntry`); here they are bounded per server and kept unique, each change in
 * one transaction that first takes the write turn, so two moderators adding at once cannot pass the
 * limit between them.
 */
import type { GlossaryEntry, Scope } from '../../core/index.ts';
import { MAX_GLOSSARY_ENTRIES, userError } from '../../core/index.ts';
import type { StoreDatabase } from './connect.ts';
import type { Actor } from './documents.ts';
import { takeWriteTurn } from './documents.ts';

/** A term's key: entries differing only in case are the same entry. */
const keyOf = (term: string): string => term.toLocaleLowerCase('en');

export class GlossaryStore {
  readonly #database: StoreDatabase;
  readonly #now: () => Date;

  constructor(database: StoreDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  /** The scope's entries, sorted by term then meaning (case-insensitively). */
  async list(scope: Scope): Promise<GlossaryEntry[]> {
    const rows = await this.#database.db
      .selectFrom('glossary')
      .select(['term', 'means', 'both_ways'])
      .where('scope', '=', scope)
      .orderBy('term_key')
      .orderBy('means_key')
      .execute();
    return rows.map((row) => ({ term: row.term, means: row.means, bothWays: row.both_ways === 1 }));
  }

  /** Throws VerbatimError GLOSSARY_DUPLICATE or GLOSSARY_FULL, leaving the glossary as it was. */
  async add(scope: Scope, entry: GlossaryEntry, actor: Actor): Promise<void> {
    await this.#database.db.transaction().execute(async (trx) => {
      await takeWriteTurn(trx);
      const existing = await trx
        .selectFrom('glossary')
        .select(['term_key', 'means_key'])
        .where('scope', '=', scope)
        .execute();
      const termKey = keyOf(entry.term);
      const meansKey = keyOf(entry.means);
      if (existing.some((row) => row.term_key === termKey && row.means_key === meansKey))
        throw userError('GLOSSARY_DUPLICATE', { term: entry.term, means: entry.means });
      if (existing.length >= MAX_GLOSSARY_ENTRIES)
        throw userError('GLOSSARY_FULL', { max: MAX_GLOSSARY_ENTRIES });
      await trx
        .insertInto('glossary')
        .values({
          scope,
          term_key: termKey,
          means_key: meansKey,
          term: entry.term,
          means: entry.means,
          both_ways: entry.bothWays ? 1 : 0,
          created_at: this.#now().toISOString(),
          actor_id: actor.userId,
          actor_name: actor.userName,
        })
        .execute();
    });
  }

  /**
   * Removes the entries whose term is `term` (whatever the case), and those both-ways entries that
   * mean it; with `means`, only the entry of that pair. Returns the entries removed; throws VerbatimError
   * UNKNOWN_GLOSSARY_TERM when there was none.
   */
  async remove(scope: Scope, term: string, means?: string): Promise<GlossaryEntry[]> {
    const termKey = keyOf(term);
    const meansKey = means === undefined ? undefined : keyOf(means);
    const removed = await this.#database.db.transaction().execute(async (trx) => {
      await takeWriteTurn(trx);
      const rows = await trx
        .selectFrom('glossary')
        .select(['term_key', 'means_key', 'term', 'means', 'both_ways'])
        .where('scope', '=', scope)
        .execute();
      const matching = rows.filter((row) =>
        meansKey === undefined
          ? row.term_key === termKey || (row.both_ways === 1 && row.means_key === termKey)
          : (row.term_key === termKey && row.means_key === meansKey) ||
            (row.both_ways === 1 && row.term_key === meansKey && row.means_key === termKey),
      );
      for (const row of matching)
        await trx
          .deleteFrom('glossary')
          .where('scope', '=', scope)
          .where('term_key', '=', row.term_key)
          .where('means_key', '=', row.means_key)
          .execute();
      return matching;
    });
    if (removed.length === 0) throw userError('UNKNOWN_GLOSSARY_TERM', { term });
    return removed.map((row) => ({ term: row.term, means: row.means, bothWays: row.both_ways === 1 }));
  }
}
