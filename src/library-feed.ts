/**
 * Changes other processes committed (the CLI's `add`, another shard, another machine), reaching this
 * process's index through the change feed: each changed document is re-read and added, replaced or removed,
 * in its scope's queue like a change made here. A document this process wrote itself is already as stored,
 * and is left alone.
 */
import type { LibraryContext } from './library-context.ts';
import type { DocumentMeta, Scope, SourceDocument } from './core/index.ts';
import { type DatabaseDocumentStore } from './store/db/index.ts';

export async function applyStoredChanges(
  c: LibraryContext,
  store: DatabaseDocumentStore,
  changes: readonly { scope: Scope; id: string }[],
): Promise<void> {
  // A server not in memory is read whole from the database when it is next loaded.
  const followed = changes.filter(({ scope }) => c.servers.follows(scope));
  const applying = followed.map(({ scope, id }) =>
    c
      .serialise(scope, async () => {
        if (!c.servers.follows(scope)) return;
        const stored = await store.load(scope, id);
        const indexed = c.engine.document(scope, id);
        if (stored === undefined) {
          if (indexed === undefined) return;
          c.engine.remove(scope, id);
          c.semantic?.forget(scope, id);
          c.servers.changed(scope);
          c.logger.info({ scope, id }, 'Document removed by another process');
          return;
        }
        if (indexed !== undefined && sameDocument(indexed, stored)) return;
        if (indexed === undefined) await c.engine.addAsync(stored);
        else await c.engine.replaceAsync(stored);
        c.trackSemantic(stored);
        c.servers.changed(scope);
        c.logger.info(
          { scope, id },
          `Document ${indexed === undefined ? 'added' : 'updated'} by another process`,
        );
      })
      .catch((error: unknown) => {
        c.logger.warn({ scope, id, err: error }, 'Could not index a document changed by another process');
      }),
  );
  const all = Promise.all(applying);
  c.trackBackground(all);
  await all;
}

/** The same metadata (field by field: the key order of two equal objects may differ) and the same text. */
function sameDocument(a: SourceDocument, b: SourceDocument): boolean {
  if (a.text !== b.text) return false;
  const keys = new Set([...Object.keys(a.meta), ...Object.keys(b.meta)] as (keyof DocumentMeta)[]);
  for (const key of keys) {
    const x = a.meta[key];
    const y = b.meta[key];
    if (typeof x === 'object' && typeof y === 'object') {
      if (x.userId !== y.userId || x.userName !== y.userName || x.at !== y.at) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}
