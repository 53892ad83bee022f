/**
 * What `/insights` shows, computed from a server's stored questions (src/store/db/insights.ts): the
 * questions the bot declined, grouped when they are the same question in other words; answers members
 * voted down with the passages shown; the documents quoted most and never; answered and declined per
 * week; and the CSV of `/insights export`. Pure: no I/O, no Discord.
 */
import type { ShownPassage, StoredQuestion } from './store/db/insights.ts';

export interface DeclinedGroup {
  /** The distinct wordings, most asked first. */
  questions: string[];
  /** How many times the group was asked. */
  count: number;
  /** The passage that came nearest, when one did (the same for every question grouped by it). */
  nearest?: { documentId: string; paragraph: number } | undefined;
}

export interface VotedDown {
  question: string;
  askedAt: string;
  helpful: number;
  unhelpful: number;
  passages: ShownPassage[];
}

export interface WeekCount {
  /** Monday of the week, `YYYY-MM-DD` (UTC). */
  week: string;
  answered: number;
  declined: number;
}

export interface InsightsReport {
  asked: number;
  answered: number;
  declined: number;
  declinedGroups: DeclinedGroup[];
  votedDown: VotedDown[];
  quotedMost: { documentId: string; times: number }[];
  neverQuoted: string[];
  weeks: WeekCount[];
}

/**
 * The report over `questions` (one server's, in the period), with `documentIds` the server's own
 * documents (for "never quoted").
 */
export function insightsReport(
  questions: readonly StoredQuestion[],
  documentIds: readonly string[],
): InsightsReport {
  const declined = questions.filter((q) => !q.answered);
  const quoted = new Map<string, number>();
  for (const question of questions)
    for (const passage of question.passages)
      quoted.set(passage.documentId, (quoted.get(passage.documentId) ?? 0) + 1);
  return {
    asked: questions.length,
    answered: questions.length - declined.length,
    declined: declined.length,
    declinedGroups: groupDeclined(declined),
    votedDown: questions
      .filter((q) => q.unhelpful > 0)
      .sort((a, b) => b.unhelpful - a.unhelpful || b.askedAt.localeCompare(a.askedAt))
      .map((q) => ({
        question: q.question,
        askedAt: q.askedAt,
        helpful: q.helpful,
        unhelpful: q.unhelpful,
        passages: q.passages,
      })),
    quotedMost: [...quoted]
      .map(([documentId, times]) => ({ documentId, times }))
      .sort((a, b) => b.times - a.times || a.documentId.localeCompare(b.documentId)),
    neverQuoted: documentIds.filter((id) => !quoted.has(id)),
    weeks: perWeek(questions),
  };
}

/**
 * Declined questions joined into groups: two are the same question when they have the same normalised
 * words (not empty), or the same nearest passage. Groups are joined transitively (union-find).
 */
export function groupDeclined(declined: readonly StoredQuestion[]): DeclinedGroup[] {
  const parent = declined.map((_, index) => index);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    parent[i] = r;
    return r;
  };
  const firstWith = new Map<string, number>();
  declined.forEach((question, index) => {
    const keys: string[] = [];
    if (question.words.length > 0) keys.push(`w:${question.words.join(' ')}`);
    if (question.best !== undefined) keys.push(`p:${question.best.documentId}#${question.best.paragraph}`);
    for (const key of keys) {
      const other = firstWith.get(key);
      if (other === undefined) firstWith.set(key, index);
      else parent[root(index)] = root(other);
    }
  });
  const groups = new Map<number, StoredQuestion[]>();
  declined.forEach((question, index) => {
    const members = groups.get(root(index)) ?? [];
    members.push(question);
    groups.set(root(index), members);
  });
  return [...groups.values()]
    .map((members) => {
      const wordings = new Map<string, number>();
      for (const member of members) wordings.set(member.question, (wordings.get(member.question) ?? 0) + 1);
      const nearest = members.find((member) => member.best !== undefined)?.best;
      return {
        questions: [...wordings]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([text]) => text),
        count: members.length,
        ...(nearest === undefined ? {} : { nearest }),
      };
    })
    .sort((a, b) => b.count - a.count || (a.questions[0] ?? '').localeCompare(b.questions[0] ?? ''));
}

/** Monday (UTC) of the week `iso` falls in, as `YYYY-MM-DD`. */
export function weekOf(iso: string): string {
  const day = new Date(iso.slice(0, 10) + 'T00:00:00.000Z');
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

function perWeek(questions: readonly StoredQuestion[]): WeekCount[] {
  const weeks = new Map<string, WeekCount>();
  for (const question of questions) {
    const week = weekOf(question.askedAt);
    const count = weeks.get(week) ?? { week, answered: 0, declined: 0 };
    if (question.answered) count.answered += 1;
    else count.declined += 1;
    weeks.set(week, count);
  }
  return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}

const CSV_COLUMNS = [
  'asked_at',
  'question',
  'normalised_words',
  'answered',
  'reason',
  'origin',
  'passages',
  'answered_it_votes',
  'did_not_answer_votes',
] as const;

/**
 * The CSV of `/insights export` (RFC 4180, CRLF). A cell a spreadsheet would run as a formula (starting
 * with `=`, `+`, `-`, `@`, tab or CR) gets a leading apostrophe: questions are members' words.
 */
export function insightsCsv(questions: readonly StoredQuestion[]): string {
  const rows = questions.map((q) => [
    q.askedAt,
    q.question,
    q.words.join(' '),
    q.answered ? 'yes' : 'no',
    q.reason ?? '',
    q.origin,
    q.passages.map((p) => `${p.rank}:${p.documentId}#${p.paragraph}`).join(' '),
    String(q.helpful),
    String(q.unhelpful),
  ]);
  return [[...CSV_COLUMNS], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
