/**
 * Adding several documents at once (`/document add` with several attachments or one `.zip`, and the
 * terminal's `add` with several files or a folder): each file is added on its own, and each gets one
 * outcome, added or skipped with the sentence saying why, so one bad file never stops the others.
 */
import { VerbatimError } from './core/index.ts';
import { readZip } from './ingest/zip.ts';
import type { AddDocumentInput, DocumentSource, DocumentSummary, Library } from './library.ts';

/** One file to add, or one already known to be skipped (with why). */
export interface IncomingFile {
  name: string;
  source?: Extract<DocumentSource, { kind: 'file' }>;
  skipped?: string;
}

export interface FileOutcome {
  name: string;
  added?: DocumentSummary;
  /** The sentence saying why the file was not added. */
  skipped?: string;
}

/**
 * The files to add, each `.zip` replaced by the files inside it (within ZIP_LIMITS). A zip refused whole
 * becomes one skipped line.
 */
export async function expandZips(files: readonly IncomingFile[]): Promise<IncomingFile[]> {
  const out: IncomingFile[] = [];
  for (const file of files) {
    if (file.source === undefined || !/\.zip$/i.test(file.name)) {
      out.push(file);
      continue;
    }
    try {
      const contents = await readZip(file.name, file.source.bytes);
      for (const inner of contents.files)
        out.push({ name: inner.name, source: { kind: 'file', fileName: inner.name, bytes: inner.bytes } });
      for (const skipped of contents.skipped) out.push({ name: skipped.name, skipped: skipped.why });
    } catch (error) {
      if (!(error instanceof VerbatimError)) throw error;
      out.push({ name: file.name, skipped: error.message });
    }
  }
  return out;
}

/** Adds each file in turn with the same metadata; a user error skips that file and the next goes on. */
export async function addEach(
  library: Library,
  files: readonly IncomingFile[],
  common: Omit<AddDocumentInput, 'source' | 'title'>,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    if (file.source === undefined) {
      outcomes.push({ name: file.name, skipped: file.skipped ?? 'it could not be read' });
      continue;
    }
    try {
      outcomes.push({ name: file.name, added: await library.add({ ...common, source: file.source }) });
    } catch (error) {
      if (!(error instanceof VerbatimError)) throw error;
      outcomes.push({ name: file.name, skipped: error.message });
    }
  }
  return outcomes;
}
