/**
 * Reading a server's past from the database: a document's revisions (every version is kept, after an
 * update or a removal), one revision whole, the documents removed recently, and the audit of the server's
 * changes, paged. Writing a restored revision goes through `DatabaseDocumentStore.save` like any change.
 */
import type { Scope, SourceDocument } from '../../core/index.ts';
import { describeIssue, storedMetaSchema, withoutUndefined } from '../meta.ts';
import type { StoreDatabase } from './connect.ts';
import type { Actor } from './documents.ts';
import type { AuditAction } from './schema.ts';

/** One stored version of a document, without its text. */
export interface RevisionInfo {
  revision: number;
  title: string;
  at: string;
  actor: Actor;
  /** Length of the text in characters. */
  characters: number;
}

/** A document removed (and not added back since), with when and by whom. */
export interface RemovedDocument {
  id: string;
  title: string;
  removedAt: string;
  actor: Actor;
}

/** One row of the audit. */
export interface AuditEntry {
  at: string;
  actor: Actor;
  action: AuditAction;
  documentId: string;
  /** The revision written; null for a removal. */
  revision: number | null;
}

/** Every revision of a document, newest first, without texts. */
export async function revisionsOf(
  database: StoreDatabase,
  scope: Scope,
  id: string,
): Promise<RevisionInfo[]> {
  const rows = await database.db
    .selectFrom('revisions')
    .select((eb) => [
      'revision',
      'title',
      'created_at',
      'actor_id',
      'actor_name',
      eb.fn<number>('length', ['text']).as('characters'),
    ])
    .where('scope', '=', scope)
    .where('document_id', '=', id)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map((row) => ({
    revision: Number(row.revision),
    title: row.title,
    at: row.created_at,
    actor: { userId: row.actor_id, userName: row.actor_name },
    characters: Number(row.characters),
  }));
}

/** The texts of the given revisions of a document, by revision number. */
export async function revisionTexts(
  database: StoreDatabase,
  scope: Scope,
  id: string,
  revisions: readonly number[],
): Promise<Map<number, string>> {
  if (revisions.length === 0) return new Map();
  const rows = await database.db
    .selectFrom('revisions')
    .select(['revision', 'text'])
    .where('scope', '=', scope)
    .where('document_id', '=', id)
    .where('revision', 'in', [...revisions])
    .execute();
  return new Map(rows.map((row) => [Number(row.revision), row.text]));
}

/**
 * One revision as a document (its metadata and text as they were then), or undefined when there is no
 * such revision or what was stored cannot be read any more.
 */
export async function revisionDocument(
  database: StoreDatabase,
  scope: Scope,
  id: string,
  revision: number,
): Promise<SourceDocument | undefined> {
  const row = await database.db
    .selectFrom('revisions')
    .select(['title', 'metadata', 'text'])
    .where('scope', '=', scope)
    .where('document_id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const parsed = storedMetaSchema.safeParse({
    ...(JSON.parse(row.metadata) as object),
    id,
    title: row.title,
    scope,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map(describeIssue).join('; '));
  return { meta: withoutUndefined(parsed.data), text: row.text };
}

/**
 * Documents of `scope` removed at or after `since` and not stored now, most recently removed first, with
 * the title of their last revision.
 */
export async function removedSince(
  database: StoreDatabase,
  scope: Scope,
  since: string,
): Promise<RemovedDocument[]> {
  const rows = await database.db
    .selectFrom('audit')
    .leftJoin('documents', (join) =>
      join.onRef('documents.scope', '=', 'audit.scope').onRef('documents.id', '=', 'audit.document_id'),
    )
    .select(['audit.document_id', 'audit.at', 'audit.actor_id', 'audit.actor_name'])
    .where('audit.scope', '=', scope)
    .where('audit.action', '=', 'remove')
    .where('audit.at', '>=', since)
    .where('documents.id', 'is', null)
    .orderBy('audit.id', 'desc')
    .execute();
  const seen = new Set<string>();
  const removed: RemovedDocument[] = [];
  for (const row of rows) {
    if (seen.has(row.document_id)) continue;
    seen.add(row.document_id);
    const last = await database.db
      .selectFrom('revisions')
      .select('title')
      .where('scope', '=', scope)
      .where('document_id', '=', row.document_id)
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    removed.push({
      id: row.document_id,
      title: last?.title ?? row.document_id,
      removedAt: row.at,
      actor: { userId: row.actor_id, userName: row.actor_name },
    });
  }
  return removed;
}

/** The audit of `scope`, newest first: `limit` rows after skipping `offset`, and how many there are. */
export async function auditPage(
  database: StoreDatabase,
  scope: Scope,
  offset: number,
  limit: number,
): Promise<{ entries: AuditEntry[]; total: number }> {
  const counted = await database.db
    .selectFrom('audit')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('scope', '=', scope)
    .executeTakeFirst();
  const rows = await database.db
    .selectFrom('audit')
    .select(['at', 'actor_id', 'actor_name', 'action', 'document_id', 'revision'])
    .where('scope', '=', scope)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    total: Number(counted?.total ?? 0),
    entries: rows.map((row) => ({
      at: row.at,
      actor: { userId: row.actor_id, userName: row.actor_name },
      action: row.action,
      documentId: row.document_id,
      revision: row.revision === null ? null : Number(row.revision),
    })),
  };
}
