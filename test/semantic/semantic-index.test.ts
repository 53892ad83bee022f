import { mkdtemp, rm, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  maxSentenceCosine,
  partKey,
  quantiseVector,
  SearchEngine,
  SHIPPED_SCOPE,
  type SourceDocument,
} from '../../src/core/index.ts';
import { silentLogger } from '../../src/log.ts';
import { openSemanticIndex } from '../../src/semantic/semantic-index.ts';
import { sentenceKey } from '../../src/semantic/sentences.ts';
import { recordBytes, VectorFileWriter } from '../../src/semantic/vector-file.ts';
import { testDocument } from '../helpers/documents.ts';
import { FAKE_DIMENSIONS, FakeEncoder, fakeVector } from '../helpers/fake-encoder.ts';

const harbour = testDocument(
  'harbour',
  [
    'The Harbour Report',
    'The old lighthouse was built in 1821. It guided fishing boats past the reef.',
    'Ferries to the island leave every morning at seven. They return before dusk in summer.',
  ].join('\n\n'),
);

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-semantic-'));
  dirs.push(dir);
  return dir;
}

async function indexOf(
  document: SourceDocument,
  encoder: FakeEncoder,
  vectorFile?: string,
  deadlineMs = 1000,
) {
  const index = await openSemanticIndex({
    encoder,
    dimensions: FAKE_DIMENSIONS,
    logger: silentLogger(),
    deadlineMs,
    ...(vectorFile === undefined ? {} : { vectorFile }),
  });
  const engine = new SearchEngine();
  index.track(document, engine.add(document));
  await index.idle();
  return index;
}

describe('the semantic index', () => {
  it('encodes every sentence of every part and each whole part once, and gives each part its best', async () => {
    const encoder = new FakeEncoder();
    const index = await indexOf(harbour, encoder);
    expect(encoder.encoded).toEqual([
      'The old lighthouse was built in 1821.',
      'It guided fishing boats past the reef.',
      'The old lighthouse was built in 1821. It guided fishing boats past the reef.',
      'Ferries to the island leave every morning at seven.',
      'They return before dusk in summer.',
      'Ferries to the island leave every morning at seven. They return before dusk in summer.',
    ]);
    expect(index.progress([SHIPPED_SCOPE])).toEqual({ parts: 2, ready: 2 });
    const ferries = index.parts.get(partKey(SHIPPED_SCOPE, 'harbour', 2, 1));
    expect(ferries).toBeDefined();
    // The question matches the second sentence exactly: the part scores that sentence (≈ 1).
    const cosine = maxSentenceCosine(fakeVector('They return before dusk in summer.'), ferries!);
    expect(cosine).toBeGreaterThan(0.98);
  });

  it('keeps vectors across a restart: the same text is not encoded again, a changed sentence is', async () => {
    const file = join(await tempDir(), 'vectors', 'model.vec');
    await indexOf(harbour, new FakeEncoder(), file);
    const again = new FakeEncoder();
    const reopened = await indexOf(harbour, again, file);
    expect(again.encoded).toEqual([]);
    expect(reopened.progress([SHIPPED_SCOPE])).toEqual({ parts: 2, ready: 2 });

    const changed = testDocument('harbour', harbour.text.replace('at seven', 'at eight'));
    const third = new FakeEncoder();
    await indexOf(changed, third, file);
    expect(third.encoded).toEqual([
      'Ferries to the island leave every morning at eight.',
      'Ferries to the island leave every morning at eight. They return before dusk in summer.',
    ]);
  });

  it('reads the whole records of a file cut short by a kill, and appends after them', async () => {
    const file = join(await tempDir(), 'model.vec');
    await indexOf(harbour, new FakeEncoder(), file);
    const whole = (await stat(file)).size;
    expect(whole).toBe(6 * recordBytes(FAKE_DIMENSIONS));
    await appendFile(file, Buffer.alloc(recordBytes(FAKE_DIMENSIONS) - 7, 9));
    const again = new FakeEncoder();
    const changed = testDocument('harbour', harbour.text.replace('at seven', 'at nine'));
    await indexOf(changed, again, file);
    expect(again.encoded).toEqual([
      'Ferries to the island leave every morning at nine.',
      'Ferries to the island leave every morning at nine. They return before dusk in summer.',
    ]);
    expect((await stat(file)).size).toBe(8 * recordBytes(FAKE_DIMENSIONS));
  });

  it('ranks a part by its stored sentences while its whole is encoded (vectors stored by an older version)', async () => {
    const file = join(await tempDir(), 'model.vec');
    const sentences = [
      'The old lighthouse was built in 1821.',
      'It guided fishing boats past the reef.',
      'Ferries to the island leave every morning at seven.',
      'They return before dusk in summer.',
    ];
    await new VectorFileWriter(file, FAKE_DIMENSIONS).append(
      sentences.map((sentence) => [sentenceKey(sentence), quantiseVector(fakeVector(sentence))]),
    );
    const encoder = new FakeEncoder();
    encoder.delayMs = 100;
    const index = await openSemanticIndex({
      encoder,
      dimensions: FAKE_DIMENSIONS,
      logger: silentLogger(),
      deadlineMs: 1000,
      vectorFile: file,
    });
    index.track(harbour, new SearchEngine().add(harbour));
    // Before anything is encoded, both parts rank by their sentences.
    expect(index.progress([SHIPPED_SCOPE])).toEqual({ parts: 2, ready: 2 });
    expect(index.parts.get(partKey(SHIPPED_SCOPE, 'harbour', 2, 1))?.scales).toHaveLength(2);
    await index.idle();
    expect(encoder.encoded).toEqual([
      'The old lighthouse was built in 1821. It guided fishing boats past the reef.',
      'Ferries to the island leave every morning at seven. They return before dusk in summer.',
    ]);
    expect(index.parts.get(partKey(SHIPPED_SCOPE, 'harbour', 2, 1))?.scales).toHaveLength(3);
  });

  it('answers without a question vector when it would come after the deadline', async () => {
    const encoder = new FakeEncoder();
    const index = await indexOf(harbour, encoder, undefined, 30);
    encoder.delayMs = 200;
    expect(await index.input('When do ferries leave?')).toBeUndefined();
    encoder.delayMs = 0;
    expect((await index.input('When do ferries leave?'))?.question).toHaveLength(FAKE_DIMENSIONS);
  });

  it('answers without a question vector when the encoder failed or is still loading', async () => {
    const encoder = new FakeEncoder();
    const index = await indexOf(harbour, encoder);
    encoder.state = 'loading';
    expect(await index.input('When do ferries leave?')).toBeUndefined();
    encoder.state = 'failed';
    expect(await index.input('When do ferries leave?')).toBeUndefined();
  });

  it('counts a new document as not ready until its sentences are encoded, and forgets a removed one', async () => {
    const encoder = new FakeEncoder();
    const index = await indexOf(harbour, encoder);
    encoder.delayMs = 50;
    const market = testDocument('market', 'Title\n\nThe fish market opens on Saturdays.', 'guild:1');
    index.track(market, new SearchEngine().add(market));
    expect(index.progress([SHIPPED_SCOPE, 'guild:1'])).toEqual({ parts: 3, ready: 2 });
    await index.idle();
    expect(index.progress([SHIPPED_SCOPE, 'guild:1'])).toEqual({ parts: 3, ready: 3 });
    index.forget('guild:1', 'market');
    expect(index.progress([SHIPPED_SCOPE, 'guild:1'])).toEqual({ parts: 2, ready: 2 });
    expect(index.parts.has(partKey('guild:1', 'market', 1, 1))).toBe(false);
  });
});
