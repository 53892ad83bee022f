/**
 * `npx tsx tools/build-corpus-vectors.ts` — writes the shipped corpus's sentence vectors
 * (`corpus/vectors/<model>.vec`), so the bot ranks the shipped corpus semantically from its first question
 * without encoding it. Run it after changing a text of `corpus/`; test/semantic/corpus-vectors.test.ts
 * fails until then. Deterministic for a given model: the same texts give the same file.
 */
import { rm } from 'node:fs/promises';
import { SearchEngine } from '../src/core/index.ts';
import { createLogger } from '../src/log.ts';
import { startWorkerEncoder } from '../src/semantic/encoder.ts';
import { DIMENSIONS } from '../src/semantic/model.ts';
import { corpusVectorFile } from '../src/semantic/semantic-service.ts';
import { openSemanticIndex } from '../src/semantic/semantic-index.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from '../src/store/corpus.ts';

const file = corpusVectorFile(DEFAULT_CORPUS_DIR);
await rm(file, { force: true });
const encoder = startWorkerEncoder();
const index = await openSemanticIndex({
  encoder,
  dimensions: DIMENSIONS,
  logger: createLogger('info'),
  deadlineMs: Number.POSITIVE_INFINITY,
  vectorFile: file,
  batchSize: 16,
});
const engine = new SearchEngine();
for (const document of await loadShippedCorpus()) index.track(document, engine.add(document));
await index.idle();
await encoder.close();
process.stdout.write(`${index.encodedSentences} sentence vectors written to ${file}\n`);
