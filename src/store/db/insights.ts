/**
 * Insights in the database: each question asked in a server (its words, whether it was answered, the
 * passages shown), members' votes on answers, and each server's departure (its retention is a setting,
 * store/db/settings.ts). No user id is ever stored: a vote's `voter` is a salted hash of the member and the
 * answer (made by the caller), enough to keep one vote per member per answer and nothing more. Everything here is per scope, so a server's
 * data can be read, exported and erased alone.
 */
import type { Scope } from '../../core/index.ts';
import type { StoreDatabase } from './connect.ts';

/** A passage shown with an answer: document id, 1-based paragraph, rank from 1. */
export interface ShownPassage {
  documentId: string;
  paragraph: number;
  rank: number;
}

export type QuestionOrigin = 'ask' | 'button' | 'menu' | 'auto';

export interface QuestionRecord {
  /** Random, unguessable: the answer's vote buttons carry it. */
  answerKey: string;
  scope: Scope;
  question: string;
  /** The question's normalised words (sorted, unique), to group the same question in other words. */
  words: string[];
  answered: boolean;
  reason?: string | undefined;
  origin: QuestionOrigin;
  passages: ShownPassage[];
  /** The best candidate, shown or not: a declined question's nearest passage, to group it with others. */
  best?: { documentId: string; paragraph: number } | undefined;
}

export interface StoredQuestion extends QuestionRecord {
  askedAt: string;
  /** Members who said "Answered it" and "Didn't answer". */
  helpful: number;
  unhelpful: number;
}

export type VoteOutcome = 'recorded' | 'changed' | 'unchanged' | 'unknown-answer';

/** How long a server's data is kept after the bot leaves it, unless it is invited back. */
export const DEPARTED_KEEP_DAYS = 30;

const DAY_MS = 86_400_000;

export class InsightsStore {
  readonly #database: StoreDatabase;
  readonly #now: () => Date;
  /** Records not yet committed: reads and votes wait for them, so a click right after an answer finds it. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(database: StoreDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  /** Stores one question; resolves when committed (`flush()` also waits for it). */
  record(entry: QuestionRecord): Promise<void> {
    const writing = this.#database.db
      .insertInto('insight_questions')
      .values({
        answer_key: entry.answerKey,
        scope: entry.scope,
        asked_at: this.#now().toISOString(),
        question: entry.question,
        words: entry.words.join(' '),
        answered: entry.answered ? 1 : 0,
        reason: entry.reason ?? null,
        origin: entry.origin,
        passages: JSON.stringify(entry.passages.map((p) => ({ d: p.documentId, p: p.paragraph, r: p.rank }))),
        best_passage: entry.best === undefined ? null : `${entry.best.documentId}#${entry.best.paragraph}`,
      })
      .execute()
      .then(() => undefined);
    this.#pending.add(writing);
    const forget = (): void => {
      this.#pending.delete(writing);
    };
    writing.then(forget, forget);
    return writing;
  }

