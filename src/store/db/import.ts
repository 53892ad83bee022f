/**
 * The one-time import of the documents that earlier versions kept as files (`DATA_DIR/guilds/<guild>/
 * <doc>.txt` and `.json`, see guild-store.ts) into the database. It runs at start, in one transaction:
 * every document is written as its first revision (audit action `import`, its provenance kept), read back
 * and compared byte for byte with its file; any difference rolls the whole import back and stops the start.
 * Once it commits, `store_state` records it and it never runs again. The folders are left as they are:
 * the operator removes them when satisfied (docs/operations.md, "Where data lives").
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VerbatimError } from '../../core/index.ts';
import type { SourceDocument } from '../../core/index.ts';
import type { Logger } from '../../log.ts';
import { GuildStore, guildIdOfScope } from '../guild-store.ts';
import { takeWriteTurn, writeDocument, type Actor } from './documents.ts';
import type { StoreDatabase } from './connect.ts';

const IMPORT_ACTOR: Actor = { userId: 'verbatim', userName: 'import of DATA_DIR/guilds' };

export interface ImportOutcome {
  /** `done`: imported now; `earlier`: imported by an earlier start; `none`: there is no guilds/ folder. */
  status: 'done' | 'earlier' | 'none';
  documents: number;
}

export async function importGuildFolders(
  database: StoreDatabase,
  dataDir: string,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<ImportOutcome> {
  const guildsDir = join(dataDir, 'guilds');
  if (!(await isFolder(guildsDir))) return { status: 'none', documents: 0 };
  const marked = await database.db
    .selectFrom('store_state')
    .select('guilds_imported_at')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (marked?.guilds_imported_at != null) return { status: 'earlier', documents: 0 };

  const documents = await new GuildStore({ dataDir, logger }).loadAll();
  const files = new Map<SourceDocument, Buffer>();
  for (const document of documents) files.set(document, await readFile(textFileOf(dataDir, document)));

  const at = now().toISOString();
  const outcome = await database.db.transaction().execute(async (trx): Promise<ImportOutcome> => {
    await takeWriteTurn(trx);
    // Another process (a shard starting at the same time) may have imported while we read the files.
    const state = await trx
      .selectFrom('store_state')
      .select('guilds_imported_at')
      .where('id', '=', 1)
      .executeTakeFirst();
    if (state?.guilds_imported_at != null) return { status: 'earlier', documents: 0 };
    let imported = 0;
    for (const [document, bytes] of files) {
      const { scope, id } = document.meta;
      const present = await trx
        .selectFrom('documents')
        .select('id')
        .where('scope', '=', scope)
        .where('id', '=', id)
        .executeTakeFirst();
      if (present !== undefined) {
        logger.warn(
          { scope, id },
          'Not imported from DATA_DIR/guilds: the database already has this document',
        );
        continue;
      }
      const provenance = document.meta.updated ?? document.meta.added;
      await writeDocument(trx, document, 'import', provenance ?? IMPORT_ACTOR, at);
      const stored = await trx
        .selectFrom('documents')
        .select('text')
        .where('scope', '=', scope)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (!Buffer.from(stored.text, 'utf8').equals(bytes)) {
        throw new VerbatimError(
          'DATABASE_UNAVAILABLE',
          `Import of ${guildsDir} stopped, nothing imported: the text of "${id}" read back from the database ${database.location} differs from ${textFileOf(dataDir, document)}.`,
        );
      }
      imported++;
    }
    await trx.updateTable('store_state').set({ guilds_imported_at: at }).where('id', '=', 1).execute();
    return { status: 'done', documents: imported };
  });
  if (outcome.status === 'done') {
    logger.info(
      { folder: guildsDir, documents: outcome.documents, database: database.location },
      `Imported ${outcome.documents} documents from ${guildsDir} into the database (every text checked byte for byte); the folders are kept until you remove them`,
    );
  }
  return outcome;
}

function textFileOf(dataDir: string, document: SourceDocument): string {
  return join(dataDir, 'guilds', guildIdOfScope(document.meta.scope) ?? '', `${document.meta.id}.txt`);
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
