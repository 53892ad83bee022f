/**
 * The semantic stage for the evaluation: the real sentence encoder (in its worker), every part of the
 * evaluated documents and every question encoded before anything is timed, so the ranking figures are
 * those of the bot with its vectors ready. Vectors are kept in `.cache/eval-vectors/` (keyed by model and
 * text like the bot's), so only the first run pays for encoding SQuAD (minutes on two cores).
 *
 * The per-question latency of the semantic rows is the core's ask with the vectors given; encoding a
 * question is measured by `npm run bench` (the bot's deadline bounds it).
 */
import { fileURLToPath } from 'node:url';
import { SearchEngine, type SemanticInput, type SourceDocument } from '../core/index.ts';
import { silentLogger, type Logger } from '../log.ts';
import { startWorkerEncoder } from '../semantic/encoder.ts';
import { DIMENSIONS, vectorFileName } from '../semantic/model.ts';
import { openSemanticIndex } from '../semantic/semantic-index.ts';

export const EVAL_VECTOR_FILE = fileURLToPath(
  new URL(`../../.cache/eval-vectors/${vectorFileName()}`, import.meta.url),
);

/** The semantic input of each question, by its text; undefined for a question it has no vector for. */
export type SemanticLookup = (question: string) => SemanticInput | undefined;

/**
 * Encodes `documents` as the engine segments them (a throwaway engine with the same options gives the
 * same parts) and `questions`; throws when the model cannot load.
 */
export async function prepareSemantic(
  documents: readonly SourceDocument[],
  questions: readonly string[],
  options: { logger?: Logger; readOnlyFiles?: readonly string[] } = {},
): Promise<SemanticLookup> {
  const encoder = startWorkerEncoder();
  try {
    const index = await openSemanticIndex({
      encoder,
      dimensions: DIMENSIONS,
      logger: options.logger ?? silentLogger(),
      deadlineMs: Number.POSITIVE_INFINITY,
      batchSize: 32,
      vectorFile: EVAL_VECTOR_FILE,
      ...(options.readOnlyFiles === undefined ? {} : { readOnlyFiles: options.readOnlyFiles }),
    });
    const engine = new SearchEngine();
    for (const document of documents) index.track(document, engine.add(document));
    const unique = [...new Set(questions)];
    const vectors = await index.vectorsOf(unique);
    await index.idle();
    if (encoder.state === 'failed') throw new Error(`the sentence encoder failed: ${encoder.failure ?? ''}`);
    const byQuestion = new Map(unique.map((question, i) => [question, vectors[i] as Float32Array]));
    const parts = index.parts;
    return (question) => {
      const vector = byQuestion.get(question);
      return vector === undefined ? undefined : { question: vector, parts };
    };
  } finally {
    await encoder.close();
  }
}
