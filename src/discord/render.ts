/**
 * The only place that builds what the bot sends. Every payload keeps within Discord's limits (named
 * below), parses no mentions, and shows documents' text only as escaped quotes (see quote.ts) with a
 * source line under each. Handlers hand data here; they never write message text themselves.
 */
import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIEmbed,
  APIEmbedField,
  ApplicationCommandOptionChoiceData,
} from 'discord.js';
import type { AskResult, DocumentMeta, Passage } from '../core/index.ts';
import { attributionOf, formatDate, knownPublisher, noAnswerSentence } from '../format.ts';
import { UNDO_REMOVE_DAYS } from '../library.ts';
import type { DocumentSummary } from '../library.ts';
import type { ParagraphChanges } from '../paragraph-changes.ts';
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
const EMBED_COLOUR = 0x4f6d9a;
/** How many documents one page of `/source` lists. */
export const SOURCES_PER_PAGE = 10;
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
function escapedWithin(text: string, max: number): string {
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

function documentLine(summary: DocumentSummary): string {
  const { meta } = summary;
  const by = [knownPublisher(meta.publisher), formatDate(meta)]
    .filter((part) => part !== '')
    .map((part) => escapedWithin(part, 80));
  const title = `**${escapedWithin(meta.title, 120)}**`;
  const parts = [
    by.length > 0 ? `${title} — ${by.join(', ')}` : title,
    `${summary.paragraphs} paragraph${summary.paragraphs === 1 ? '' : 's'}`,
  ];
  if (meta.added)
    parts.push(`added by ${escapedWithin(meta.added.userName, 40)} on ${meta.added.at.slice(0, 10)}`);
  return `${parts.join(' · ')}\n\`${meta.id.replace(/`/g, "'").slice(0, 100)}\``;
}

