/**
 * The document screens: `/source`'s list and a document's details, what a change to a document did
 * (added, updated, removed, restored; fetched from where; paragraphs changed), `/document refresh`'s
 * preview and the documents' autocomplete. Built with render.ts's primitives, within its limits.
 */
import type { APIEmbed, APIEmbedField, ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentMeta } from '../core/index.ts';
import { formatDate, knownPublisher } from '../format.ts';
import { UNDO_REMOVE_DAYS } from '../library.ts';
import type { DocumentSummary } from '../library.ts';
import type { ParagraphChanges } from '../paragraph-changes.ts';
import { linkTarget } from './escape.ts';
import {
  EMBED_COLOUR,
  escapedWithin,
  LIMITS,
  payload,
  shorten,
  type Button,
  type Payload,
} from './render.ts';

/** How many documents one page of `/source` lists. */
export const SOURCES_PER_PAGE = 10;

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
