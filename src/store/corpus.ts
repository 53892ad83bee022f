/**
 * The shipped corpus: `corpus/manifest.json` (one entry of metadata per document) and one text file per
 * document, exactly as captured. The text is never altered here: site boilerplate is recognised later by
 * the core's segmentation, so every quote can be checked against the file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SHIPPED_SCOPE, VerbatimError } from '../core/index.ts';
import type { SourceDocument } from '../core/index.ts';
import { decodeUtf8Text } from '../ingest/decode.ts';
import { describeIssue, documentIdSchema, isoDateOrEmptySchema, isWebUrl, languageSchema } from './meta.ts';

/** The repository's `corpus/` folder, found from this module's location so any working directory works. */
export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../../corpus/', import.meta.url));

export const MANIFEST_FILE = 'manifest.json';

const manifestEntrySchema = z
  .strictObject({
    id: documentIdSchema,
    file: z.string(),
    title: z.string().trim().min(1, 'must not be empty'),
    publisher: z.string().trim().min(1, 'must not be empty (write "Unknown" when the text does not say)'),
    date: isoDateOrEmptySchema,
    dateEstimated: z.boolean(),
    url: z
      .string()
      .refine((url) => url === '' || isWebUrl(url, ['https:']), 'must be empty or an https:// URL'),
    language: languageSchema,
    /** The capture this file was copied from (in ../shared/seeds/), kept so the corpus test can compare. */
    seedFile: z.string().min(1),
  })
  .refine((entry) => entry.file === `${entry.id}.txt`, {
    message: 'must be the id followed by ".txt"',
    path: ['file'],
  });

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

const manifestSchema = z.array(manifestEntrySchema).superRefine((entries, context) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) {
      context.addIssue({
        code: 'custom',
        message: `duplicates an earlier entry's id "${entry.id}"`,
        path: [index, 'id'],
      });
    }
    seen.add(entry.id);
  });
});

/** Reads and validates the manifest; throws VerbatimError BAD_METADATA naming the file, entry and field. */
export async function readManifest(dir: string = DEFAULT_CORPUS_DIR): Promise<ManifestEntry[]> {
  const path = join(dir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new VerbatimError('BAD_METADATA', `Cannot read the corpus manifest ${path}: ${errorText(error)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new VerbatimError(
      'BAD_METADATA',
      `The corpus manifest ${path} is not valid JSON: ${errorText(error)}.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const [index, ...field] = issue.path;
      if (typeof index !== 'number') return describeIssue(issue);
      const id = Array.isArray(json) ? (json[index] as { id?: unknown } | undefined)?.id : undefined;
      const entry = `entry ${index + 1}${typeof id === 'string' ? ` ("${id}")` : ''}`;
      return `${entry} ${describeIssue({ ...issue, path: field })}`;
    });
    throw new VerbatimError(
      'BAD_METADATA',
      `The corpus manifest ${path} is not valid: ${problems.join('; ')}.`,
    );
  }
  return parsed.data;
}

/** Every shipped document in manifest order, its text exactly as stored, in SHIPPED_SCOPE. */
export async function loadShippedCorpus(dir: string = DEFAULT_CORPUS_DIR): Promise<SourceDocument[]> {
  const entries = await readManifest(dir);
  return Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.file);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw new VerbatimError(
          'UNREADABLE_FILE',
          `The corpus manifest lists "${entry.file}" (id "${entry.id}"), but ${path} cannot be read: ${errorText(error)}.`,
        );
      }
      const text = decodeShipped(bytes, path);
      const { seedFile: _seedFile, file: _file, ...meta } = entry;
      return { meta: { ...meta, scope: SHIPPED_SCOPE }, text };
    }),
  );
}

/** Shipped files are checked like uploads, but never rewritten: a CR is kept if a capture has one. */
function decodeShipped(bytes: Uint8Array, path: string): string {
  decodeUtf8Text(bytes, path); // throws UNREADABLE_FILE for binary or non-UTF-8 captures
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
