import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segment, VerbatimError } from '../../src/core/index.ts';
import type { ErrorCode } from '../../src/core/index.ts';
import { decodeUtf8Text } from '../../src/ingest/decode.ts';
import {
  DEFAULT_EXTRACTION_LIMITS,
  detectFormat,
  extractText,
  MAX_FILE_BYTES,
} from '../../src/ingest/extract.ts';
import type { UploadedFile } from '../../src/ingest/extract.ts';

const fixture = async (name: string): Promise<Uint8Array> =>
  readFile(new URL(`../fixtures/${name}`, import.meta.url));

/** Texts of the blocks `segment` finds, by kind, so tests read like what a user would see. */
function blocks(text: string, kind: 'body' | 'heading'): string[] {
  return segment(text)
    .blocks.filter((block) => block.kind === kind)
    .map((block) => text.slice(block.start, block.end));
}

async function refusal(file: UploadedFile): Promise<VerbatimError> {
  const error: unknown = await extractText(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VerbatimError);
  return error as VerbatimError;
}

describe('extractText: HTML article pages', () => {
  it('keeps the article as blank-line separated paragraphs and drops the site around it', async () => {
    const { text, title, format } = await extractText({
      fileName: 'ferry.html',
      bytes: await fixture('article.html'),
    });
    expect(format).toBe('html');
    expect(title).toBe('Harbour ferry returns after winter repairs');
    expect(blocks(text, 'body')).toEqual([
      'The passenger ferry between the old harbour and Kettle Island resumed its timetable on Monday after three months in dry dock, where engineers replaced both propeller shafts and repainted the hull.',
      'The operator said the repairs cost about £420,000, most of it paid from a maritime safety grant. Fares will stay at £3.50 for adults and £1.75 for children until the end of the summer season.',
      'Sunday sailings drop from eight to six because the crew rota could not be filled, the operator said. Islanders who rely on the first boat to reach the mainland hospital have asked for an earlier crossing at 6.45am.',
      '“We hear the islanders, and we are recruiting two more deckhands,” said harbour master Aled Price. “If they start in June, the Sunday timetable goes back to eight crossings.”',
    ]);
    expect(blocks(text, 'heading')).toEqual(['Fewer sailings on Sundays']);
  });

  it.each([
    ['the skip link', 'Skip to main content'],
    ['the navigation', 'Weather'],
    ['the sidebar', 'Most Popular'],
    ['the sidebar links', 'Lifeboat crew rescue'],
    ['the image caption', 'Gazette archive'],
    ['the newsletter form', 'newsletter'],
    ['the copyright footer', 'All rights reserved'],
    ['the footer links', 'Privacy'],
    ['the script', 'analytics'],
  ])('drops %s', async (_what, fragment) => {
    const { text } = await extractText({ fileName: 'ferry.html', bytes: await fixture('article.html') });
    expect(text).not.toContain(fragment);
  });

  it('reads an HTML fragment that has no page around it', async () => {
    const html = '<p>Only one paragraph of text, with no page around it at all.</p><p>And a second one.</p>';
    const { text } = await extractText({ fileName: 'snippet.htm', bytes: new TextEncoder().encode(html) });
    expect(text).toBe('Only one paragraph of text, with no page around it at all.\n\nAnd a second one.');
  });

  it('keeps a short page’s own text without its footer, sidebar or form', async () => {
    const html = `<html><head><title>Opening hours</title></head><body>
      <div>The library opens at nine.</div><aside>Related: parking</aside>
      <form><label>Search</label></form><footer>© 2024 Town Library</footer></body></html>`;
    const { text, title } = await extractText({
      fileName: 'hours.html',
      bytes: new TextEncoder().encode(html),
    });
    expect(text).toBe('The library opens at nine.');
    expect(title).toBe('Opening hours');
  });

  it('decodes a page in the charset it declares', async () => {
    const latin1 = Uint8Array.from([
      ...new TextEncoder().encode(
        '<html><head><meta charset="iso-8859-1"><title>Menu</title></head><body><p>Caf',
      ),
      0xe9,
      ...new TextEncoder().encode(' au lait costs two euros.</p></body></html>'),
    ]);
    const { text } = await extractText({ fileName: 'menu.html', bytes: latin1 });
    expect(text).toBe('Café au lait costs two euros.');
  });

  it('decodes a page in the charset its content type gives (a fetched page says it in the HTTP header)', async () => {
    const page = (meta: string): Uint8Array =>
      Uint8Array.from([
        ...new TextEncoder().encode(`<html><head>${meta}<title>Menu</title></head><body><p>Caf`),
        0xe9,
        ...new TextEncoder().encode(' au lait costs two euros.</p></body></html>'),
      ]);
    for (const bytes of [page(''), page('<meta charset="utf-8">')]) {
      const { text } = await extractText({
        fileName: 'menu.html',
        contentType: 'text/html; charset=ISO-8859-1',
        bytes,
      });
      expect(text).toBe('Café au lait costs two euros.');
    }
    const plain = await extractText({
      fileName: 'menu.txt',
      contentType: 'text/plain; charset="windows-1252"',
      bytes: Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x2e]),
    });
    expect(plain.text).toBe('Café.');
  });

  it('refuses a page with no article text as EMPTY_DOCUMENT, naming the file', async () => {
    const error = await refusal({ fileName: 'app.html', bytes: await fixture('empty-page.html') });
    expect(error.code).toBe('EMPTY_DOCUMENT');
    expect(error.message).toBe(
      '"app.html" has no text to quote (the page has no article text once navigation and page furniture are removed).',
    );
  });
});

