/** The search core's one public door. */
export * from './types.ts';
export * from './errors.ts';
export { SearchEngine } from './engine.ts';
export { defaultEngineOptions } from './options.ts';
export type { EngineOptions, EngineOptionsInput } from './options.ts';
export type { Explanation, ExplainedCandidate, RankingStage } from './ask/pipeline.ts';
export type { ExplainedTerm } from './ask/question.ts';
export { SnapshotError } from './snapshot/codec.ts';
export type { SnapshotProblem } from './snapshot/codec.ts';
export { snapshotJson } from './snapshot/format.ts';
export type { EngineSnapshot } from './snapshot/format.ts';
export { createAnalyzer, defaultAnalyzerOptions } from './analyzer.ts';
export type { AnalyzerOptions } from './analyzer.ts';
export { paragraphCountOf, segment } from './paragraphs.ts';
export { segmentInWindows } from './segment-windows.ts';
export { Slices } from './slices.ts';
export type { Block, Segmentation } from './paragraphs.ts';
