/**
 * The files of a `.zip` a moderator uploads, bounded before and while anything is decompressed, so a zip
 * bomb costs a few kilobytes of reading and no memory:
 *
 * - the central directory is read first (yauzl reads it, never scanning local headers) and the whole zip
 *   is refused when it names more than ZIP_LIMITS.entries files, declares more than `totalBytes`
 *   uncompressed, or any file expands more than `ratio` times;
 * - while a file is inflated, yauzl checks that it does not grow past its declared size (so a directory
 *   that lies is caught), and we stop at `fileBytes` whatever was declared;
 * - a zip inside the zip is not opened (listed as skipped), nor are folders; unsafe names (`../`, absolute)
 *   are refused by yauzl.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { VerbatimError } from '../core/index.ts';

export const ZIP_LIMITS = {
  /** Files (not folders) in one zip. */
  entries: 20,
  /** One file's uncompressed size: the same as one attachment. */
  fileBytes: 10 * 1024 * 1024,
  /** All files together, uncompressed. */
  totalBytes: 25 * 1024 * 1024,
  /** Largest uncompressed/compressed ratio of one file: text compresses 3 to 10 times; bombs 1000. */
  ratio: 100,
} as const;

export interface ZipEntryFile {
  /** The path inside the zip. */
  name: string;
  bytes: Uint8Array;
}

export interface ZipContents {
  files: ZipEntryFile[];
  /** Files not opened, with why. */
  skipped: { name: string; why: string }[];
}

const MB = 1024 * 1024;

function refused(zipName: string, why: string): VerbatimError {
  return new VerbatimError('UNREADABLE_FILE', `${zipName} was not opened: ${why}. Nothing in it was added.`);
}

function open(bytes: Uint8Array): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

/** Every entry of the central directory, without decompressing anything. */
function entriesOf(zip: ZipFile, zipName: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      // Stop reading the directory once it is clearly too long: a million empty names is a bomb too.
      if (entries.length > ZIP_LIMITS.entries * 5) {
        reject(refused(zipName, `it holds more than ${ZIP_LIMITS.entries} files`));
        zip.close();
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function readEntry(zip: ZipFile, entry: Entry): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > ZIP_LIMITS.fileBytes) {
          stream.destroy(new Error('larger than declared'));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      stream.on('error', reject);
    });
  });
}

/** The files of a zip within ZIP_LIMITS; throws VerbatimError UNREADABLE_FILE for a zip refused whole. */
export async function readZip(zipName: string, bytes: Uint8Array): Promise<ZipContents> {
  let zip: ZipFile;
  try {
    zip = await open(bytes);
  } catch {
    throw refused(zipName, 'it is not a readable zip file');
  }
  try {
    let entries: Entry[];
    try {
      entries = await entriesOf(zip, zipName);
    } catch (error) {
      if (error instanceof VerbatimError) throw error;
      throw refused(zipName, 'its list of files is damaged or names a file outside the zip');
    }
    const files = entries.filter((entry) => !entry.fileName.endsWith('/'));
    if (files.length > ZIP_LIMITS.entries)
      throw refused(zipName, `it holds ${files.length} files, and at most ${ZIP_LIMITS.entries} are read`);
    const total = files.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (total > ZIP_LIMITS.totalBytes)
      throw refused(
        zipName,
        `its files would take ${Math.ceil(total / MB)} MB once uncompressed, over the ${ZIP_LIMITS.totalBytes / MB} MB allowed`,
      );
    for (const entry of files) {
      if (entry.uncompressedSize > ZIP_LIMITS.ratio * Math.max(1, entry.compressedSize))
        throw refused(
          zipName,
          `${entry.fileName} expands ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times, more than any document does (a zip bomb?)`,
        );
    }
    const contents: ZipContents = { files: [], skipped: [] };
    for (const entry of files) {
      const name = entry.fileName;
      if (/\.zip$/i.test(name)) {
        contents.skipped.push({ name, why: 'a zip inside the zip is not opened' });
        continue;
      }
      if (entry.uncompressedSize > ZIP_LIMITS.fileBytes) {
        contents.skipped.push({ name, why: 'larger than 10 MB uncompressed' });
        continue;
      }
      try {
        contents.files.push({ name, bytes: await readEntry(zip, entry) });
      } catch {
        // Damaged, encrypted, or larger than its declared size: the rest of the zip is still read.
        contents.skipped.push({ name, why: 'it could not be read from the zip (damaged or encrypted)' });
      }
    }
    return contents;
  } finally {
    zip.close();
  }
}
