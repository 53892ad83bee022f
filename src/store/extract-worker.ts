/**
 * The body of the extraction worker (see extract-off-thread.ts): says it is ready once its modules are
 * loaded, receives one uploaded file with the limits, answers with its extracted text, or with the
 * VerbatimError's code and message so the main thread can throw it again.
 */
import { parentPort } from 'node:worker_threads';
import { isVerbatimError } from '../core/index.ts';
import { extractText } from '../ingest/extract.ts';
import type { ExtractionReply, ExtractionRequest } from './extract-off-thread.ts';

parentPort?.once('message', ({ file, limits }: ExtractionRequest) => {
  extractText(file, limits).then(
    (extracted) => reply({ ok: true, extracted }),
    (error: unknown) =>
      reply(
        isVerbatimError(error)
          ? { ok: false, code: error.code, message: error.message }
          : { ok: false, message: error instanceof Error ? error.message : String(error) },
      ),
  );
});
reply({ ready: true });

function reply(message: ExtractionReply): void {
  parentPort?.postMessage(message);
}
