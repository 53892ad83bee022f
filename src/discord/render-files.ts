/**
 * The report of a `/document add` with several files or a zip: one line per file, added (with the
 * document's title and id) or skipped (with why), the file names and sentences escaped. The lines go in an
 * embed (4,096 characters: room for 20 zip entries), the count in the message text.
 */
import { MessageFlags } from 'discord.js';
import type { FileOutcome } from '../library.ts';
import { escapeEcho } from './escape.ts';
import { LIMITS, NO_MENTIONS, shorten } from './render.ts';
import type { Payload } from './render.ts';

/** Longest skipped sentence shown on a line, so that every line of a full zip fits. */
const WHY_MAX = 160;

function line(outcome: FileOutcome): string {
  const name = escapeEcho(shorten(outcome.name, 80));
  if (outcome.added) {
    const { meta, paragraphs } = outcome.added;
    return `✅ ${name}: added as **${escapeEcho(shorten(meta.title, 80))}** (\`${meta.id.replace(/`/g, "'")}\`), ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}`;
  }
  return `⏭️ ${name}: skipped, ${escapeEcho(shorten(outcome.skipped ?? 'it could not be read', WHY_MAX))}`;
}

export function renderAddedFiles(outcomes: readonly FileOutcome[]): Payload {
  const added = outcomes.filter((o) => o.added).length;
  return {
    content: `Added ${added} of ${outcomes.length} file${outcomes.length === 1 ? '' : 's'}; searchable now in this server.`,
    embeds: [{ description: shorten(outcomes.map(line).join('\n'), LIMITS.embedDescription) }],
    components: [],
    allowedMentions: NO_MENTIONS,
    flags: MessageFlags.Ephemeral,
  };
}
