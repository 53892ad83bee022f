/**
 * Servers' documents in the database: read them, and write them in transactions where the document row,
 * its new revision and the audit row commit together or not at all (so a `kill -9`, a full disk or a lost
 * connection at any moment leaves the previous state or the new one). The shipped corpus is never here.
 *
 * Every write transaction first bumps `store_state.writes`: in PostgreSQL that row lock makes writers of
 * every process take turns, so audit ids are committed in increasing order and the change feed (feed.ts)
 * can follow them with a cursor; in SQLite the transaction is IMMEDIATE already (connect.ts).
 */
import { sql, type Transaction } from 'kysely';
import type { Provenance, Scope, SourceDocument } from '../../core/index.ts';
import type { Logger } from '../../log.ts';
import { describeIssue, storedMetaSchema, withoutUndefined } from '../meta.ts';
import type { StoreDatabase } from './connect.ts';
import type { AuditAction, StoreSchema } from './schema.ts';

/** Who made a change, as recorded in the audit. */
export type Actor = Omit<Provenance, 'at'>;

/** The PostgreSQL NOTIFY channel the change feed listens on. */
export const CHANGE_CHANNEL = 'verbatim_document_changes';

/** Recorded when a change has no person behind it (putting back a change the index refused). */
export const SYSTEM_ACTOR: Actor = { userId: 'verbatim', userName: 'verbatim' };

/** A change recorded in the audit: which document of which scope, as numbered by the audit. */
export interface StoredChange {
  auditId: number;
  scope: Scope;
  id: string;
}

/** Scopes named in one `in (...)` list (SQLite allows 32,766 parameters; PostgreSQL 65,535). */
const SCOPES_PER_QUERY = 500;

/** How many audit rows one catch-up reads at most; the feed reads again until it has them all. */
const CHANGES_PAGE = 500;

type DocumentRow = StoreSchema['documents'];

/** What kind of database operation failed, for `verbatim_database_errors_total{operation}`. */
export type DatabaseOperation = 'read' | 'write' | 'feed' | 'ping';

export class DatabaseDocumentStore {
  readonly #database: StoreDatabase;
  readonly #logger: Logger;
  readonly #now: () => Date;
  /** Told of every failed operation (the metrics count them); the error itself still reaches the caller. */
  onError: (operation: DatabaseOperation) => void = () => undefined;

  constructor(database: StoreDatabase, logger: Logger, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#logger = logger;
    this.#now = now;
  }

