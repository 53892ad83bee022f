/**
 * The shipped corpus's own glossary, `corpus/glossary.json`: the spellings and names its documents mix
 * (Uighur/Uyghur, UN/United Nations...), applied to every question in every server, the terminal and
 * the CLI. Data, validated like the manifest: a broken list is an error at start, naming the entry.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_GLOSSARY_ENTRIES, MAX_GLOSSARY_TERM_CHARS, VerbatimError } from '../core/index.ts';
import type { GlossaryEntry } from '../core/index.ts';
import { describeIssue } from './meta.ts';

export const GLOSSARY_FILE = 'glossary.json';

const termSchema = z.string().trim().min(1, 'must not be empty').max(MAX_GLOSSARY_TERM_CHARS);

const glossaryFileSchema = z.strictObject({
  note: z.string(),
  entries: z
    .array(
      z.strictObject({
        term: termSchema,
        means: termSchema,
        bothWays: z.boolean(),
        /** Where the documents show the mix, so a reader can check the entry. */
        why: z.string().trim().min(1, 'must say where the documents show it'),
      }),
    )
    .max(MAX_GLOSSARY_ENTRIES),
});

/**
 * The entries of `<dir>/glossary.json`, or none when the folder has no such file (a test corpus).
 * Throws VerbatimError BAD_METADATA naming the file and the entry.
 */
export async function loadShippedGlossary(dir: string): Promise<GlossaryEntry[]> {
  const path = join(dir, GLOSSARY_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new VerbatimError('BAD_METADATA', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = glossaryFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VerbatimError(
      'BAD_METADATA',
      `${path}: ${issue === undefined ? 'invalid' : describeIssue(issue)}`,
    );
  }
  return parsed.data.entries.map(({ term, means, bothWays }) => ({ term, means, bothWays }));
}
