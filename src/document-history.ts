/**
 * A document's versions as `/document history` and the terminal show them: who wrote each, when, its
 * size, and how many paragraphs it changed against the version before it. The reading half of the history
 * feature; restoring a version is the library's (it changes the index too).
 */
import type { Scope } from './core/index.ts';
import { paragraphChanges, type ParagraphChanges } from './paragraph-changes.ts';
import type { StoreDatabase } from './store/db/connect.ts';
import { revisionsOf, revisionTexts, type RevisionInfo } from './store/db/history.ts';

/** Versions shown at once, newest first: each one compared costs a paragraph diff. */
export const VERSIONS_SHOWN = 10;

export interface VersionSummary extends RevisionInfo {
  /** Against the version before it; undefined for the first version. */
  changes?: ParagraphChanges;
}

export interface DocumentVersions {
  /** The newest VERSIONS_SHOWN versions, newest first. */
  versions: VersionSummary[];
  /** How many versions are stored in all. */
  total: number;
}

/** The newest versions of a document with their paragraph changes; no versions when none is stored. */
export async function documentVersions(
  database: StoreDatabase,
  scope: Scope,
  id: string,
  yieldToEventLoop: () => Promise<void>,
): Promise<DocumentVersions> {
  const all = await revisionsOf(database, scope, id);
  const shown = all.slice(0, VERSIONS_SHOWN);
  const previous = all[shown.length];
  const wanted = [...shown.map((v) => v.revision), ...(previous ? [previous.revision] : [])];
  const texts = await revisionTexts(database, scope, id, wanted);
  const versions: VersionSummary[] = [];
  for (const [index, version] of shown.entries()) {
    const before = all[index + 1];
    const text = texts.get(version.revision);
    const beforeText = before === undefined ? undefined : texts.get(before.revision);
    if (text === undefined || beforeText === undefined) versions.push(version);
    else {
      versions.push({ ...version, changes: paragraphChanges(beforeText, text) });
      // A diff of two large texts takes a while: let questions through between them.
      await yieldToEventLoop();
    }
  }
  return { versions, total: all.length };
}
