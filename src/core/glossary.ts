/**
 * Glossary entries as moderators (or the shipped corpus's list) write them: one term, what it means, and
 * whether the two are interchangeable. Checked here, once, for every front end and store: bounded,
 * searchable, not a no-op. Applying them to a question is the question stage's job (ask/glossary.ts).
 */
import type { Analyzer } from './analyzer.ts';
import { userError } from './errors.ts';
import { MAX_GLOSSARY_TERM_CHARS } from './limits.ts';

/**
 * "TikTok owner → ByteDance" (`bothWays: false`: a question saying "TikTok owner" also searches for
 * "ByteDance", not the reverse) or "Uighur ↔ Uyghur" (`bothWays: true`: either finds the other).
 */
export interface GlossaryEntry {
  term: string;
  means: string;
  bothWays: boolean;
}

/** A term as stored and shown: trimmed, inner runs of white space made one space. */
export function normaliseGlossaryTerm(raw: string): string {
  const term = raw.trim().replace(/\s+/gu, ' ');
  if (term.length > MAX_GLOSSARY_TERM_CHARS)
    throw userError('GLOSSARY_TERM_TOO_LONG', { length: term.length, max: MAX_GLOSSARY_TERM_CHARS });
  return term;
}

/**
 * The entry normalised, or VerbatimError GLOSSARY_TERM_TOO_LONG, GLOSSARY_TERM_EMPTY (a side the
 * analyzer reads into no term: it could never match or add anything) or GLOSSARY_SAME_TERMS.
 */
export function checkGlossaryEntry(analyzer: Analyzer, entry: GlossaryEntry): GlossaryEntry {
  const term = normaliseGlossaryTerm(entry.term);
  const means = normaliseGlossaryTerm(entry.means);
  const termWords = analyzer.terms(term);
  const meansWords = analyzer.terms(means);
  if (termWords.length === 0) throw userError('GLOSSARY_TERM_EMPTY', { term });
  if (meansWords.length === 0) throw userError('GLOSSARY_TERM_EMPTY', { term: means });
  if (sameSet(termWords, meansWords)) throw userError('GLOSSARY_SAME_TERMS', { term, means });
  return { term, means, bothWays: entry.bothWays };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((term) => right.has(term));
}
