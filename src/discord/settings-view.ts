/**
 * What `/settings` shows a moderator: every setting of the server as it applies now, after any change.
 * Channel ids are shown as channel links (`<#id>`), which notify nobody; nothing else is echoed.
 */
import type { ServerSettings } from '../library.ts';
import type { AutoAnswerAvailability } from './auto-answer-intent.ts';
import { renderNotice, type Payload } from './render.ts';

function channels(ids: readonly string[], empty: string): string {
  return ids.length === 0 ? empty : ids.map((id) => `<#${id}>`).join(', ');
}

/** The server's settings, under `changed` (one line saying what was just changed) when there is one. */
export function renderSettings(
  settings: ServerSettings,
  autoAnswer: AutoAnswerAvailability,
  changed?: string,
): Payload {
  const lines = [
    ...(changed === undefined ? [] : [`✅ ${changed}`, '']),
    '**Settings of this server**',
    `• /ask answers: **${settings.answers}** unless the asker chooses`,
    `• Public answers allowed in: ${channels(settings.publicChannels, 'every channel')}${settings.publicChannels.length === 0 ? '' : ' (private everywhere else)'}`,
    `• Insights: **${settings.insights ? 'on' : 'off'}**, questions kept ${settings.retentionDays} day${settings.retentionDays === 1 ? '' : 's'}`,
    `• Auto-answer in: ${channels(settings.autoAnswerChannels, 'no channel')}${autoAnswer.available ? '' : ' (unavailable on this bot)'}`,
  ];
  return renderNotice(lines.join('\n'));
}
