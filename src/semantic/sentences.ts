/**
 * The sentences (and whole part) a part is encoded as, and the key each sentence's vector is stored under. Sentence
 * boundaries come from `Intl.Segmenter` (ICU, built into Node): the semantic stage only needs sentences
 * of a sensible size, not the exact boundaries the lexical stage highlights.
 */
import { createHash } from 'node:crypto';

/** Longer sentences are encoded in pieces of this many characters (the model reads ~128 tokens well). */
export const MAX_SENTENCE_CHARS = 600;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The sentences of `text`, trimmed, without empty ones; a very long sentence becomes several pieces. */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const sentence = segment.replace(/\s+/g, ' ').trim();
    if (!/[\p{L}\p{N}]/u.test(sentence)) continue;
    for (let at = 0; at < sentence.length; at += MAX_SENTENCE_CHARS)
      sentences.push(sentence.slice(at, at + MAX_SENTENCE_CHARS));
  }
  return sentences;
}

/** The whole part is encoded up to this many characters, about the four sentences the model reads well. */
export const MAX_PART_CHARS = 4 * MAX_SENTENCE_CHARS;

/**
 * The texts a part is represented by: its sentences, then the whole part (cut at `MAX_PART_CHARS`) when
 * it has more than one; `sentences` says how many of `texts` are sentences. The best of them counts: a
 * question that restates two sentences at once can be nearer the whole part than either (chosen on the
 * tune halves: docs/quality.md, "Sentences or parts").
 */
export function partTextsOf(text: string): { texts: string[]; sentences: number } {
  const sentences = sentencesOf(text);
  if (sentences.length < 2) return { texts: sentences, sentences: sentences.length };
  return { texts: [...sentences, wholePartText(text)], sentences: sentences.length };
}

/** A part as one text to encode: its white space folded, cut at `MAX_PART_CHARS`. */
export function wholePartText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_PART_CHARS);
}

/** The key a sentence's vector is stored under: sha256 of its text, so a changed text is re-encoded. */
export function sentenceKey(sentence: string): string {
  return createHash('sha256').update(sentence).digest('hex');
}
