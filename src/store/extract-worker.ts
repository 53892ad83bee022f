/**
 * The body of the extraction worker (see extract-off-thread.ts): receives one uploaded file, answers with
 * its extracted text, or with the VerbatimError's code and message so the main thread can throw it again.
 */
import { parentPort } from 'node:worker_threads';
import { isVerbatimError } from '../core/index.ts';
import { extractText, type UploadedFile } from '../ingest/extract.ts';
import type { ExtractionReply } from './extract-off-thread.ts';

parentPort?.once('message', (file: UploadedFile) => {
  extractText(file).then(
    (extracted) => reply({ ok: true, extracted }),
    (error: unknown) =>
      reply(
        isVerbatimError(error)
          ? { ok: false, code: error.code, message: error.message }
          : { ok: false, message: error instanceof Error ? error.message : String(error) },
      ),
  );
});

function reply(message: ExtractionReply): void {
  parentPort?.postMessage(message);
}
