/**
 * Text extraction of uploaded HTML and PDF files in a worker thread. Readability over a 5 MB page or pdf.js
 * over a few hundred pages runs for seconds without yielding, which would stop the bot answering anyone;
 * in a worker the event loop only pays for receiving the text. One short-lived worker per file: uploads
 * are rare, and nothing stays running between them.
 *
 * The worker is also where a hostile file is contained. It runs under the extraction limits: `timeMs` for
 * everything, and `memoryMb` twice, as the worker's heap (`resourceLimits`) and as how far the process's
 * resident memory may grow while it runs (polled here), because PDF.js decodes streams into ArrayBuffers
 * that the heap limit does not count. Past either, the worker is terminated and the moderator told which.
 * Growth while other marked work runs (the sentence encoder: src/memory-work.ts) is not counted against the
 * file, up to `FORGIVEN_MAX_MB`, so that the bot's own model cannot get an ordinary file refused while a
 * hostile one still cannot hide more than that behind it.
 *
 * The worker runs the TypeScript source through tsx (as `npm start` does), or the compiled module in
 * dist/. Where that is not possible
 * (tsx missing, a runtime without workers) the file is extracted in this thread instead: slower to answer
 * others meanwhile, never a different result, and the caps on pages, nesting and text still hold. Only a
 * worker that never started falls back: one stopped by a limit is never retried here.
 */
import { Worker } from 'node:worker_threads';
import { VerbatimError, type ErrorCode } from '../core/index.ts';
import { secondsText } from '../ingest/download-clock.ts';
import { DEFAULT_EXTRACTION_LIMITS, detectFormat, extractText } from '../ingest/extract.ts';
import type { ExtractedText, ExtractionLimits, UploadedFile } from '../ingest/extract.ts';
import { memoryWorkInProgress } from '../memory-work.ts';
import { isCompiled, siblingModule } from '../module-file.ts';

/** What the worker sends back: `ready` once its modules are loaded, then the outcome. */
export type ExtractionReply =
  { ready: true } | { ok: true; extracted: ExtractedText } | { ok: false; code?: ErrorCode; message: string };

/** What the worker receives. */
export interface ExtractionRequest {
  file: UploadedFile;
  limits: ExtractionLimits;
}

const WORKER_URL = siblingModule('./extract-worker.ts', import.meta.url).href;
/** Compiled, the worker is plain JavaScript; otherwise tsx is registered in it first. */
const BOOTSTRAP = isCompiled(import.meta.url)
  ? `import(${JSON.stringify(WORKER_URL)})`
  : // tsx's API, found from this module rather than from the working directory the worker starts in.
    `import(${JSON.stringify(resolvedOr('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); })`;
/** How often the process's resident memory is checked while a worker runs. */
const MEMORY_POLL_MS = 50;
/** At most this much growth is set down to other work running at the same time (the encoder's ~300 MB). */
const FORGIVEN_MAX_MB = 512;

function resolvedOr(specifier: string): string {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}

/** `extractText`, in a worker thread for HTML and PDF; plain text and Markdown only need decoding. */
export async function extractOffThread(
  file: UploadedFile,
  limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
): Promise<ExtractedText> {
  const format = detectFormat(file.fileName, file.contentType);
  if (format !== 'html' && format !== 'pdf') return extractText(file, limits);
  const outcome = await inWorker(file, limits);
  if (outcome === 'not started') return extractText(file, limits);
  if (outcome === 'time') {
    throw new VerbatimError(
      'EXTRACTION_LIMIT',
      `"${file.fileName}" took longer than ${secondsText(limits.timeMs)} seconds to read, so reading it was stopped: split it, or add the part that matters.`,
    );
  }
  if (outcome === 'memory') {
    throw new VerbatimError(
      'EXTRACTION_LIMIT',
      `"${file.fileName}" needed more than ${limits.memoryMb} MB of memory to read, so reading it was stopped: split it, or add the part that matters.`,
    );
  }
  // A reader that threw something else (PDF.js or the HTML parser giving up, a stack overflow) stopped on
  // the file, not on the bot: the moderator gets a sentence, as for any unreadable file.
  if (outcome === 'crashed' || 'ready' in outcome || (!outcome.ok && outcome.code === undefined)) {
    throw new VerbatimError(
      'UNREADABLE_FILE',
      `"${file.fileName}" could not be read: the reader stopped on something in it. Save it again from the program that made it, or paste its text.`,
    );
  }
  if (outcome.ok) return outcome.extracted;
  throw new VerbatimError(outcome.code ?? 'UNREADABLE_FILE', outcome.message);
}

type WorkerOutcome = ExtractionReply | 'not started' | 'time' | 'memory' | 'crashed';

function inWorker(file: UploadedFile, limits: ExtractionLimits): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(BOOTSTRAP, {
        eval: true,
        resourceLimits: {
          maxOldGenerationSizeMb: limits.memoryMb,
          maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(limits.memoryMb / 8))),
        },
      });
    } catch {
      resolve('not started');
      return;
    }
    let ready = false;
    let settled = false;
    const baseline = process.memoryUsage.rss();
    let last = baseline;
    let forgiven = 0;
    const settle = (outcome: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle('time'), limits.timeMs);
    /** Whether the process grew past the limit since the worker started, other marked work set aside. */
    const overLimit = (): boolean => {
      const now = process.memoryUsage.rss();
      if (memoryWorkInProgress()) {
        forgiven = Math.min(FORGIVEN_MAX_MB * 1024 * 1024, forgiven + Math.max(0, now - last));
      }
      last = now;
      return now - baseline - forgiven > limits.memoryMb * 1024 * 1024;
    };
    const poll = setInterval(() => {
      if (overLimit()) settle('memory');
    }, MEMORY_POLL_MS);
    worker.on('message', (reply: ExtractionReply) => {
      if ('ready' in reply) ready = true;
      // Looked at once more: a file that grew the process past the limit and finished between two looks
      // is refused all the same (a busy event loop can hold the looks back for longer than the file takes).
      else settle(overLimit() ? 'memory' : reply);
    });
    worker.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') settle('memory');
      else settle(ready ? 'crashed' : 'not started');
    });
    worker.once('exit', () => settle(ready ? 'crashed' : 'not started'));
    worker.postMessage({ file, limits } satisfies ExtractionRequest);
  });
}
