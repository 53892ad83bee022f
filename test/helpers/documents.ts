/** A document for tests that only need its id and text: metadata complete, publisher "Test", no date or url. */
import { SHIPPED_SCOPE, type Scope, type SourceDocument } from '../../src/core/index.ts';

export function testDocument(
  id: string,
  text: string,
  scope: Scope = SHIPPED_SCOPE,
  title = id,
): SourceDocument {
  return {
    meta: { id, title, publisher: 'Test', date: '', dateEstimated: false, url: '', language: 'en', scope },
    text,
  };
}
