/**
 * What a moderator hands in (pasted text or a file, plus optional title, publisher, date and url) made into
 * checked values: the text to store, a title, and metadata fields that are valid or refused with a
 * BAD_METADATA message naming the field.
 */
import { createHash } from 'node:crypto';
import { VerbatimError } from '../core/index.ts';
import { normaliseLineEndings } from '../ingest/decode.ts';
import type { ExtractionLimits } from '../ingest/extract.ts';
import { extractOffThread } from './extract-off-thread.ts';
import { isIsoDate, isWebUrl } from './meta.ts';

export type ContentSource =
  | { kind: 'text'; text: string }
  | { kind: 'file'; fileName: string; contentType?: string | undefined; bytes: Uint8Array };

export interface Content {
  text: string;
  /** A title found in the file (an HTML page's or a PDF's), or the file's name without its extension. */
  suggestedTitle: string | undefined;
  /** How the content is named in messages: the file name, or "The pasted text". */
  label: string;
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_PUBLISHER_LENGTH = 200;
export const MAX_URL_LENGTH = 1000;
/** A title made from the first line of pasted text is cut to about this many characters. */
const DERIVED_TITLE_LENGTH = 100;

export async function readContent(source: ContentSource, limits?: ExtractionLimits): Promise<Content> {
  if (source.kind === 'text') {
    const text = normaliseLineEndings(source.text);
    if (text.trim() === '') {
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        'The pasted text is empty: paste the text of the document to add.',
      );
    }
    return { text, suggestedTitle: undefined, label: 'The pasted text' };
  }
  const extracted = await extractOffThread(source, limits);
  const fileTitle = source.fileName.replace(/\.[^.]+$/, '').trim();
  return {
    text: extracted.text,
    suggestedTitle: extracted.title ?? (fileTitle === '' ? undefined : fileTitle),
    label: `"${source.fileName}"`,
  };
}

/** The title to use: the one given, else the file's, else the first line of the text (shortened). */
export function chooseTitle(given: string | undefined, content: Content): string {
  const title = given?.trim() || content.suggestedTitle || firstLineTitle(content.text);
  checkLength('title', title, MAX_TITLE_LENGTH);
  return title;
}

/** A title given by hand: trimmed and not too long. */
export function checkTitle(title: string): string {
  const value = title.trim();
  checkLength('title', value, MAX_TITLE_LENGTH);
  return value;
}

export function checkPublisher(publisher: string): string {
  const value = publisher.trim();
  checkLength('publisher', value, MAX_PUBLISHER_LENGTH);
  return value;
}

export function checkDate(date: string): string {
  const value = date.trim();
  if (value !== '' && !isIsoDate(value)) {
    throw new VerbatimError(
      'BAD_METADATA',
      `The date "${value}" is not a date I can use: write it as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020-04-07).`,
    );
  }
  return value;
}

export function checkUrl(url: string): string {
  const value = url.trim();
  if (value === '') return value;
  checkLength('url', value, MAX_URL_LENGTH);
  if (!isWebUrl(value)) {
    throw new VerbatimError(
      'BAD_METADATA',
      `The url "${value}" is not a web address: give a full http:// or https:// link.`,
    );
  }
  return value;
}

/** Two texts that differ only in white space count as the same document. */
export function textFingerprint(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

/**
 * `textFingerprint`, computed `chunkChars` at a time with `pause()` between chunks, so fingerprinting a
 * 5 MB text (~140 ms in one go) does not stop the event loop. White space runs that straddle two chunks
 * are joined as one space, and chunks never end inside a surrogate pair: the result is identical.
 */
export async function textFingerprintInSlices(
  text: string,
  pause: () => Promise<void>,
  chunkChars = 131_072,
): Promise<string> {
  const hash = createHash('sha256');
  let started = false;
  let spacePending = false;
  for (let from = 0; from < text.length;) {
    let to = Math.min(text.length, from + chunkChars);
    const last = text.charCodeAt(to - 1);
    if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
    if (to <= from) to = from + 2;
    const piece = text.slice(from, to).replace(/\s+/g, ' ');
    from = to;
    const leads = piece.startsWith(' ');
    const trails = piece.endsWith(' ');
    let body = leads ? piece.slice(1) : piece;
    if (trails && body !== '') body = body.slice(0, -1);
    if (body === '') {
      if (piece !== '') spacePending = true;
    } else {
      if (started && (spacePending || leads)) hash.update(' ');
      hash.update(body);
      started = true;
      spacePending = trails;
    }
    await pause();
  }
  return hash.digest('hex');
}

function firstLineTitle(text: string): string {
  const line =
    text
      .split('\n')
      .find((candidate) => candidate.trim() !== '')
      ?.replace(/\s+/g, ' ')
      .trim() ?? '';
  if (line.length <= DERIVED_TITLE_LENGTH) return line;
  const cut = line.lastIndexOf(' ', DERIVED_TITLE_LENGTH);
  return `${line.slice(0, cut > DERIVED_TITLE_LENGTH / 2 ? cut : DERIVED_TITLE_LENGTH)}…`;
}

function checkLength(field: string, value: string, max: number): void {
  if (value.length > max) {
    throw new VerbatimError(
      'BAD_METADATA',
      `The ${field} is ${value.length} characters long; at most ${max} are allowed.`,
    );
  }
}
