/**
 * The history messages moderators read: a document's versions (`/document history`), the server's audit
 * (`/document log`, paged) and the autocomplete entries of removed documents. Everything echoed (titles,
 * ids, names) goes through escapeEcho; every message is private and mentions no one.
 */
import { MessageFlags } from 'discord.js';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { AuditEntry, DocumentHistory, RemovedDocument } from '../library.ts';
import { escapeEcho } from './escape.ts';
import { buttonRows, LIMITS, NO_MENTIONS, shorten } from './render.ts';
import type { Payload } from './render.ts';

/** Audit entries on one page of `/document log`. */
export const LOG_PER_PAGE = 15;

/** `2026-12-03 06:12 UTC`. */
function minuteOf(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function name(text: string): string {
  return escapeEcho(shorten(text, 100));
}

function idOf(id: string): string {
  return `\`${id.replace(/`/g, "'").slice(0, 100)}\``;
}

function privateText(content: string, buttons: Parameters<typeof buttonRows>[0] = []): Payload {
  return {
    content: shorten(content, LIMITS.content),
    embeds: [],
    components: buttonRows(buttons),
    allowedMentions: NO_MENTIONS,
    flags: MessageFlags.Ephemeral,
  };
}

/** One line per version, newest first: number, when, who, size, paragraphs changed against the one before. */
export function renderHistory(history: DocumentHistory): Payload {
  const lines = [
    `History of **${escapeEcho(shorten(history.title, 200))}** (${idOf(history.id)}): ${history.total} version${history.total === 1 ? '' : 's'}.`,
  ];
  if (history.removed) {
    lines.push(
      `Removed by ${name(history.removed.actor.userName)} at ${minuteOf(history.removed.removedAt)}; /document restore brings it back.`,
    );
  }
  for (const [index, version] of history.versions.entries()) {
    const current = index === 0 && !history.removed ? ' (current)' : '';
    const changes = version.changes
      ? `${version.changes.added} added, ${version.changes.changed} changed, ${version.changes.removed} removed`
      : 'first version';
    lines.push(
      `**v${version.revision}**${current} · ${minuteOf(version.at)} · ${name(version.actor.userName)} · ${version.characters.toLocaleString('en')} characters · paragraphs: ${changes}`,
    );
  }
  if (history.total > history.versions.length)
    lines.push(`… and ${history.total - history.versions.length} older versions.`);
  return privateText(lines.join('\n'));
}

const ACTIONS: Record<AuditEntry['action'], string> = {
  add: 'added',
  update: 'updated',
  remove: 'removed',
  import: 'imported',
  restore: 'restored',
};

/** One page of the server's audit, newest first, with previous/next buttons made by `pageButton`. */
export function renderAuditLog(
  log: { entries: AuditEntry[]; total: number },
  page: number,
  pageButton: (page: number) => string,
): Payload {
  if (log.total === 0)
    return privateText('No document of this server has been added, changed or removed yet.');
  const pages = Math.max(1, Math.ceil(log.total / LOG_PER_PAGE));
  const first = page * LOG_PER_PAGE + 1;
  const last = page * LOG_PER_PAGE + log.entries.length;
  const lines = [`Changes to this server's documents, newest first (${first}–${last} of ${log.total}):`];
  for (const entry of log.entries) {
    const version = entry.revision === null ? '' : ` (v${entry.revision})`;
    lines.push(
      `${minuteOf(entry.at)} · ${name(entry.actor.userName)} ${ACTIONS[entry.action]} ${idOf(entry.documentId)}${version}`,
    );
  }
  const buttons =
    pages > 1
      ? [
          [
            { customId: pageButton(page - 1), label: '◀ Newer', disabled: page === 0 },
            { customId: pageButton(page + 1), label: 'Older ▶', disabled: page >= pages - 1 },
          ],
        ]
      : [];
  return privateText(lines.join('\n'), buttons);
}

/** Autocomplete entries for documents removed within the undo window: the title, marked removed. */
export function removedChoices(
  removed: readonly RemovedDocument[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const needle = typed.trim().toLowerCase();
  return removed
    .filter((r) => r.id.length <= LIMITS.choiceValue)
    .filter((r) => r.title.toLowerCase().includes(needle) || r.id.includes(needle))
    .slice(0, LIMITS.autocompleteChoices)
    .map((r) => ({ name: shorten(`${r.title} (removed ${r.removedAt.slice(0, 10)})`, 100), value: r.id }));
}
