/**
 * What `/glossary` shows: confirmations and the list. Part of the renderer: every term is escaped
 * (escapeEcho), every message built by `payload` (limits, no mentions).
 */
import type { APIEmbed, ApplicationCommandOptionChoiceData } from 'discord.js';
import type { GlossaryEntry } from '../core/index.ts';
import { escapeEcho } from './escape.ts';
import { LIMITS, payload, shorten, type Payload } from './render.ts';

/** `term → means` (one way) or `term ↔ means` (both ways), escaped. */
export function glossaryLine(entry: GlossaryEntry): string {
  return `${escapeEcho(entry.term)} ${entry.bothWays ? '↔' : '→'} ${escapeEcho(entry.means)}`;
}

export function renderGlossaryAdded(entry: GlossaryEntry): Payload {
  const effect = entry.bothWays
    ? 'a question using either term now also searches for the other'
    : `a question using "${escapeEcho(entry.term)}" now also searches for "${escapeEcho(entry.means)}"`;
  return payload({
    content: `✅ Added to this server's glossary: ${glossaryLine(entry)}; ${effect}.`,
    private: true,
  });
}

export function renderGlossaryRemoved(entries: readonly GlossaryEntry[]): Payload {
  const lines = entries.map(glossaryLine).join(', ');
  return payload({ content: `✅ Removed from this server's glossary: ${lines}.`, private: true });
}

/** Lines as bullets within one embed description; what does not fit is counted, not cut mid-line. */
function listed(entries: readonly GlossaryEntry[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const [i, entry] of entries.entries()) {
    const line = `• ${glossaryLine(entry)}`;
    const rest = entries.length - i;
    // Room for this line and, if more follow, the "and N more" line.
    if (length + line.length + 1 + (rest > 1 ? 40 : 0) > LIMITS.embedDescription) {
      lines.push(`… and ${rest} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

/** This server's entries, then the shipped corpus's (applied everywhere), privately. */
export function renderGlossaryList(
  own: readonly GlossaryEntry[],
  shipped: readonly GlossaryEntry[],
): Payload {
  const embeds: APIEmbed[] = [
    {
      title: "This server's glossary",
      description: own.length === 0 ? 'No entries yet. Moderators add them with /glossary add.' : listed(own),
    },
  ];
  if (shipped.length > 0)
    embeds.push({ title: 'Shipped corpus glossary (every server)', description: listed(shipped) });
  return payload({
    content: `→ one way: a question using the left term also searches for the right one. ↔ both ways.`,
    embeds,
    private: true,
  });
}

/**
 * `/glossary remove term:` suggestions: the entries whose term or meaning contains what was typed, named
 * `term → means` (choices are plain text, never markdown), the term as the value.
 */
export function renderGlossaryChoices(
  entries: readonly GlossaryEntry[],
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const needle = typed.trim().toLowerCase();
  return entries
    .filter(
      (entry) =>
        needle === '' ||
        entry.term.toLowerCase().includes(needle) ||
        entry.means.toLowerCase().includes(needle),
    )
    .slice(0, LIMITS.autocompleteChoices)
    .map((entry) => ({
      name: shorten(`${entry.term} ${entry.bothWays ? '↔' : '→'} ${entry.means}`, LIMITS.choiceName),
      value: entry.term,
    }));
}
