/**
 * Text extraction of uploaded HTML and PDF files in a worker thread. Readability over a 5 MB page or pdf.js
 * over a few hundred pages runs for seconds without yielding, which would stop the bot answering anyone;
 * in a worker the event loop only pays for receiving the text. One short-lived worker per file: uploads
 * are rare, and nothing stays running between them.
 *
 * The worker runs the TypeScript source through tsx (as `npm start` does), or the compiled module in dist/. Where that is not possible
 * (tsx missing, a runtime without workers) the file is extracted in this thread instead, as before:
 * slower to answer others meanwhile, never a different result.
 */
import { Worker } from 'node:worker_threads';
import { VerbatimError, type ErrorCode } from '../core/index.ts';
import { detectFormat, extractText, type ExtractedText, type UploadedFile } from '../ingest/extract.ts';
import { isCompiled, siblingModule } from '../module-file.ts';

/** What the worker sends back. */
export type ExtractionReply =
  { ok: true; extracted: ExtractedText } | { ok: false; code?: ErrorCode; message: string };

const WORKER_URL = siblingModule('./extract-worker.ts', import.meta.url).href;
/** Compiled, the worker is plain JavaScript; otherwise tsx is registered in it first. */
const BOOTSTRAP = isCompiled(import.meta.url)
  ? `import(${JSON.stringify(WORKER_URL)})`
  : // tsx's API, found from this module rather than from the working directory the worker starts in.
    `import(${JSON.stringify(resolvedOr('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); })`;

function resolvedOr(specifier: string): string {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}

/** `extractText`, in a worker thread for HTML and PDF; plain text and Markdown only need decoding. */
export async function extractOffThread(file: UploadedFile): Promise<ExtractedText> {
  const format = detectFormat(file.fileName, file.contentType);
  if (format !== 'html' && format !== 'pdf') return extractText(file);
  let reply: ExtractionReply | undefined;
  try {
    reply = await inWorker(file);
  } catch {
    reply = undefined;
  }
  if (reply === undefined) return extractText(file);
  if (reply.ok) return reply.extracted;
  if (reply.code !== undefined) throw new VerbatimError(reply.code, reply.message);
  throw new Error(reply.message);
}

/** The worker's reply; undefined when the worker could not start or ended without replying. */
function inWorker(file: UploadedFile): Promise<ExtractionReply | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(BOOTSTRAP, { eval: true });
    let settled = false;
    const settle = (reply: ExtractionReply | undefined): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(reply);
    };
    worker.once('message', (reply: ExtractionReply) => settle(reply));
    worker.once('error', () => settle(undefined));
    worker.once('exit', () => settle(undefined));
    worker.postMessage({ fileName: file.fileName, contentType: file.contentType, bytes: file.bytes });
  });
}
