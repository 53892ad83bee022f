/**
 * What the engine keeps per paragraph part so that query time never runs wink-nlp again: the offsets
 * and term ids of its searchable tokens and its sentence ranges, in typed arrays.
 */
import type { Analysis } from './analyzer.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface PartRecord {
  /** Searchable tokens, in text order: offsets relative to the part's start, and term ids. */
  starts: Uint32Array;
  ends: Uint32Array;
  termIds: Uint32Array;
  /** Sentences: offsets relative to the part's start, and the index of each sentence's first token. */
  sentenceStarts: Uint32Array;
  sentenceEnds: Uint32Array;
  sentenceFirstToken: Uint32Array;
  /** The distinct term ids of the part's text. */
  distinct: Uint32Array;
}

/**
 * The record of `[partStart, partEnd)` out of an analysis of a larger text whose offsets start at
 * `base` (the analysis of a whole block covers all of its parts). Tokens and sentences that cross the
 * part's edges are left out or clipped.
 */
export function recordOf(
  analysis: Analysis,
  base: number,
  partStart: number,
  partEnd: number,
  vocabulary: Vocabulary,
): PartRecord {
  const from = partStart - base;
  const to = partEnd - base;
  const starts: number[] = [];
  const ends: number[] = [];
  const termIds: number[] = [];
  for (let i = 0; i < analysis.terms.length; i++) {
    const start = analysis.starts[i] as number;
    const end = analysis.ends[i] as number;
    if (start < from || end > to) continue;
    starts.push(start - from);
    ends.push(end - from);
    termIds.push(vocabulary.intern(analysis.terms[i] as string));
  }
  const sentenceStarts: number[] = [];
  const sentenceEnds: number[] = [];
  const sentenceFirstToken: number[] = [];
  let token = 0;
  for (let i = 0; i < analysis.sentences.length; i += 2) {
    const start = Math.max(analysis.sentences[i] as number, from) - from;
    const end = Math.min(analysis.sentences[i + 1] as number, to) - from;
    if (end <= start) continue;
    while (token < starts.length && (starts[token] as number) < start) token++;
    sentenceStarts.push(start);
    sentenceEnds.push(end);
    sentenceFirstToken.push(token);
  }
  if (sentenceStarts.length === 0) {
    // Text the sentence splitter saw nothing in still has one "sentence": all of it.
    sentenceStarts.push(0);
    sentenceEnds.push(to - from);
    sentenceFirstToken.push(0);
  }
  return {
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
    termIds: Uint32Array.from(termIds),
    sentenceStarts: Uint32Array.from(sentenceStarts),
    sentenceEnds: Uint32Array.from(sentenceEnds),
    sentenceFirstToken: Uint32Array.from(sentenceFirstToken),
    distinct: Uint32Array.from(new Set(termIds)),
  };
}
