/**
 * Stage 3b of /ask, the semantic stage: each part's score gains `semanticWeight × cosine`, the cosine of
 * the question with the part's best sentence or the part whole (vectors given as data in `AskOptions.semantic`). Scores
 * are combined, not ranks fused: on 2,000 paragraphs reciprocal-rank fusion lost R@1 (issue 13).
 *
 * In a small scope (at most `semanticScanLimit` parts) every part's cosine is computed, and the nearest
 * `rerankDepth` join the candidates, so a paraphrase that shares no word with its answer can still find
 * it; a part the lexical stages did not retrieve enters with its lexical evidence and no BM25 term. In a larger scope only the lexical candidates are re-scored: there
 * dense scores alone pick the wrong paragraph of the right article too often (docs/quality.md).
 */
import { keyOf, type Entry, type IndexState } from '../index-state.ts';
import { maxSentenceCosine, partKey, type SemanticInput } from '../semantic.ts';
import { SHIPPED_SCOPE, type AskOptions } from '../types.ts';
import type { Question } from './question.ts';
import { weighEvidence, type Candidate } from './rerank.ts';

/** The candidates re-scored with the semantic term, best first, with parts only the semantic stage found. */
export function semanticStage(
  state: IndexState,
  question: Question,
  lexical: readonly Candidate[],
  semantic: SemanticInput,
  options: AskOptions,
): Candidate[] {
  const { semanticWeight, semanticScanLimit, coverageWeight, sentenceWeight, windowWeight, pairWeight } =
    state.options;
  const scored = new Map<number, Candidate>(lexical.map((candidate) => [candidate.entry.id, candidate]));
  const inScope = entriesInScope(state, options, semanticScanLimit);
  if (inScope !== undefined) {
    // The nearest parts by meaning join the candidates: dot products for every part first (cheap), the
    // lexical evidence (dearer) only for the best `rerankDepth` of them.
    const nearest: Array<{ entry: Entry; cosine: number }> = [];
    for (const entry of inScope) {
      if (scored.has(entry.id)) continue;
      const { paragraph } = entry;
      const vectors = semantic.parts.get(
        partKey(paragraph.scope, paragraph.documentId, paragraph.number, paragraph.part),
      );
      if (vectors !== undefined)
        nearest.push({ entry, cosine: maxSentenceCosine(semantic.question, vectors) });
    }
    nearest.sort((a, b) => b.cosine - a.cosine);
    for (const { entry } of nearest.slice(0, state.options.rerankDepth)) {
      const { record, context } = entry;
      const evidence = weighEvidence(record, context, question.query);
      const score =
        coverageWeight * evidence.coverage +
        sentenceWeight * evidence.sentenceShare +
        windowWeight * evidence.windowShare +
        pairWeight * evidence.pairShare;
      scored.set(entry.id, { entry, record, context, bm25: 0, evidence, score });
    }
  }
  const candidates: Candidate[] = [];
  for (const candidate of scored.values()) {
    const { paragraph } = candidate.entry;
    const vectors = semantic.parts.get(
      partKey(paragraph.scope, paragraph.documentId, paragraph.number, paragraph.part),
    );
    // A part without vectors yet (a document just added) keeps its lexical score alone.
    if (vectors === undefined) {
      candidates.push(candidate);
      continue;
    }
    const cosine = maxSentenceCosine(semantic.question, vectors);
    candidates.push({ ...candidate, semantic: cosine, score: candidate.score + semanticWeight * cosine });
  }
  // Stable: ties keep the lexical order, then the document order.
  return candidates.sort((a, b) => b.score - a.score);
}

/** Every entry the question may be answered from, or undefined when there are more than `limit`. */
function entriesInScope(state: IndexState, options: AskOptions, limit: number): Entry[] | undefined {
  const scopes = [
    SHIPPED_SCOPE,
    ...(options.scope === undefined || options.scope === SHIPPED_SCOPE ? [] : [options.scope]),
  ];
  const entries: Entry[] = [];
  const ids = options.documentIds ?? undefined;
  for (const scope of scopes) {
    if (ids !== undefined) {
      for (const id of ids) {
        if (state.pending.has(keyOf(scope, id))) continue;
        const indexed = state.documents.get(keyOf(scope, id));
        if (indexed !== undefined) entries.push(...indexed.entries);
        if (entries.length > limit) return undefined;
      }
      continue;
    }
    for (const indexed of state.documents.values()) {
      if (indexed.document.meta.scope !== scope) continue;
      entries.push(...indexed.entries);
      if (entries.length > limit) return undefined;
    }
  }
  return entries;
}
