/**
 * `/insights` for moderators: the report of src/insights-report.ts as private pages (signed Previous/Next
 * buttons), the weekly chart as a PNG attachment, the CSV export, and erasing the server's questions and
 * votes (after a confirmation). Every entry point checks Manage Server again: server admins can override
 * the command's default permission, and anyone can send a button's custom_id.
 */
import { MessageFlags } from 'discord.js';
import type { BaseInteraction, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { guildScope, SHIPPED_SCOPE, VerbatimError } from '../core/index.ts';
import type { Scope } from '../core/index.ts';
import { insightsCsv, insightsReport, type InsightsReport } from '../insights-report.ts';
import type { InsightsStore } from '../store/db/insights.ts';
import type { CommandContext } from './command.ts';
import { escapeEcho } from './escape.ts';
import { MODERATOR_PERMISSION } from './permissions.ts';
import {
  buttonRows,
  LIMITS,
  NO_MENTIONS,
  renderNotice,
  shorten,
  type Button,
  type Payload,
} from './render.ts';

/** The command whose button handler serves these buttons. */
export const INSIGHTS_COMMAND = 'insights';
/** Lines per page. */
const LINES_PER_PAGE = 10;
/** The periods offered, in days; the default is the second. */
export const PERIODS = [7, 30, 90, 365] as const;
export const DEFAULT_PERIOD = 30;
/** Most questions one report or export reads (a year of a busy server); the export says when it is cut. */
export const MAX_QUESTIONS = 100_000;
const DAY_MS = 86_400_000;
/** A question or title shown in a line is cut to this. */
const LINE_TEXT_MAX = 150;

interface Page {
  title: string;
  lines: string[];
}

/** The server's scope when the member may manage it; throws NOT_PERMITTED (nothing read or changed). */
export function requireInsightsModerator(interaction: BaseInteraction): Scope {
  if (!interaction.inGuild() || interaction.guildId === null) {
    throw new VerbatimError('NOT_PERMITTED', 'Insights are kept per server: use /insights inside a server.');
  }
  if (!interaction.memberPermissions?.has(MODERATOR_PERMISSION)) {
    throw new VerbatimError(
      'NOT_PERMITTED',
      'Only members with the Manage Server permission can see or erase insights. Ask a moderator.',
    );
  }
  return guildScope(interaction.guildId);
}

function storeOf(ctx: CommandContext): InsightsStore {
  const insights = ctx.library.insights;
  if (insights === undefined) {
    throw new VerbatimError('BAD_OPTION', 'Insights are not kept here: no data directory is configured.');
  }
  return insights;
}

async function reportOf(ctx: CommandContext, scope: Scope, days: number): Promise<InsightsReport> {
  const questions = await storeOf(ctx).questions(scope, new Date(Date.now() - days * DAY_MS), MAX_QUESTIONS);
  const ids = ctx.library.list(scope).map((summary) => summary.meta.id);
  return insightsReport(questions, ids);
}

function titleOf(ctx: CommandContext, scope: Scope, id: string): string {
  try {
    return ctx.library.describe(id, scope).meta.title;
  } catch {
    return id; // removed since: its id is all there is
  }
}

function quoted(text: string): string {
  return `“${escapeEcho(shorten(text, LINE_TEXT_MAX))}”`;
}

function pagesOf(ctx: CommandContext, scope: Scope, report: InsightsReport): Page[] {
  const doc = (id: string): string => escapeEcho(shorten(titleOf(ctx, scope, id), LINE_TEXT_MAX));
  const sections: Page[] = [
    {
      title: 'Questions the sources did not answer',
      lines: report.declinedGroups.map((group) => {
        const [first, ...others] = group.questions;
        const also = others.length === 0 ? '' : ` · also ${others.slice(0, 3).map(quoted).join(', ')}`;
        const nearest = group.nearest
          ? ` · nearest: ${doc(group.nearest.documentId)} ¶${group.nearest.paragraph}`
          : '';
        return `**${group.count}×** ${quoted(first ?? '')}${also}${nearest}`;
      }),
    },
    {
      title: 'Answers voted “Didn’t answer”',
      lines: report.votedDown.map(
        (answer) =>
          `**${answer.unhelpful}** didn’t, ${answer.helpful} did · ${quoted(answer.question)} · shown: ${answer.passages
            .map((p) => `${p.rank}. ${doc(p.documentId)} ¶${p.paragraph}`)
            .join('; ')}`,
      ),
    },
    {
      title: 'Documents quoted most',
      lines: report.quotedMost.map((entry) => `**${entry.times}×** ${doc(entry.documentId)}`),
    },
    { title: 'Documents never quoted', lines: report.neverQuoted.map((id) => doc(id)) },
    {
      title: 'Answered and declined per week (week of Monday)',
      lines: report.weeks.map((week) => `${week.week}: ${week.answered} answered, ${week.declined} declined`),
    },
  ];
  const pages: Page[] = [];
  for (const section of sections) {
    if (section.lines.length === 0) {
      pages.push({ title: section.title, lines: ['Nothing in this period.'] });
      continue;
    }
    for (let from = 0; from < section.lines.length; from += LINES_PER_PAGE) {
      pages.push({ title: section.title, lines: section.lines.slice(from, from + LINES_PER_PAGE) });
    }
  }
  return pages;
}

function pagePayload(
  ctx: CommandContext,
  guildId: string,
  report: InsightsReport,
  pages: readonly Page[],
  index: number,
  days: number,
): Payload {
  const at = Math.min(Math.max(0, index), pages.length - 1);
  const page = pages[at] ?? { title: '', lines: [] };
  const summary = `Insights for the last ${days} days: ${report.asked} questions, ${report.answered} answered, ${report.declined} declined. Page ${at + 1} of ${pages.length}.`;
  const buttons: Button[] = [
    {
      customId: ctx.buttonState.customId(INSIGHTS_COMMAND, 'page', { p: at - 1, d: days }, guildId),
      label: 'Previous',
      disabled: at === 0,
    },
    {
      customId: ctx.buttonState.customId(INSIGHTS_COMMAND, 'page', { p: at + 1, d: days }, guildId),
      label: 'Next',
      style: 'primary',
      disabled: at >= pages.length - 1,
    },
  ];
  return {
    content: summary,
    embeds: [
      {
        title: shorten(page.title, LIMITS.embedTitle),
        description: shorten(page.lines.join('\n'), LIMITS.embedDescription),
      },
    ],
    components: buttonRows([buttons]),
    allowedMentions: NO_MENTIONS,
    flags: MessageFlags.Ephemeral,
  };
}

/** `/insights view`: the first page, privately, with the weekly chart attached. */
export async function showInsights(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  days: number,
): Promise<void> {
  const scope = requireInsightsModerator(interaction);
  await interaction.deferReply({ flags: 'Ephemeral' });
  const report = await reportOf(ctx, scope, days);
  const pages = pagesOf(ctx, scope, report);
  const { weeklyChartPng } = await import('../insights-chart.ts');
  const chart = weeklyChartPng(report.weeks, `Questions per week, last ${days} days`);
  const { flags: _flags, ...payload } = pagePayload(ctx, interaction.guildId ?? '', report, pages, 0, days);
  await interaction.editReply({ ...payload, files: [{ attachment: chart, name: 'insights-per-week.png' }] });
}

/** `/insights export`: every stored question of the period as CSV, privately. */
export async function exportInsights(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  days: number,
): Promise<void> {
  const scope = requireInsightsModerator(interaction);
  await interaction.deferReply({ flags: 'Ephemeral' });
  const questions = await storeOf(ctx).questions(scope, new Date(Date.now() - days * DAY_MS), MAX_QUESTIONS);
  const cut =
    questions.length >= MAX_QUESTIONS
      ? ` (the first ${MAX_QUESTIONS}; choose a shorter period for the rest)`
      : '';
  await interaction.editReply({
    content: `${questions.length} questions of the last ${days} days${cut}, as CSV.`,
    allowedMentions: NO_MENTIONS,
    files: [{ attachment: Buffer.from(insightsCsv(questions), 'utf8'), name: `insights-${days}d.csv` }],
  });
}

/** `/insights clear`: asks to confirm; the button erases. */
export async function askToClear(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
): Promise<void> {
  requireInsightsModerator(interaction);
  storeOf(ctx);
  const confirm: Button = {
    customId: ctx.buttonState.customId(INSIGHTS_COMMAND, 'clear', {}, interaction.guildId),
    label: 'Erase them',
    style: 'danger',
  };
  const payload = renderNotice(
    'Erase every question and vote this server has stored for insights? This cannot be undone. (Documents are not touched.)',
  );
  await interaction.reply({ ...payload, components: buttonRows([[confirm]]) });
}

/** The insights buttons: a page, or the confirmed erase. */
export async function insightsButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const click = ctx.buttonState.read(interaction.customId, interaction.guildId);
  const scope = requireInsightsModerator(interaction);
  if (scope === SHIPPED_SCOPE) throw new VerbatimError('NOT_PERMITTED', 'Insights are kept per server.');
  switch (click.action) {
    case 'page': {
      const days =
        typeof click.data.d === 'number' && PERIODS.includes(click.data.d as 7)
          ? click.data.d
          : DEFAULT_PERIOD;
      const report = await reportOf(ctx, scope, days);
      const pages = pagesOf(ctx, scope, report);
      const index = typeof click.data.p === 'number' ? click.data.p : 0;
      const { flags: _flags, ...payload } = pagePayload(
        ctx,
        interaction.guildId ?? '',
        report,
        pages,
        index,
        days,
      );
      await interaction.update(payload);
      return;
    }
    case 'clear': {
      const erased = await storeOf(ctx).clear(scope);
      await interaction.update({
        content: `Erased ${erased} stored question${erased === 1 ? '' : 's'} and their votes.`,
        components: [],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    default:
      throw new Error(`unknown insights button action: ${click.action}`);
  }
}
