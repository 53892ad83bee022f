/**
 * What the evaluation needs from a search engine: the core SearchEngine satisfies it structurally, and
 * tests can pass a small stand-in. Keeping it this narrow means the eval measures only the public API.
 */
import type { AskOptions, AskResult, Explanation, Paragraph, SourceDocument } from '../core/index.ts';

export interface EvalEngine {
  /** Indexes a document and returns its paragraphs (with their parts) as the engine numbered them. */
  add(document: SourceDocument): readonly Paragraph[];
  ask(question: string, options?: AskOptions): AskResult;
  /** Optional: what the engine saw and decided (terms, candidates, coverage), for `diagnose`. */
  explain?(question: string, options?: AskOptions): Explanation;
}
