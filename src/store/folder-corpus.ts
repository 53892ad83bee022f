/**
 * A folder of `.txt` / `.md` files used instead of the shipped corpus (the terminal's `--corpus DIR`): one
 * document per file, titled after the file name, paragraphs split on blank lines like any other text.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { SHIPPED_SCOPE, VerbatimError } from '../core/index.ts';
import type { SourceDocument } from '../core/index.ts';
import { decodeUtf8Text } from '../ingest/decode.ts';
import { uniqueId } from './ids.ts';

export const FOLDER_CORPUS_EXTENSIONS: readonly string[] = ['.txt', '.md'];

/**
 * Reads every `.txt` and `.md` file directly inside `dir` (sorted by name; other files and sub-folders are
 * ignored). Throws VerbatimError BAD_OPTION when the folder is missing or has no such file, and
 * UNREADABLE_FILE naming the file when one is binary or not UTF-8.
 */
export async function loadFolderCorpus(dir: string): Promise<SourceDocument[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter(
        (entry) => entry.isFile() && FOLDER_CORPUS_EXTENSIONS.includes(extname(entry.name).toLowerCase()),
      )
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : 'cannot be read';
    throw new VerbatimError(
      'BAD_OPTION',
      `The corpus folder "${dir}" ${why}. Give a folder of .txt or .md files.`,
    );
  }
  if (names.length === 0) {
    throw new VerbatimError('BAD_OPTION', `The corpus folder "${dir}" has no .txt or .md files to index.`);
  }
  const ids = new Set<string>();
  const documents: SourceDocument[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new VerbatimError('UNREADABLE_FILE', `"${path}" cannot be read: ${(error as Error).message}.`);
    }
    const text = decodeUtf8Text(bytes, path);
    const title = name.slice(0, name.length - extname(name).length);
    const id = uniqueId(title, (candidate) => ids.has(candidate));
    ids.add(id);
    documents.push({
      meta: {
        id,
        title,
        publisher: '',
        date: '',
        dateEstimated: false,
        url: '',
        language: 'und',
        scope: SHIPPED_SCOPE,
      },
      text,
    });
  }
  return documents;
}
