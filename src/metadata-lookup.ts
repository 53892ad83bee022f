import { isVerbatimError, type DocumentMeta, type Passage } from './core/index.ts';
import type { Library } from './library.ts';

/** The metadata of each passage's document, for its attribution line; asked of the library once per document. */
export function metadataLookup(library: Library): (passage: Passage) => DocumentMeta | undefined {
  const cache = new Map<string, DocumentMeta | undefined>();
  return (passage) => {
    const key = `${passage.scope}\u0000${passage.documentId}`;
    if (!cache.has(key)) cache.set(key, describeOrUndefined(library, passage));
    return cache.get(key);
  };
}

function describeOrUndefined(library: Library, passage: Passage): DocumentMeta | undefined {
  try {
    return library.describe(passage.documentId, passage.scope).meta;
  } catch (error) {
    // Removed between the search and the rendering: the passage still names its title.
    if (isVerbatimError(error) && error.code === 'UNKNOWN_DOCUMENT') return undefined;
    throw error;
  }
}
