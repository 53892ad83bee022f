/**
 * Turning bytes that claim to be text into text, or refusing them. Shared by uploads (`.txt`, `.md`,
 * `.html`) and the terminal's `--corpus DIR` folders, so both refuse binary files the same way.
 */
import { VerbatimError } from '../core/index.ts';

/**
 * Control characters that never occur in real text files (everything below U+0020 except tab, line feed,
 * vertical tab, form feed and carriage return). A file with NUL or many of these is binary, even when its
 * bytes happen to be valid UTF-8.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const BINARY_CONTROL = /[\u0000-\u0008\u000e-\u001f]/g;

/** Share of binary control characters above which a file counts as binary. */
const MAX_CONTROL_SHARE = 0.001;

/**
 * Decodes UTF-8 text (a leading byte-order mark is dropped) and normalises line endings to `\n`, so that
 * paragraph splitting sees the same blank lines whatever system wrote the file. Throws VerbatimError
 * UNREADABLE_FILE naming `fileName` when the bytes are not UTF-8 or look binary.
 */
export function decodeUtf8Text(bytes: Uint8Array, fileName: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unreadable(fileName, 'it is not UTF-8 text');
  }
  if (looksBinary(text)) throw unreadable(fileName, 'it looks like a binary file, not text');
  return normaliseLineEndings(text);
}

/** Decodes text in the given encoding label (for HTML pages that declare one); UTF-8 rules otherwise. */
export function decodeLabelledText(bytes: Uint8Array, fileName: string, label: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw unreadable(fileName, `it declares the unknown text encoding "${label}"`);
  }
  if (decoder.encoding === 'utf-8') return decodeUtf8Text(bytes, fileName);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw unreadable(fileName, `it is not valid ${decoder.encoding} text as it declares`);
  }
  if (looksBinary(text)) throw unreadable(fileName, 'it looks like a binary file, not text');
  return normaliseLineEndings(text);
}

export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const controls = text.match(BINARY_CONTROL)?.length ?? 0;
  return controls > 0 && controls / text.length > MAX_CONTROL_SHARE;
}

export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function unreadable(fileName: string, why: string): VerbatimError {
  return new VerbatimError(
    'UNREADABLE_FILE',
    `"${fileName}" cannot be read: ${why}. Save it as UTF-8 text and try again.`,
  );
}
