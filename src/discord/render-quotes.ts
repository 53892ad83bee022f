/**
 * The renderer's quote messages: an answer and the paragraphs around a quote. Each passage is a quote (see
 * quote.ts) with its source line; the best quote goes in the message content, so that members who turned
 * embeds and link previews off read it too, and the rest in embeds. Built on render.ts's limits and payload.
 */
import type { APIEmbed } from 'discord.js';
import type { DocumentMeta, Passage } from '../core/index.ts';
import { linkTarget } from './escape.ts';
import { renderQuote } from './quote.ts';
import type { Button, Payload } from './render.ts';
import {
  EMBED_COLOUR,
  escapedWithin,
  formatDate,
  knownPublisher,
  LIMITS,
  payload,
  renderNotice,
  shorten,
  SOURCE_PART_MAX,
} from './render.ts';

/** `¶3`, or `¶3 (part 2 of 4)` for a long paragraph that was split. */
function paragraphLabel(passage: Pick<Passage, 'paragraph' | 'part' | 'parts'>): string {
  return passage.parts > 1
    ? `¶${passage.paragraph} (part ${passage.part} of ${passage.parts})`
    : `¶${passage.paragraph}`;
}

/** Titles and sections compared as a reader would: case and runs of white space do not count. */
function sameHeading(a: string, b: string): boolean {
  const norm = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

export interface SourceLineOptions {
  /**
   * Wrap the link target in `<>`: a masked link in message content would otherwise unfurl into a link
   * preview (embeds never unfurl theirs).
   */
  inContent?: boolean;
  /** Leave the link out (message content short of room). */
  unlinked?: boolean;
}

/** `title — publisher, date · section · ¶n`, the title linked when the document has a url. */
export function sourceLine(
  passage: Pick<Passage, 'title' | 'documentId' | 'section' | 'paragraph' | 'part' | 'parts'>,
  meta: DocumentMeta | undefined,
  options: SourceLineOptions = {},
): string {
  const rawTitle = meta?.title || passage.title || passage.documentId;
  const title = escapedWithin(rawTitle, SOURCE_PART_MAX);
  const target = meta && !options.unlinked ? linkTarget(meta.url) : undefined;
  const head = target ? `[${title}](${options.inContent ? `<${target}>` : target})` : title;
  const by = [knownPublisher(meta?.publisher), meta ? formatDate(meta) : '']
    .filter((part) => part !== '')
    .map((part) => escapedWithin(part, SOURCE_PART_MAX));
  // A capture's title line is often the heading over its first paragraphs: name it once.
  const section =
    passage.section === '' || sameHeading(passage.section, rawTitle)
      ? ''
      : escapedWithin(passage.section, SOURCE_PART_MAX);
  const first = by.length > 0 ? `${head} — ${by.join(', ')}` : head;
  return [first, section, paragraphLabel(passage)].filter((part) => part !== '').join(' · ');
}

/** One passage to show, and how. */
interface QuoteItem {
  passage: Passage;
  meta: DocumentMeta | undefined;
  /** Bold the matched words and underline the best sentence. */
  marked: boolean;
  /** A line above the quote (the context's "The quoted paragraph"). */
  title?: string;
}

function quoteEmbed(item: QuoteItem, budget: number): APIEmbed {
  const source = `— ${sourceLine(item.passage, item.meta)}`;
  const room = Math.min(LIMITS.embedDescription, budget) - source.length - 2 - (item.title?.length ?? 0);
  const quote = renderQuote(item.passage, { budget: Math.max(0, room), marked: item.marked });
  const embed: APIEmbed = { color: EMBED_COLOUR, description: `${quote.markdown}\n\n${source}` };
  if (item.title) embed.title = item.title;
  return embed;
}

/** Below this many characters for the quote, the content's source line drops its link to make room. */
const CONTENT_QUOTE_MIN = 400;

/** A quote and its source line as message content, within `room` characters; undefined if it cannot fit. */
function contentBlock(item: QuoteItem, room: number): { text: string; cut: boolean } | undefined {
  const title = item.title ? `**${item.title}**\n` : '';
  let source = `— ${sourceLine(item.passage, item.meta, { inContent: true })}`;
  if (room - title.length - source.length - 1 < CONTENT_QUOTE_MIN)
    source = `— ${sourceLine(item.passage, item.meta, { unlinked: true })}`;
  const budget = room - title.length - source.length - 1;
  if (budget <= 0) return undefined;
  const quote = renderQuote(item.passage, { budget, marked: item.marked });
  return { text: `${title}${quote.markdown}\n${source}`, cut: quote.cut };
}

/**
 * Quotes as members read them whatever their settings: the heading, then the best quote with its source
 * line in the message content (embeds and link previews can be turned off, content cannot), then the next
 * quotes there too while each fits whole; the rest in embeds, where a quote has twice the room. Each quote
 * is shown once.
 */
function quotesMessage(
  items: readonly QuoteItem[],
  options: { heading?: string; buttons?: readonly (readonly Button[])[]; private: boolean },
): Payload {
  const heading = options.heading === undefined ? undefined : shorten(options.heading, LIMITS.content / 2);
  const blocks: string[] = heading === undefined ? [] : [heading];
  const length = (): number => blocks.join('\n\n').length;
  const rest: QuoteItem[] = [];
  for (const item of items) {
    if (rest.length === 0) {
      const room = LIMITS.content - length() - (blocks.length > 0 ? 2 : 0);
      const block = contentBlock(item, room);
      if (block && (blocks.length === (heading === undefined ? 0 : 1) || !block.cut)) {
        blocks.push(block.text);
        continue;
      }
    }
    rest.push(item);
  }
  const embedItems = rest.slice(0, LIMITS.embeds);
  const budget = Math.floor((LIMITS.embedsTotal - 64) / Math.max(1, embedItems.length));
  return payload({
    ...(blocks.length > 0 ? { content: blocks.join('\n\n') } : {}),
    embeds: embedItems.map((item) => quoteEmbed(item, budget)),
    buttons: options.buttons ?? [],
    private: options.private,
  });
}

export interface AnswerOptions {
  /** The document's metadata for a passage's source line. */
  metaOf: (passage: Passage) => DocumentMeta | undefined;
  private: boolean;
  /** Shown above the quotes, escaped. */
  heading?: string;
  buttons?: readonly (readonly Button[])[];
}

/** The answer to a question: each passage a quote with its source line, the best one in the content. */
export function renderAnswer(passages: readonly Passage[], options: AnswerOptions): Payload {
  return quotesMessage(
    passages.map((passage) => ({ passage, meta: options.metaOf(passage), marked: true })),
    {
      ...(options.heading === undefined ? {} : { heading: options.heading }),
      ...(options.buttons === undefined ? {} : { buttons: options.buttons }),
      private: options.private,
    },
  );
}

export interface ContextOptions {
  /** Shown above the paragraphs, escaped (the answer's heading, when the context replaces the answer). */
  heading?: string;
  buttons?: readonly (readonly Button[])[];
  /** Default true: only the clicker sees it. */
  private?: boolean;
}

/** The paragraphs around a quoted one, without highlights; the quoted paragraph is titled as such. */
export function renderContext(
  passages: readonly Passage[],
  focus: number,
  metaOf: (passage: Passage) => DocumentMeta | undefined,
  options: ContextOptions = {},
): Payload {
  if (passages.length === 0) return renderNotice('That paragraph is no longer in the document.');
  return quotesMessage(
    passages.map((passage) => ({
      passage,
      meta: metaOf(passage),
      marked: false,
      ...(passage.paragraph === focus ? { title: `The quoted paragraph (¶${focus})` } : {}),
    })),
    {
      ...(options.heading === undefined ? {} : { heading: options.heading }),
      ...(options.buttons === undefined ? {} : { buttons: options.buttons }),
      private: options.private ?? true,
    },
  );
}
