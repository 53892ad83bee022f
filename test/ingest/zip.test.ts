/**
 * The zip reader's limits, on zips built here: too many files, too much once uncompressed, a file that
 * expands like a bomb, and a damaged zip are refused whole with one sentence; folders are passed over.
 */
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { readZip, ZIP_LIMITS } from '../../src/ingest/zip.ts';

function zip(files: [string, Buffer, boolean?][]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, bytes, compress = true] of files) archive.addBuffer(bytes, name, { compress });
  archive.addEmptyDirectory('empty/');
  archive.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

describe('readZip', () => {
  it('returns each file with its bytes, folders left out', async () => {
    const read = await readZip(
      'a.zip',
      await zip([
        ['x/one.txt', Buffer.from('one')],
        ['two.md', Buffer.from('two')],
      ]),
    );
    expect(read.files.map((f) => [f.name, Buffer.from(f.bytes).toString()])).toEqual([
      ['x/one.txt', 'one'],
      ['two.md', 'two'],
    ]);
    expect(read.skipped).toEqual([]);
  });

  it.each([
    [
      'too many files',
      () => zip(Array.from({ length: ZIP_LIMITS.entries + 1 }, (_, i) => [`f${i}.txt`, Buffer.from(`${i}`)])),
      `big.zip was not opened: it holds ${ZIP_LIMITS.entries + 1} files, and at most ${ZIP_LIMITS.entries} are read. Nothing in it was added.`,
    ],
    [
      'too much once uncompressed',
      () => zip([0, 1, 2].map((i) => [`f${i}.txt`, Buffer.alloc(9 * 1024 * 1024), false])),
      'big.zip was not opened: its files would take 27 MB once uncompressed, over the 25 MB allowed. Nothing in it was added.',
    ],
    [
      'a file that expands like a bomb',
      () => zip([['zeros.txt', Buffer.alloc(5 * 1024 * 1024)]]),
      /^big\.zip was not opened: zeros\.txt expands \d+ times, more than any document does \(a zip bomb\?\)/,
    ],
    [
      'a damaged zip',
      () => Promise.resolve(Buffer.from('PK not really a zip')),
      'big.zip was not opened: it is not a readable zip file. Nothing in it was added.',
    ],
  ])('refuses %s whole', async (_name, build, sentence) => {
    const error = await readZip('big.zip', await build()).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    if (typeof sentence === 'string') expect(error?.message).toBe(sentence);
    else expect(error?.message).toMatch(sentence);
  });
});
