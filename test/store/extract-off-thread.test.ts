/** Uploads extracted in a worker thread give exactly what extraction in this thread gives, errors included. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VerbatimError } from '../../src/core/index.ts';
import { extractText, type UploadedFile } from '../../src/ingest/extract.ts';
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
});
