/** Uploads extracted in a worker thread give exactly what extraction in this thread gives, errors included. */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { VerbatimError } from '../../src/core/index.ts';
import { DEFAULT_EXTRACTION_LIMITS, extractText, type UploadedFile } from '../../src/ingest/extract.ts';
import { beginMemoryWork } from '../../src/memory-work.ts';
import { extractOffThread } from '../../src/store/extract-off-thread.ts';

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../fixtures/${name}`, import.meta.url)));
}

async function outcome(
  extract: (file: UploadedFile) => Promise<unknown>,
  file: UploadedFile,
): Promise<unknown> {
  try {
    return await extract(file);
  } catch (error) {
    expect(error).toBeInstanceOf(VerbatimError);
    const { code, message } = error as VerbatimError;
    return { code, message };
  }
}

describe('extractOffThread', () => {
  it.each([
    ['an HTML page', 'article.html', undefined],
    ['a PDF', 'report.pdf', undefined],
    ['a page with no text', 'empty-page.html', undefined],
    ['an image', 'pixel.png', 'image/png'],
  ])('gives what extractText gives for %s', async (_what, name, contentType) => {
    const file: UploadedFile = { fileName: name, contentType, bytes: await fixture(name) };
    expect(await outcome(extractOffThread, file)).toEqual(await outcome(extractText, file));
  });

  it('refuses a damaged PDF with the same code and sentence', async () => {
    const bytes = (await fixture('report.pdf')).slice(0, 400);
    const file: UploadedFile = { fileName: 'report.pdf', bytes };
    const refused = (await outcome(extractOffThread, file)) as { code: string };
    expect(refused.code).toBe('UNREADABLE_FILE');
    expect(refused).toEqual(await outcome(extractText, file));
  });

  describe('memory guard', () => {
    const limits = { ...DEFAULT_EXTRACTION_LIMITS, memoryMb: 128 };
    // Every test's growth stays alive until the end: a buffer of an earlier test collected during a later
    // one would cancel that one's growth (seen in CI: the unmarked read came back with the PDF's text).
    const kept: Buffer[] = [];
    afterAll(() => {
      kept.length = 0;
    });
    /** Reads report.pdf while this thread grows by 300 MB, as the encoder loading its model does. */
    async function readWhileGrowing(marked: boolean): Promise<unknown> {
      const file: UploadedFile = { fileName: 'report.pdf', bytes: await fixture('report.pdf') };
      const reading = outcome((upload) => extractOffThread(upload, limits), file);
      const end = marked ? beginMemoryWork() : () => undefined;
      // Filled, not zeroed: the pages must really be touched to count in resident memory.
      const grown = Buffer.alloc(300 * 1024 * 1024, 1);
      kept.push(grown);
      // This thread stays busy while the worker reads, as a loaded machine's event loop can: the worker's
      // answer then arrives before the guard's next look (the race CI met), and must be judged all the same.
      const busyUntil = performance.now() + 2_000;
      while (performance.now() < busyUntil);
      // The guard looks every 50 ms; real encoder work lasts at least that long.
      await new Promise((resolve) => setTimeout(resolve, 200));
      end();
      const result = await reading;
      expect(grown.length).toBeGreaterThan(0);
      return result;
    }

    it("does not blame an ordinary PDF for the encoder's memory growing meanwhile", async () => {
      expect(await readWhileGrowing(true)).toEqual(
        await outcome(extractText, {
          fileName: 'report.pdf',
          bytes: await fixture('report.pdf'),
        }),
      );
    });

    it('still stops a file while the process grows past the limit with nothing else to blame', async () => {
      expect(await readWhileGrowing(false)).toMatchObject({ code: 'EXTRACTION_LIMIT' });
    });
  });
});
