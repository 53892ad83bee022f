/**
 * Upload bombs, built small inside the tests: files of a few hundred kilobytes that would cost a reader
 * minutes or gigabytes. Deterministic; nothing is written to disk.
 */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFNumber, StandardFonts } from 'pdf-lib';
import type { PDFArray, PDFDict } from 'pdf-lib';

/** `levels` nested `<div>`s around one sentence: 100,000 levels is about 1.1 MB. */
export function deepHtml(levels: number): string {
  return `<html><body>${'<div>'.repeat(levels)}The keeper lit the lamp.${'</div>'.repeat(levels)}</body></html>`;
}

/** The XML "billion laughs": entities defined in terms of ten copies of the one before. */
export function entityBombHtml(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE html [${entities.join('')}]><html><head><title>Laughs</title></head><body><p>The ferry left at dawn with the post. &lol9;</p></body></html>`;
}

/** A PDF of one page with a line of text, whose page tree lists that same page `copies` times. */
export async function pageCountBombPdf(copies: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([300, 200]);
  page.drawText('The ferry left at dawn with the post.', { x: 20, y: 150, size: 10, font });
  const pages = pdf.catalog.lookup(PDFName.of('Pages')) as PDFDict;
  const kids = pages.lookup(PDFName.of('Kids')) as PDFArray;
  const ref = kids.get(0);
  for (let i = 1; i < copies; i++) kids.push(ref);
  pages.set(PDFName.of('Count'), PDFNumber.of(copies));
  return pdf.save({ useObjectStreams: false });
}

/**
 * A PDF of one page whose content stream is `megabytes` MB of spaces compressed with Flate: about 1 KB
 * per MB on disk, every byte of it decoded to read the page's text.
 */
export async function deflateBombPdf(megabytes: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([300, 200]);
  const inflated = Buffer.alloc(megabytes * 1024 * 1024, 0x20);
  const compressed = deflateSync(inflated, { level: 9 });
  const raw = pdf.context.stream(compressed, { Filter: 'FlateDecode' });
  page.node.set(PDFName.of('Contents'), pdf.context.register(raw));
  return pdf.save({ useObjectStreams: false });
}