  /** Waits for records in progress (failures are the recorder's to report). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  /**
   * One member's vote on an answer of `scope`: `voter` is the caller's salted hash of member and answer.
   * A second vote replaces the first.
   */
  async vote(scope: Scope, answerKey: string, voter: string, helpful: boolean): Promise<VoteOutcome> {
    await this.flush();
    return this.#database.db.transaction().execute(async (trx) => {
      const question = await trx
        .selectFrom('insight_questions')
        .select('answer_key')
        .where('answer_key', '=', answerKey)
        .where('scope', '=', scope)
        .executeTakeFirst();
      if (question === undefined) return 'unknown-answer';
      const previous = await trx
        .selectFrom('insight_votes')
        .select('helpful')
        .where('answer_key', '=', answerKey)
        .where('voter', '=', voter)
        .executeTakeFirst();
      const value = helpful ? 1 : 0;
      const at = this.#now().toISOString();
      if (previous === undefined) {
        await trx
          .insertInto('insight_votes')
          .values({ answer_key: answerKey, voter, scope, helpful: value, voted_at: at })
          .execute();
        return 'recorded';
      }
      if (previous.helpful === value) return 'unchanged';
      await trx
        .updateTable('insight_votes')
        .set({ helpful: value, voted_at: at })
        .where('answer_key', '=', answerKey)
        .where('voter', '=', voter)
        .execute();
      return 'changed';
    });
  }

  /** The questions of `scope` asked at or after `since`, oldest first (at most `limit`), with their votes counted. */
  async questions(scope: Scope, since: Date, limit = 100_000): Promise<StoredQuestion[]> {
    await this.flush();
    const db = this.#database.db;
    const rows = await db
      .selectFrom('insight_questions')
      .selectAll()
      .where('scope', '=', scope)
      .where('asked_at', '>=', since.toISOString())
      .orderBy('asked_at')
      .orderBy('answer_key')
      .limit(limit)
      .execute();
    const votes = await db
      .selectFrom('insight_votes')
      .select(['answer_key', 'helpful'])
      .where('scope', '=', scope)
      .execute();
    const counts = new Map<string, { helpful: number; unhelpful: number }>();
    for (const vote of votes) {
      const count = counts.get(vote.answer_key) ?? { helpful: 0, unhelpful: 0 };
      if (Number(vote.helpful) === 1) count.helpful += 1;
      else count.unhelpful += 1;
      counts.set(vote.answer_key, count);
    }
    return rows.map((row) => ({
      answerKey: row.answer_key,
      scope: row.scope as Scope,
      askedAt: row.asked_at,
      question: row.question,
      words: row.words === '' ? [] : row.words.split(' '),
      answered: Number(row.answered) === 1,
      reason: row.reason ?? undefined,
      origin: row.origin as QuestionOrigin,
      passages: parsePassages(row.passages),
      best: parseBest(row.best_passage),
      ...(counts.get(row.answer_key) ?? { helpful: 0, unhelpful: 0 }),
    }));
  }

  /** Erases every stored question and vote of `scope`; returns how many questions went. */
  async clear(scope: Scope): Promise<number> {
    await this.flush();
    return this.#database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('insight_votes').where('scope', '=', scope).execute();
      const deleted = await trx.deleteFrom('insight_questions').where('scope', '=', scope).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
  }

  /** The bot left the server: its data is erased `DEPARTED_KEEP_DAYS` later unless it comes back. */
  async serverLeft(scope: Scope): Promise<void> {
    await this.#upsertScope(scope, { left_at: this.#now().toISOString() });
  }

  /** The bot is in the server (again): nothing of it is scheduled for deletion. */
  async serverJoined(scope: Scope): Promise<void> {
    await this.#database.db
      .updateTable('insight_scopes')
      .set({ left_at: null })
      .where('scope', '=', scope)
      .where('left_at', 'is not', null)
      .execute();
  }

  /** Servers the bot left before `before` and was not invited back to since: theirs is to be erased. */
  async departedBefore(before: Date): Promise<Scope[]> {
    const rows = await this.#database.db
      .selectFrom('insight_scopes')
      .select('scope')
      .where('left_at', 'is not', null)
      .where('left_at', '<', before.toISOString())
      .orderBy('scope')
      .execute();
    return rows.map((row) => row.scope as Scope);
  }

  /**
   * Erases questions older than their server's retention (`defaultDays`, or the server's own in `own`:
   * its `/settings insights retention-days`) and votes on them. Servers the bot left are erased whole,
   * documents included, by src/departed-servers.ts.
   */
  async purge(defaultDays: number, own: ReadonlyMap<Scope, number> = new Map()): Promise<number> {
    await this.flush();
    const now = this.#now().getTime();
    const db = this.#database.db;
    const custom = [...own].map(([scope, days]) => ({ scope, days }));
    return db.transaction().execute(async (trx) => {
      let questions = 0;
      const expire = async (before: string, scopes: { only?: string; except?: string[] }): Promise<void> => {
        let old = trx.selectFrom('insight_questions').select('answer_key').where('asked_at', '<', before);
        if (scopes.only !== undefined) old = old.where('scope', '=', scopes.only);
        if (scopes.except !== undefined && scopes.except.length > 0)
          old = old.where('scope', 'not in', scopes.except);
        await trx.deleteFrom('insight_votes').where('answer_key', 'in', old).execute();
        let gone = trx.deleteFrom('insight_questions').where('asked_at', '<', before);
        if (scopes.only !== undefined) gone = gone.where('scope', '=', scopes.only);
        if (scopes.except !== undefined && scopes.except.length > 0)
          gone = gone.where('scope', 'not in', scopes.except);
        questions += Number((await gone.executeTakeFirst()).numDeletedRows);
      };
      for (const row of custom) {
        await expire(new Date(now - row.days * DAY_MS).toISOString(), {
          only: row.scope,
        });
      }
      await expire(new Date(now - defaultDays * DAY_MS).toISOString(), {
        except: custom.map((row) => row.scope),
      });
      return questions;
    });
  }

  async #upsertScope(scope: Scope, values: { left_at: string | null }): Promise<void> {
    await this.#database.db
      .insertInto('insight_scopes')
      .values({ scope, ...values })
      .onConflict((oc) => oc.column('scope').doUpdateSet(values))
      .execute();
  }
}

function parseBest(value: string | null): StoredQuestion['best'] {
  if (value === null) return undefined;
  const at = value.lastIndexOf('#');
  const paragraph = Number(value.slice(at + 1));
  return at > 0 && Number.isInteger(paragraph) ? { documentId: value.slice(0, at), paragraph } : undefined;
}

function parsePassages(json: string): ShownPassage[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.flatMap((item: unknown) => {
      if (item === null || typeof item !== 'object') return [];
      const { d, p, r } = item as Record<string, unknown>;
      return typeof d === 'string' && typeof p === 'number' && typeof r === 'number'
        ? [{ documentId: d, paragraph: p, rank: r }]
        : [];
    });
  } catch {
    return [];
  }
}
