/**
 * An uploaded file to the text that gets stored. The type is decided by the file's extension, or by its
 * content type when the name has no known extension. The text returned is exactly what is stored and
 * quoted; it then goes through the same segmentation and boilerplate cleaning as the shipped corpus.
 * Every refusal is a VerbatimError that names the file and says why.
 */
import { VerbatimError } from '../core/index.ts';
import { decodeLabelledText, decodeUtf8Text } from './decode.ts';
import { htmlToText, nestingDepth } from './html.ts';
import { pdfToText, TooManyPages } from './pdf.ts';

/** The largest file accepted: 10 MB, as the bot's `/document add` promises. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * What reading one file may cost. The time and memory limits apply to the extraction worker (see
 * src/store/extract-off-thread.ts), which is terminated when it passes either; the caps are checked here,
 * before the expensive step where possible (nesting before parsing HTML, pages before reading a PDF).
 */
export interface ExtractionLimits {
  /** The whole extraction, worker start included, in milliseconds. */
  timeMs: number;
  /** The worker's heap, and how far the process's resident memory may grow while it runs, in MB. */
  memoryMb: number;
  /** Pages of a PDF. */
  maxPdfPages: number;
  /** Depth of nested HTML elements. */
  maxHtmlDepth: number;
  /** Characters of text extracted from one file. */
  maxTextChars: number;
}

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  timeMs: 30_000,
  memoryMb: 256,
  maxPdfPages: 1000,
  maxHtmlDepth: 200,
  maxTextChars: 2_000_000,
};

export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf';

/** Accepted extensions, in the order they are listed to users. */
export const ACCEPTED_EXTENSIONS: Readonly<Record<string, DocumentFormat>> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

const CONTENT_TYPES: Readonly<Record<string, DocumentFormat>> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
};

export interface UploadedFile {
  fileName: string;
  /** The MIME type the sender gave, if any (Discord attachments carry one). */
  contentType?: string | undefined;
  bytes: Uint8Array;
}

export interface ExtractedText {
  /** The text to store, paragraphs separated by blank lines. */
  text: string;
  /** A title found in the file itself (an HTML page's title, a PDF's Title), if any. */
  title: string | undefined;
  format: DocumentFormat;
}

export function acceptedTypesList(): string {
  return Object.keys(ACCEPTED_EXTENSIONS).join(', ');
}

/** The format of a file from its name, else its content type; undefined when neither is accepted. */
export function detectFormat(fileName: string, contentType?: string): DocumentFormat | undefined {
  const extension = /\.[^./\\]+$/.exec(fileName.toLowerCase())?.[0];
  if (extension !== undefined && extension in ACCEPTED_EXTENSIONS) return ACCEPTED_EXTENSIONS[extension];
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  return mime !== undefined && mime in CONTENT_TYPES ? CONTENT_TYPES[mime] : undefined;
}

export async function extractText(
  file: UploadedFile,
  limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
): Promise<ExtractedText> {
  const { fileName, bytes } = file;
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new VerbatimError(
      'FILE_TOO_LARGE',
      `"${fileName}" is ${formatMegabytes(bytes.byteLength)}; files up to ${formatMegabytes(MAX_FILE_BYTES)} are accepted. Split it or upload a shorter version.`,
    );
  }
  const format = detectFormat(fileName, file.contentType);
  if (format === undefined) {
    const given = file.contentType ? ` (${file.contentType})` : '';
    throw new VerbatimError(
      'UNSUPPORTED_TYPE',
      `"${fileName}"${given} is not a type I can read. Accepted types: ${acceptedTypesList()}.`,
    );
  }
  const extracted = await extractByFormat(fileName, format, bytes, charsetOf(file.contentType), limits);
  if (extracted.text.length > limits.maxTextChars) {
    throw new VerbatimError(
      'EXTRACTION_LIMIT',
      `"${fileName}" holds ${extracted.text.length.toLocaleString('en')} characters of text; documents of up to ${limits.maxTextChars.toLocaleString('en')} are stored. Split it, or add the part that matters.`,
    );
  }
  if (extracted.text.trim() === '') {
    throw new VerbatimError('EMPTY_DOCUMENT', `"${fileName}" has no text to quote ${emptyReason(format)}.`);
  }
  return extracted;
}

/**
 * The charset a content type names (`text/html; charset=ISO-8859-1`), if any. A fetched page's HTTP header
 * says it there, and it wins over the page's own `<meta charset>`, as in browsers.
 */
function charsetOf(contentType: string | undefined): string | undefined {
  const value = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  return value === undefined || value === '' ? undefined : value;
}

async function extractByFormat(
  fileName: string,
  format: DocumentFormat,
  bytes: Uint8Array,
  givenCharset: string | undefined,
  limits: ExtractionLimits,
): Promise<ExtractedText> {
  switch (format) {
    case 'text':
    case 'markdown': {
      const text = givenCharset
        ? decodeLabelledText(bytes, fileName, givenCharset)
        : decodeUtf8Text(bytes, fileName);
      return { text, title: undefined, format };
    }
    case 'html': {
      const charset = givenCharset ?? declaredCharset(bytes);
      const html = charset ? decodeLabelledText(bytes, fileName, charset) : decodeUtf8Text(bytes, fileName);
      const depth = nestingDepth(html, limits.maxHtmlDepth);
      if (depth > limits.maxHtmlDepth) {
        throw new VerbatimError(
          'EXTRACTION_LIMIT',
          `"${fileName}" nests its elements more than ${limits.maxHtmlDepth} deep, far more than any article needs: save the article alone (your browser's Reader View) or paste its text.`,
        );
      }
      const { text, title } = htmlToText(html);
      return { text, title, format };
    }
    case 'pdf': {
      try {
        const { text, title } = await pdfToText(bytes, limits.maxPdfPages);
        return { text, title, format };
      } catch (error) {
        if (error instanceof TooManyPages) {
          throw new VerbatimError(
            'EXTRACTION_LIMIT',
            `"${fileName}" has ${error.pages.toLocaleString('en')} pages; PDFs of up to ${limits.maxPdfPages.toLocaleString('en')} pages are read. Split it, or add the part that matters.`,
          );
        }
        throw new VerbatimError(
          'UNREADABLE_FILE',
          `"${fileName}" cannot be read as a PDF: ${pdfProblem(error)}.`,
        );
      }
    }
  }
}

/** The charset an HTML page declares in its first kilobyte (`<meta charset>` or http-equiv), if any. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1];
}

function pdfProblem(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return 'it is password-protected; upload an unprotected copy';
  if (name === 'InvalidPDFException') return 'the file is damaged or not a PDF';
  return 'the file is damaged or uses features I cannot read';
}

function emptyReason(format: DocumentFormat): string {
  switch (format) {
    case 'html':
      return '(the page has no article text once navigation and page furniture are removed)';
    case 'pdf':
      return '(the PDF has no text layer: is it a scanned image?)';
    default:
      return '(the file is empty or only whitespace)';
  }
}

function formatMegabytes(bytes: number): string {
  // Rounded up, so a file just over the limit never reads as exactly the limit.
  const tenths = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)} MB`;
}
