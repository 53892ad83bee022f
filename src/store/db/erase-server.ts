/**
 * Erasing everything the database holds of one server, for a server the bot left more than
 * DEPARTED_KEEP_DAYS ago (PRIVACY.md): its documents, every earlier version, the audit of its changes,
 * its settings, its glossary, its questions and votes. One transaction, so a kill leaves the server whole
 * or gone, never half; its departure mark (`insight_scopes.left_at`) is removed separately, last, by
 * `endDeparture`, so that a kill between the two leaves the server still listed as departed and the next
 * upkeep finishes the job (the files on disk included).
 */
import type { Scope } from '../../core/index.ts';
import { guildIdOfScope } from '../guild-store.ts';
import type { StoreDatabase } from './connect.ts';
import { takeWriteTurn } from './documents.ts';

/** Rows erased, per kind, for the log line. */
export interface ErasedRows {
  documents: number;
  revisions: number;
  auditEntries: number;
  glossaryEntries: number;
  questions: number;
  votes: number;
  settings: number;
}

export async function eraseServerRows(database: StoreDatabase, scope: Scope): Promise<ErasedRows> {
  const guildId = guildIdOfScope(scope);
  // The shipped corpus is not in the database and is no server's: refusing here keeps a caller's slip harmless.
  if (guildId === undefined) throw new Error(`eraseServerRows: ${scope} is not a server's scope`);
  return database.db.transaction().execute(async (trx) => {
    // Writers of every process take turns (documents.ts): this one waits for a write in progress.
    await takeWriteTurn(trx);
    const count = async (query: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) =>
      Number((await query.executeTakeFirst()).numDeletedRows);
    return {
      votes: await count(trx.deleteFrom('insight_votes').where('scope', '=', scope)),
      questions: await count(trx.deleteFrom('insight_questions').where('scope', '=', scope)),
      glossaryEntries: await count(trx.deleteFrom('glossary').where('scope', '=', scope)),
      settings: await count(trx.deleteFrom('server_settings').where('guild_id', '=', guildId)),
      documents: await count(trx.deleteFrom('documents').where('scope', '=', scope)),
      revisions: await count(trx.deleteFrom('revisions').where('scope', '=', scope)),
      auditEntries: await count(trx.deleteFrom('audit').where('scope', '=', scope)),
    };
  });
}

/** The last step of erasing a server: it is no longer listed as departed. */
export async function endDeparture(database: StoreDatabase, scope: Scope): Promise<void> {
  await database.db.deleteFrom('insight_scopes').where('scope', '=', scope).execute();
}
