/**
 * Part of stage 1 of /ask: glossary expansion, the way search engines apply a synonym list. A question
 * that contains every word of an entry's one side also searches for the other side's words, each at
 * `glossaryWeight` of the credit of the question word it stands for. The added words only ever match
 * words a part really contains: highlights, evidence and quotes come from the part's own terms, so the
 * expansion can change which passages rank first, never what a passage quotes.
 */
import type { Analyzer } from '../analyzer.ts';
import type { GlossaryEntry } from '../glossary.ts';
import type { Vocabulary } from '../vocabulary.ts';
import type { ExplainedTerm, QueryTerms } from './question.ts';

/**
 * One direction of an entry, as index terms: when the question has every term of `when`, the terms of
 * `add` are searched too. A both-ways entry is two rules.
 */
export interface GlossaryRule {
  when: readonly string[];
  add: readonly string[];
}

/** Entries read by the index's own analyzer (so they match what questions and parts are read into). */
export function compileGlossary(analyzer: Analyzer, entries: readonly GlossaryEntry[]): GlossaryRule[] {
  const rules: GlossaryRule[] = [];
  for (const entry of entries) {
    const term = [...new Set(analyzer.terms(entry.term))];
    const means = [...new Set(analyzer.terms(entry.means))];
    if (term.length === 0 || means.length === 0) continue;
    rules.push({ when: term, add: means });
    if (entry.bothWays) rules.push({ when: means, add: term });
  }
  return rules;
}

/**
 * Adds the glossary's words to a question read by `readQuestion` (in place). Each added
 * word fills the slot of the most informative question word of the rule's `when` side: a part that says
 * "ByteDance" where the question said "TikTok owner" gets that slot's credit times `weight`, once. A
 * question word the index has never seen ("Uyghur" where the sources write "Uighur") stops counting as
 * unknown once the glossary gives it a word the index knows.
 */
export function expandWithGlossary(
  vocabulary: Vocabulary,
  weight: number,
  terms: ExplainedTerm[],
  query: QueryTerms,
  boosts: Map<string, number>,
  rules: readonly GlossaryRule[],
): void {
  if (weight <= 0 || rules.length === 0) return;
  const slotOf = new Map(terms.map((explained, slot) => [explained.term, slot]));
  const understood = new Set<number>();
  for (const rule of rules) {
    const slots = rule.when.map((term) => slotOf.get(term));
    if (slots.some((slot) => slot === undefined)) continue;
    let best = slots[0] as number;
    for (const slot of slots as number[])
      if ((terms[slot] as ExplainedTerm).idf > (terms[best] as ExplainedTerm).idf) best = slot;
    const standsFor = terms[best] as ExplainedTerm;
    let added = false;
    for (const word of rule.add) {
      const id = vocabulary.find(word);
      if (vocabulary.documentFrequency(id) === 0) continue;
      added = true;
      if (query.weights.has(id)) continue;
      query.weights.set(id, weight * standsFor.idf);
      query.slots.set(id, best);
      boosts.set(word, weight);
      (standsFor.glossary ??= []).push(word);
    }
    if (added) for (const slot of slots as number[]) understood.add(slot);
  }
  for (const slot of understood) {
    const explained = terms[slot] as ExplainedTerm;
    if (explained.documentFrequency === 0)
      query.unknownWeight = Math.max(0, query.unknownWeight - explained.idf);
  }
}
