/**
 * The shipped corpus ships its sentence vectors (corpus/vectors/), so the bot ranks it semantically from
 * its first question without encoding a sentence. Tested like the corpus itself: a changed text fails here
 * until `npx tsx tools/build-corpus-vectors.ts` is run again.
 */
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SearchEngine, SHIPPED_SCOPE } from '../../src/core/index.ts';
import { silentLogger } from '../../src/log.ts';
import { DIMENSIONS } from '../../src/semantic/model.ts';
import { corpusVectorFile } from '../../src/semantic/semantic-service.ts';
import { openSemanticIndex } from '../../src/semantic/semantic-index.ts';
import { partTextsOf } from '../../src/semantic/sentences.ts';
import { recordBytes } from '../../src/semantic/vector-file.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from '../../src/store/corpus.ts';
import { FakeEncoder } from '../helpers/fake-encoder.ts';

describe('the shipped corpus vectors', () => {
  it('cover every sentence of every passage of the shipped corpus, with nothing else in the file', async () => {
    const encoder = new FakeEncoder(DIMENSIONS);
    const file = corpusVectorFile(DEFAULT_CORPUS_DIR);
    const index = await openSemanticIndex({
      encoder,
      dimensions: DIMENSIONS,
      logger: silentLogger(),
      deadlineMs: 100,
      readOnlyFiles: [file],
    });
    const engine = new SearchEngine();
    const sentences = new Set<string>();
    for (const document of await loadShippedCorpus()) {
      const paragraphs = engine.add(document);
      index.track(document, paragraphs);
      for (const { start, end } of paragraphs)
        for (const sentence of partTextsOf(document.text.slice(start, end)).texts) sentences.add(sentence);
    }
    await index.idle();
    expect(encoder.encoded).toEqual([]);
    const progress = index.progress([SHIPPED_SCOPE]);
    expect(progress.ready).toBe(progress.parts);
    expect(progress.parts).toBe(engine.paragraphCount);
    // One record per distinct sentence (int8: small enough to keep in git).
    expect((await stat(file)).size).toBe(sentences.size * recordBytes(DIMENSIONS));
  });
});
