/** The documents db-writer-child.ts writes: version v is document `ledger-<v mod 5>`, a ~200 kB text. */
import type { SourceDocument } from '../../src/core/index.ts';
import { storedDocument } from './helpers.ts';

export const DOCUMENTS = 5;

export function versionDocument(version: number): SourceDocument {
  const id = `ledger-${version % DOCUMENTS}`;
  const line = `Version ${version} of ${id}: the harbour crane lifted crates of tin, rope and salt fish.\n\n`;
  const document = storedDocument(id, line.repeat(2_000));
  return { ...document, meta: { ...document.meta, title: `Ledger, version ${version}` } };
}

/** The version a stored text is, read back from its first line. */
export function versionOf(text: string): number {
  return Number(/^Version (\d+) /.exec(text)?.[1] ?? Number.NaN);
}