/** One page of the documents visible here, with previous/next buttons made by `pageButton(page)`. */
export function renderSourceList(
  summaries: readonly DocumentSummary[],
  page: number,
  pageButton: (page: number) => string,
  /** How far semantic ranking reaches (`describeSemanticStatus`), shown under the list. */
  semanticStatus?: string,
): Payload {
  const pages = Math.max(1, Math.ceil(summaries.length / SOURCES_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const onPage = summaries.slice(current * SOURCES_PER_PAGE, (current + 1) * SOURCES_PER_PAGE);
  const description = onPage.length === 0 ? 'No documents.' : onPage.map(documentLine).join('\n\n');
  const embed: APIEmbed = {
    color: EMBED_COLOUR,
    title: `Sources (${summaries.length})`,
    description: shorten(description, LIMITS.embedDescription),
    footer: {
      text: shorten(
        [`Page ${current + 1} of ${pages} · /source document:<name> shows one document`, semanticStatus]
          .filter((line) => line !== undefined)
          .join('\n'),
        LIMITS.embedFooter,
      ),
    },
  };
  const buttons: Button[] =
    pages > 1
      ? [
          { customId: pageButton(current - 1), label: '◀ Previous', disabled: current === 0 },
          { customId: pageButton(current + 1), label: 'Next ▶', disabled: current >= pages - 1 },
        ]
      : [];
  return payload({ embeds: [embed], buttons: [buttons], private: true });
}

/** Everything known about one document. */
export function renderDocumentDetails(
  summary: DocumentSummary,
  options: { private: boolean } = { private: true },
): Payload {
  const { meta } = summary;
  const field = (name: string, value: string, inline = true): APIEmbedField | undefined =>
    value === '' ? undefined : { name, value: shorten(value, LIMITS.embedFieldValue), inline };
  const provenance = (p: DocumentMeta['added']): string =>
    p ? `${escapedWithin(p.userName, 100)} on ${p.at.slice(0, 10)}` : '';
  const target = linkTarget(meta.url);
  const fields = [
    field('Id', `\`${meta.id.replace(/`/g, "'")}\``),
    field('Publisher', escapedWithin(knownPublisher(meta.publisher), 200)),
    field('Date', formatDate(meta)),
    field('Link', target ? `[${escapedWithin(shorten(meta.url, 150), 400)}](${target})` : '', false),
    field('Language', meta.language),
    field('Paragraphs', `${summary.paragraphs} (${summary.characters.toLocaleString('en')} characters)`),
    field('Sections', summary.sections.map((s) => escapedWithin(s, 100)).join(' · '), false),
    field('Added by', provenance(meta.added)),
    field('Last changed by', provenance(meta.updated)),
    field('Fetched', meta.fetchedAt ? minuteOf(meta.fetchedAt) : ''),
    field('Visible', meta.scope === 'corpus' ? 'everywhere (shipped with the bot)' : 'in this server only'),
  ].filter((f): f is APIEmbedField => f !== undefined);
  const embed: APIEmbed = {
    color: EMBED_COLOUR,
    title: escapedWithin(meta.title, LIMITS.embedTitle),
    fields: fields.slice(0, LIMITS.embedFields),
  };
  return payload({ embeds: [embed], private: options.private });
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

/** Where a document's text was fetched from, and when (ISO 8601). */
export interface FetchedFrom {
  url: string;
  at: string;
}

/** `2026-12-03 06:12 UTC`. */
function minuteOf(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function fetchedLine(fetched: FetchedFrom): string {
  return `Fetched from ${escapedWithin(fetched.url, 300)} at ${minuteOf(fetched.at)}.`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `2 paragraphs added, 1 changed, 0 removed`. */
function changesLine(changes: ParagraphChanges): string {
  return `${count(changes.added, 'paragraph')} added, ${changes.changed} changed, ${changes.removed} removed`;
}

function documentName(meta: DocumentMeta): string {
  return `**${escapedWithin(meta.title, 200)}** (\`${meta.id.replace(/`/g, "'").slice(0, 100)}\`)`;
}

/** A document was added, updated or removed; with where it was fetched from and what changed, if known. */
export function renderDocumentChanged(
  verb: 'Added' | 'Updated' | 'Removed' | 'Restored',
  summary: Pick<DocumentSummary, 'meta' | 'paragraphs'>,
  details: { fetched?: FetchedFrom; changes?: ParagraphChanges } = {},
): Payload {
  const { meta } = summary;
  const tail =
    verb === 'Removed'
      ? `It is no longer quoted here; /document restore brings it back within ${UNDO_REMOVE_DAYS} days.`
      : `${count(summary.paragraphs, 'paragraph')}, searchable now in this server.`;
  const lines = [`✅ ${verb} ${documentName(meta)}. ${tail}`];
  if (details.fetched) lines.push(fetchedLine(details.fetched));
  if (details.changes) lines.push(`${changesLine(details.changes)}.`);
  return payload({ content: lines.join('\n'), private: true });
}

/**
 * What `/document refresh` found, before anything is replaced: the paragraph counts and a button that
 * replaces the document with exactly what was compared. Nothing changed: says so, and offers nothing.
 */
export function renderRefreshPreview(
  summary: Pick<DocumentSummary, 'meta'>,
  fetched: FetchedFrom,
  changes: ParagraphChanges,
  replaceButton: string,
): Payload {
  const name = documentName(summary.meta);
  if (changes.added + changes.changed + changes.removed === 0) {
    return payload({
      content: `${fetchedLine(fetched)}\nNo paragraph of ${name} has changed (${count(changes.unchanged, 'paragraph')}), so nothing was replaced.`,
      private: true,
    });
  }
  return payload({
    content: [
      fetchedLine(fetched),
      `Replacing ${name} with it would leave ${changes.unchanged} unchanged: ${changesLine(changes)}.`,
      'Nothing is replaced until you press Replace.',
    ].join('\n'),
    buttons: [[{ customId: replaceButton, label: 'Replace', style: 'danger' }]],
    private: true,
  });
}

/** Autocomplete choices: documents whose title or id contains what was typed, within Discord's limits. */
export function renderDocumentChoices(
  summaries: readonly DocumentSummary[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const needle = typed.trim().toLowerCase();
  return summaries
    .filter((s) => s.meta.id.length <= LIMITS.choiceValue)
    .filter(
      (s) =>
        needle === '' ||
        s.meta.title.toLowerCase().includes(needle) ||
        s.meta.id.toLowerCase().includes(needle) ||
        s.meta.publisher.toLowerCase().includes(needle),
    )
    .slice(0, LIMITS.autocompleteChoices)
    .map((s) => {
      const label = s.meta.publisher ? `${s.meta.title} — ${s.meta.publisher}` : s.meta.title;
      return { name: shorten(label.trim() || s.meta.id, LIMITS.choiceName), value: s.meta.id };
    });
}