describe('extractText: PDF', () => {
  it('extracts the text of every page, paragraphs as blank-line blocks, the title from its metadata', async () => {
    const { text, title, format } = await extractText({
      fileName: 'report.pdf',
      bytes: await fixture('report.pdf'),
    });
    expect(format).toBe('pdf');
    expect(title).toBe('Riverside Community Garden: Annual Report');
    expect(text).toBe(
      [
        'Riverside Community Garden: Annual Report',
        'The garden opened forty new plots this spring after the council agreed to lease the old bus depot for ten years. Volunteers cleared the site in six weekends and laid paths wide enough for wheelchairs.',
        'Water remains the largest cost. Two rain tanks installed in April now collect about half of what the beds need in a dry month, and the committee plans a third tank next year.',
        'Membership',
        'Membership grew from 85 to 132 households. The waiting list was closed in June, and plots are now allocated by lottery each January.',
      ].join('\n\n'),
    );
    expect(blocks(text, 'heading')).toEqual(['Riverside Community Garden: Annual Report', 'Membership']);
    expect(blocks(text, 'body')).toHaveLength(3);
  });

  it('refuses a damaged PDF as UNREADABLE_FILE, naming the file', async () => {
    const error = await refusal({
      fileName: 'scan.pdf',
      bytes: new TextEncoder().encode('%PDF-1.4\nthis is not a pdf'),
    });
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toBe('"scan.pdf" cannot be read as a PDF: the file is damaged or not a PDF.');
  });
});

describe('extractText: text and markdown', () => {
  it('stores .txt and .md as their UTF-8 text, with Windows line endings made plain', async () => {
    const bytes = new TextEncoder().encode('\uFEFFFirst line\r\n\r\nSecond paragraph.\r\n');
    expect((await extractText({ fileName: 'notes.txt', bytes })).text).toBe(
      'First line\n\nSecond paragraph.\n',
    );
    expect((await extractText({ fileName: 'NOTES.MD', bytes })).format).toBe('markdown');
  });

  it('property: any text without control characters comes back exactly (bar line endings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (raw) => {
        // eslint-disable-next-line no-control-regex -- removing the characters the decoder treats as binary
        const text = raw.replace(/[\u0000-\u0008\u000e-\u001f\r\uFEFF]/g, '');
        expect(decodeUtf8Text(new TextEncoder().encode(text), 'any.txt')).toBe(text);
      }),
    );
  });
});

describe('extractText: refusals', () => {
  const cases: Array<{ name: string; file: () => Promise<UploadedFile>; code: ErrorCode; message: string }> =
    [
      {
        name: 'a binary file uploaded as .txt',
        file: async () => ({ fileName: 'photo.txt', bytes: await fixture('pixel.png') }),
        code: 'UNREADABLE_FILE',
        message: '"photo.txt" cannot be read: it is not UTF-8 text. Save it as UTF-8 text and try again.',
      },
      {
        name: 'UTF-8 bytes that are binary (NUL bytes)',
        file: async () => ({ fileName: 'data.md', bytes: Uint8Array.from([0x61, 0x00, 0x62, 0x00, 0x63]) }),
        code: 'UNREADABLE_FILE',
        message:
          '"data.md" cannot be read: it looks like a binary file, not text. Save it as UTF-8 text and try again.',
      },
      {
        name: 'an image under its own name',
        file: async () => ({
          fileName: 'pixel.png',
          contentType: 'image/png',
          bytes: await fixture('pixel.png'),
        }),
        code: 'UNSUPPORTED_TYPE',
        message:
          '"pixel.png" (image/png) is not a type I can read. Accepted types: .txt, .md, .html, .htm, .pdf.',
      },
      {
        name: 'a file over 10 MB',
        file: async () => ({ fileName: 'huge.txt', bytes: new Uint8Array(MAX_FILE_BYTES + 1) }),
        code: 'FILE_TOO_LARGE',
        message:
          '"huge.txt" is 10.1 MB; files up to 10 MB are accepted. Split it or upload a shorter version.',
      },
      {
        name: 'an empty text file',
        file: async () => ({ fileName: 'blank.txt', bytes: new TextEncoder().encode(' \n\n\t\n') }),
        code: 'EMPTY_DOCUMENT',
        message: '"blank.txt" has no text to quote (the file is empty or only whitespace).',
      },
    ];

  it.each(cases)('refuses $name', async ({ file, code, message }) => {
    const error = await refusal(await file());
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('checks the size before reading anything, whatever the type', async () => {
    const error = await refusal({ fileName: 'huge.pdf', bytes: new Uint8Array(MAX_FILE_BYTES + 1) });
    expect(error.code).toBe('FILE_TOO_LARGE');
  });

  it('accepts exactly 10 MB', async () => {
    const bytes = new Uint8Array(MAX_FILE_BYTES).fill(0x61); // "aaaa…"
    // The text cap is a separate limit (tested with the upload bombs): raised here to test the byte limit.
    const limits = { ...DEFAULT_EXTRACTION_LIMITS, maxTextChars: MAX_FILE_BYTES };
    expect((await extractText({ fileName: 'big.txt', bytes }, limits)).text).toHaveLength(MAX_FILE_BYTES);
  });
});

describe('detectFormat', () => {
  it.each([
    ['report.PDF', undefined, 'pdf'],
    ['page.htm', undefined, 'html'],
    ['notes.txt', 'application/octet-stream', 'text'],
    ['message', 'text/plain; charset=utf-8', 'text'],
    ['README', 'text/markdown', 'markdown'],
    ['download', 'application/pdf', 'pdf'],
    ['slides.pptx', undefined, undefined],
    ['archive.tar.gz', 'application/gzip', undefined],
    ['no-extension', undefined, undefined],
  ])('%s (%s) is %s', (fileName, contentType, expected) => {
    expect(detectFormat(fileName, contentType)).toBe(expected);
  });
});
