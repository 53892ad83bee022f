/**
 * The only place that builds what the bot sends. Every payload keeps within Discord's limits (named
 * below), parses no mentions, and shows documents' text only as escaped quotes (see quote.ts) with a
 * source line under each. Handlers hand data here; they never write message text themselves.
 */
import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';
import type { AskResult, Passage } from '../core/index.ts';
import { attributionOf, noAnswerSentence } from '../format.ts';
import { echoPieces, escapeEcho, linkTarget } from './escape.ts';
import { ELLIPSIS, renderQuote } from './quote.ts';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#create-message). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  /** All titles, descriptions, field names and values, footers and author names of one message. */
  embedsTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** No message the bot sends may notify anyone, whatever a document or question contains. */
export const NO_MENTIONS = { parse: [] as never[] } as const;

/** Accent colour of answer embeds (a neutral blue). */
export const EMBED_COLOUR = 0x4f6d9a;
/** Title and section text longer than this is shortened in a source line (metadata, not a quote). */
const SOURCE_PART_MAX = 200;

export interface Button {
  customId: string;
  label: string;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
  disabled?: boolean;
}

/** A message as the bot sends it; assignable to discord.js reply, update, follow-up and channel options. */
export interface Payload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  allowedMentions: typeof NO_MENTIONS;
  flags?: MessageFlags.Ephemeral;
}

/** Shortens metadata text (never a quote) to `max` characters, ellipsis included. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max && text.length <= max) return text;
  let out = '';
  for (const c of chars) {
    if (out.length + c.length + ELLIPSIS.length > max) break;
    out += c;
  }
  return out.trimEnd() + ELLIPSIS;
}

/**
 * Escapes first, then shortens the result without breaking an escape or a surrogate pair in two. The
 * pieces are escaped in the context of the whole text, as when it fits (`https\://` stays escaped).
 */
export function escapedWithin(text: string, max: number): string {
  const pieces = echoPieces(text);
  const escaped = pieces.join('');
  if (escaped.length <= max) return escaped;
  let out = '';
  for (let i = 0; i < text.length;) {
    const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    const piece = pieces.slice(i, i + width).join('');
    if (out.length + piece.length + ELLIPSIS.length > max) break;
    out += piece;
    i += width;
  }
  return out + ELLIPSIS;
}

const buttonStyles = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
} as const;

/** Rows of at most five buttons, at most five rows; a custom_id over 100 characters is a bug, not data. */
export function buttonRows(
  rows: readonly (readonly Button[])[],
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  return rows
    .filter((row) => row.length > 0)
    .slice(0, LIMITS.actionRows)
    .map((row) => ({
      type: ComponentType.ActionRow,
      components: row.slice(0, LIMITS.buttonsPerRow).map((button) => {
        if (button.customId.length > LIMITS.customId)
          throw new Error(`custom_id longer than ${LIMITS.customId}: ${button.customId}`);
        return {
          type: ComponentType.Button,
          custom_id: button.customId,
          label: shorten(button.label, LIMITS.buttonLabel),
          style: buttonStyles[button.style ?? 'secondary'],
          disabled: button.disabled ?? false,
        };
      }),
    }));
}

/** The one way a payload is built (render-*.ts modules use it too): limits, no mentions, privacy. */
export function payload(parts: {
  content?: string;
  embeds?: APIEmbed[];
  buttons?: readonly (readonly Button[])[];
  private: boolean;
}): Payload {
  const out: Payload = {
    embeds: (parts.embeds ?? []).slice(0, LIMITS.embeds),
    components: buttonRows(parts.buttons ?? []),
    allowedMentions: NO_MENTIONS,
  };
  if (parts.content !== undefined) out.content = shorten(parts.content, LIMITS.content);
  if (parts.private) out.flags = MessageFlags.Ephemeral;
  return out;
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
  passage: Pick<Passage, 'source' | 'documentId' | 'section' | 'paragraph' | 'part' | 'parts'>,
  options: SourceLineOptions = {},
): string {
  const { title, by, section, label, url } = attributionOf(passage);
  const escapedTitle = escapedWithin(title, SOURCE_PART_MAX);
  const target = options.unlinked ? undefined : linkTarget(url);
  const head = target ? `[${escapedTitle}](${options.inContent ? `<${target}>` : target})` : escapedTitle;
  const escapedBy = by.map((part) => escapedWithin(part, SOURCE_PART_MAX));
  const first = escapedBy.length > 0 ? `${head} — ${escapedBy.join(', ')}` : head;
  const escapedSection = section === '' ? '' : escapedWithin(section, SOURCE_PART_MAX);
  return [first, escapedSection, label].filter((part) => part !== '').join(' · ');
}

/** One passage to show, and how. */
interface QuoteItem {
  passage: Passage;
  /** Bold the matched words and underline the best sentence. */
  marked: boolean;
  /** A line above the quote (the context's "The quoted paragraph"). */
  title?: string;
}

function quoteEmbed(item: QuoteItem, budget: number): APIEmbed {
  const source = `— ${sourceLine(item.passage)}`;
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
  let source = `— ${sourceLine(item.passage, { inContent: true })}`;
  if (room - title.length - source.length - 1 < CONTENT_QUOTE_MIN)
    source = `— ${sourceLine(item.passage, { unlinked: true })}`;
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
  private: boolean;
  /** Shown above the quotes, escaped. */
  heading?: string;
  buttons?: readonly (readonly Button[])[];
}

/** The answer to a question: each passage a quote with its source line, the best one in the content. */
export function renderAnswer(passages: readonly Passage[], options: AnswerOptions): Payload {
  return quotesMessage(
    passages.map((passage) => ({ passage, marked: true })),
    {
      ...(options.heading === undefined ? {} : { heading: options.heading }),
      ...(options.buttons === undefined ? {} : { buttons: options.buttons }),
      private: options.private,
    },
  );
}

/** A user's question between quotation marks, escaped like a quote. */
function quotedQuestion(question: string): string {
  return `“${escapedWithin(question, 400)}”`;
}

/** `name asked “question”` (or `Asked “question”`), escaped. */
export function askedHeading(question: string, askedBy?: string): string {
  return askedBy
    ? `${escapedWithin(askedBy, 100)} asked ${quotedQuestion(question)}`
    : `Asked ${quotedQuestion(question)}`;
}

/** Says plainly (and privately) that the sources do not answer, and where to look. */
export function renderNoAnswer(result: Pick<AskResult, 'reason' | 'question'>): Payload {
  return payload({
    content: `${noAnswerSentence(result.reason, quotedQuestion(result.question))} Try other words, or see what the sources cover with /source.`,
    private: true,
  });
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
  options: ContextOptions = {},
): Payload {
  if (passages.length === 0) return renderNotice('That paragraph is no longer in the document.');
  return quotesMessage(
    passages.map((passage) => ({
      passage,
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

/** A short private message: confirmations and "nothing more" notes. Not for document text. */
export function renderNotice(text: string, options: { private?: boolean } = {}): Payload {
  return payload({ content: text, private: options.private ?? true });
}

/** A user's mistake: the error's sentence after ❌, privately. */
export function renderError(sentence: string): Payload {
  return payload({ content: `❌ ${escapeEcho(sentence)}`, private: true });
}

/** Anything that is not the user's mistake. */
export function renderApology(): Payload {
  return payload({
    content: 'Sorry, something went wrong on my side. It has been logged; please try again in a moment.',
    private: true,
  });
}
