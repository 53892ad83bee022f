/** Passages made by hand for renderer tests, complete as the core makes them. */
import type { DocumentMeta, Range } from '../../src/core/index.ts';

const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Sentence ranges of a hand-made passage's text (the core's come from wink; any splitter serves a test
 * of how a front end cuts at the ranges it is given), each without the white space after it.
 */
export function sentencesOf(text: string): Range[] {
  return [...SENTENCES.segment(text)].map(({ index, segment }): Range => [
    index,
    index + segment.trimEnd().length,
  ]);
}

export function metaOf(overrides: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id: 'doc-1',
    title: 'A report',
    publisher: '',
    date: '',
    dateEstimated: false,
    url: '',
    language: 'en',
    scope: 'corpus',
    ...overrides,
  };
}
