/**
 * The shipped copy of a capture of ../shared/seeds/, by the capture's file name. Tests read the copy so they
 * run on a clone that has no ../shared next to it; test/store/corpus.test.ts proves the copy is byte for byte
 * the capture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CORPUS_DIR = new URL('../../corpus/', import.meta.url);

interface ManifestEntry {
  file: string;
  seedFile: string;
}

const manifest = JSON.parse(readFileSync(new URL('manifest.json', CORPUS_DIR), 'utf8')) as ManifestEntry[];

export function shippedCopyOf(seedFile: string): string {
  const entry = manifest.find((candidate) => candidate.seedFile === seedFile);
  if (entry === undefined) throw new Error(`no shipped copy of ${seedFile} in corpus/manifest.json`);
  return fileURLToPath(new URL(entry.file, CORPUS_DIR));
}