  /** Resolves when the database answers a query; throws its error otherwise (the `database` health check). */
  async ping(): Promise<void> {
    await this.#counted('ping', () =>
      this.#database.db.selectFrom('store_state').select('writes').where('id', '=', 1).executeTakeFirst(),
    );
  }

  async #counted<T>(operation: DatabaseOperation, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.onError(operation);
      throw error;
    }
  }

  get database(): StoreDatabase {
    return this.#database;
  }

  /**
   * Every server's documents (or those of the scopes `wanted` accepts, without reading the others' texts),
   * by scope then id. A row that cannot be used is logged and skipped.
   */
  loadAll(wanted?: (scope: Scope) => boolean): Promise<SourceDocument[]> {
    return this.#counted('read', () => this.#loadAll(wanted));
  }

  async #loadAll(wanted?: (scope: Scope) => boolean): Promise<SourceDocument[]> {
    const query = this.#database.db.selectFrom('documents').selectAll().orderBy('scope').orderBy('id');
    if (wanted === undefined) return (await query.execute()).flatMap((row) => this.#toDocument(row) ?? []);
    const scopes = (await this.#database.db.selectFrom('documents').select('scope').distinct().execute())
      .map((row) => row.scope as Scope)
      .filter(wanted)
      .sort();
    const documents: SourceDocument[] = [];
    for (let from = 0; from < scopes.length; from += SCOPES_PER_QUERY) {
      const rows = await query.where('scope', 'in', scopes.slice(from, from + SCOPES_PER_QUERY)).execute();
      for (const row of rows) {
        const document = this.#toDocument(row);
        if (document !== undefined) documents.push(document);
      }
    }
    return documents;
  }

  /** One server's documents as stored now, by id (its index is loaded on its first question). */
  loadScope(scope: Scope): Promise<SourceDocument[]> {
    return this.#counted('read', async () =>
      (
        await this.#database.db
          .selectFrom('documents')
          .selectAll()
          .where('scope', '=', scope)
          .orderBy('id')
          .execute()
      ).flatMap((row) => this.#toDocument(row) ?? []),
    );
  }

  /** One document as stored now, or undefined when there is none (or it cannot be used). */
  async load(scope: Scope, id: string): Promise<SourceDocument | undefined> {
    const row = await this.#counted('read', () =>
      this.#database.db
        .selectFrom('documents')
        .selectAll()
        .where('scope', '=', scope)
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : this.#toDocument(row);
  }

  /**
   * Writes a document (new, or a new version of one stored) with its revision and audit row, in one
   * transaction, at the store's clock. The actor is the document's last provenance unless given; the audit
   * says `add` or `update` unless `action` is given (`restore`).
   */
  async save(document: SourceDocument, actor?: Actor, action?: AuditAction): Promise<void> {
    const provenance = document.meta.updated ?? document.meta.added;
    const who = actor ?? provenance ?? SYSTEM_ACTOR;
    const at = this.#now().toISOString();
    await this.#counted('write', () =>
      this.#database.db.transaction().execute(async (trx) => {
        await takeWriteTurn(trx);
        await writeDocument(trx, document, action, who, at);
        await this.#notify(trx, document.meta.scope);
      }),
    );
  }

  /** Removes a document (its revisions stay), with its audit row, in one transaction. */
  async delete(scope: Scope, id: string, actor?: Actor): Promise<void> {
    await this.#counted('write', () => this.#delete(scope, id, actor));
  }

  async #delete(scope: Scope, id: string, actor?: Actor): Promise<void> {
    await this.#database.db.transaction().execute(async (trx) => {
      await takeWriteTurn(trx);
      const deleted = await trx
        .deleteFrom('documents')
        .where('scope', '=', scope)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return;
      await audit(trx, 'remove', scope, id, null, actor ?? SYSTEM_ACTOR, this.#now().toISOString());
      await this.#notify(trx, scope);
    });
  }

  /** The id of the last change recorded (0 when none): the feed's starting point. */
  async lastChange(): Promise<number> {
    const row = await this.#database.db
      .selectFrom('audit')
      .select((eb) => eb.fn.max('id').as('last'))
      .executeTakeFirst();
    return Number(row?.last ?? 0);
  }

  /** Changes recorded after `cursor`, oldest first, at most CHANGES_PAGE of them. */
  async changesSince(cursor: number): Promise<StoredChange[]> {
    const rows = await this.#counted('feed', () =>
      this.#database.db
        .selectFrom('audit')
        .select(['id', 'scope', 'document_id'])
        .where('id', '>', cursor)
        .orderBy('id')
        .limit(CHANGES_PAGE)
        .execute(),
    );
    return rows.map((row) => ({ auditId: Number(row.id), scope: row.scope as Scope, id: row.document_id }));
  }

  /** Every revision of a document, oldest first (the history feature; and the tests' checks). */
  async revisions(scope: Scope, id: string): Promise<{ revision: number; text: string; actor: Actor }[]> {
    const rows = await this.#database.db
      .selectFrom('revisions')
      .select(['revision', 'text', 'actor_id', 'actor_name'])
      .where('scope', '=', scope)
      .where('document_id', '=', id)
      .orderBy('revision')
      .execute();
    return rows.map((row) => ({
      revision: Number(row.revision),
      text: row.text,
      actor: { userId: row.actor_id, userName: row.actor_name },
    }));
  }

  async close(): Promise<void> {
    await this.#database.close();
  }

  async #notify(trx: Transaction<StoreSchema>, scope: Scope): Promise<void> {
    // Delivered by PostgreSQL when the transaction commits, and only then. SQLite's feed polls instead.
    if (this.#database.kind === 'postgres')
      await sql`select pg_notify(${CHANGE_CHANNEL}, ${scope})`.execute(trx);
  }

  #toDocument(row: DocumentRow): SourceDocument | undefined {
    try {
      const parsed = storedMetaSchema.safeParse({
        ...(JSON.parse(row.metadata) as object),
        id: row.id,
        title: row.title,
        scope: row.scope,
      });
      if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
      return { meta: withoutUndefined(parsed.data), text: row.text };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger.warn(
        { scope: row.scope, id: row.id, reason },
        `Skipped a stored document that cannot be used: ${reason}`,
      );
      return undefined;
    }
  }
}

/** The first statement of every write transaction: waits for other writers, then holds them off. */
export async function takeWriteTurn(trx: Transaction<StoreSchema>): Promise<void> {
  await trx
    .updateTable('store_state')
    .set((eb) => ({ writes: eb('writes', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

/**
 * Inside a write transaction: stores `document` as its next revision, with an audit row (`add` when the
 * document was not stored, `update` when it was, or `action` when given).
 */
export async function writeDocument(
  trx: Transaction<StoreSchema>,
  document: SourceDocument,
  action: AuditAction | undefined,
  actor: Actor,
  at: string,
): Promise<number> {
  const { meta, text } = document;
  const { id, title, scope, ...rest } = meta;
  const metadata = JSON.stringify(rest);
  const last = await trx
    .selectFrom('revisions')
    .select((eb) => eb.fn.max('revision').as('last'))
    .where('scope', '=', scope)
    .where('document_id', '=', id)
    .executeTakeFirst();
  const revision = Number(last?.last ?? 0) + 1;
  const existing = await trx
    .selectFrom('documents')
    .select('revision')
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
  const row: DocumentRow = { scope, id, title, metadata, text, revision, updated_at: at };
  await trx
    .insertInto('documents')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['scope', 'id']).doUpdateSet({ title, metadata, text, revision, updated_at: at }),
    )
    .execute();
  await trx
    .insertInto('revisions')
    .values({
      scope,
      document_id: id,
      revision,
      title,
      metadata,
      text,
      created_at: at,
      actor_id: actor.userId,
      actor_name: actor.userName,
    })
    .execute();
  await audit(trx, action ?? (existing === undefined ? 'add' : 'update'), scope, id, revision, actor, at);
  return revision;
}

async function audit(
  trx: Transaction<StoreSchema>,
  action: AuditAction,
  scope: Scope,
  documentId: string,
  revision: number | null,
  actor: Actor,
  at: string,
): Promise<void> {
  await trx
    .insertInto('audit')
    .values({
      at,
      actor_id: actor.userId,
      actor_name: actor.userName,
      action,
      scope,
      document_id: documentId,
      revision,
    })
    .execute();
}
