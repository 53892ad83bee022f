/** The search core's one public door. */
export * from './types.ts';
export * from './errors.ts';
export { SearchEngine, defaultEngineOptions } from './engine.ts';
export type {
  EngineOptions,
  EngineOptionsInput,
  Explanation,
  ExplainedCandidate,
  ExplainedTerm,
} from './engine.ts';
export { SnapshotError } from './snapshot-codec.ts';
export type { SnapshotProblem } from './snapshot-codec.ts';
export type { EngineSnapshot } from './snapshot.ts';
export { defaultAnalyzerOptions } from './analyzer.ts';
export type { AnalyzerOptions } from './analyzer.ts';
export { paragraphCountOf, segment } from './paragraphs.ts';
export { segmentInWindows } from './segment-windows.ts';
export { Slices } from './slices.ts';
export type { Block, Segmentation } from './paragraphs.ts';
export { maxSentenceCosine, partKey, quantiseVector } from './semantic.ts';
export type { PartVectors, SemanticInput } from './semantic.ts';
