/**
 * Turns eval results into what `npm run eval` prints: aligned pipe tables that read as plain text and
 * paste into README as Markdown unchanged, or one JSON object for machines.
 */
import type { OwnHalf, OwnResult, OwnRow } from './own-set.ts';
import type { SegmentationCheck, SquadRow } from './squad.ts';
import { ownTargets, semanticTargets, squadTargets, type TargetCheck } from './targets.ts';

export interface SquadReport {
  file: string;
  articles: { tune: number; test: number };
  paragraphs: number;
  /** Questions asked (all of them unless --limit-questions). */
  questions: number;
  questionsInFile: number;
  segmentation?: SegmentationCheck;
  rows: SquadRow[];
}

/** The own set asked one way (lexical, or with the semantic stage). */
export interface OwnModeReport {
  /** Rows by kind over the whole set (both halves). */
  rows: OwnRow[];
  /** Rows by kind per half; `test` is left out when the run was asked for the tune half only. */
  halves: { tune: OwnRow[]; test?: OwnRow[] };
  results: OwnResult[];
}

/** The own set: lexical (the fields here), and with the semantic stage when it ran. */
export interface OwnReport extends OwnModeReport {
  documents: number;
  semantic?: OwnModeReport;
}

export interface EvalReport {
  command: string;
  node: string;
  /** ISO date of the run, YYYY-MM-DD. */
  date: string;
  squad?: SquadReport;
  own?: OwnReport;
  elapsedMs: number;
}

/** A share or recall with three decimals, as quoted in README; a dash when it does not apply. */
export function formatRate(value: number | null): string {
  return value === null || Number.isNaN(value) ? '—' : value.toFixed(3);
}

/** Query latencies: two decimals of a millisecond, enough to compare sub-millisecond engines. */
export function formatMs(value: number): string {
  return Number.isNaN(value) ? '—' : value.toFixed(2);
}

/** Longer times (index builds, the whole run): whole milliseconds. */
export function formatWholeMs(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

type Align = 'left' | 'right';

/** An aligned pipe table: the first column left-aligned, numbers right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const align = (column: number): Align => (column === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return align(column) === 'left' ? cell.padEnd(width) : cell.padStart(width);
      })
      .join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (align(column) === 'left' ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function squadTable(rows: readonly SquadRow[]): string {
  return formatTable(
    ['engine', 'questions', 'R@1', 'R@3', 'R@5', 'MRR@10', 'false abst.', 'p50 ms', 'p99 ms', 'build ms'],
    rows.map((row) => [
      row.name,
      row.questions.toLocaleString('en-US'),
      formatRate(row.r1),
      formatRate(row.r3),
      formatRate(row.r5),
      formatRate(row.mrr10),
      formatRate(row.falseAbstention),
      formatMs(row.p50Ms),
      formatMs(row.p99Ms),
      formatWholeMs(row.buildMs),
    ]),
  );
}

export function ownTable(rows: readonly OwnRow[]): string {
  return formatTable(
    ['questions by kind', 'n', 'R@1', 'R@3', 'false abst.', 'abstention'],
    rows.map((row) => [
      row.name,
      String(row.questions),
      formatRate(row.r1),
      formatRate(row.r3),
      formatRate(row.falseAbstention),
      formatRate(row.abstention),
    ]),
  );
}

export function targetTable(checks: readonly TargetCheck[], title = 'target (issue 4)'): string {
  return formatTable(
    [title, 'measured', 'met'],
    checks.map((check) => [check.target, check.measured, check.met ? 'yes' : 'NO']),
  );
}

/** The whole plain-text report. */
export function renderReport(report: EvalReport): string {
  const parts = [`verbatim evaluation — \`${report.command}\` — node ${report.node} — ${report.date}`];
  const { squad, own } = report;
  if (squad !== undefined) {
    const asked =
      squad.questions === squad.questionsInFile
        ? `${squad.questions.toLocaleString('en-US')} questions`
        : `${squad.questions.toLocaleString('en-US')} of ${squad.questionsInFile.toLocaleString('en-US')} questions (sampled evenly)`;
    const lines = [
      `SQuAD v1.1 dev: ${squad.articles.tune + squad.articles.test} articles (tune = even ${squad.articles.tune}, test = odd ${squad.articles.test}), ${squad.paragraphs.toLocaleString('en-US')} paragraphs, ${asked}; gold = the question's own paragraph.`,
      squadTable(squad.rows),
      'R@k and MRR@10 count a declined question as a miss. Latency is the whole ask (ours) or search (MiniSearch) after a warm-up; build is indexing all articles.',
    ];
    if (squad.segmentation !== undefined) {
      const s = squad.segmentation;
      lines.push(
        `Our segmentation: ${s.contexts.toLocaleString('en-US')} contexts → ${s.units.toLocaleString('en-US')} units (${s.contextsSplit} contexts split into parts, ${s.contextsMissing} dropped).`,
      );
    }
    parts.push(lines.join('\n'));
  }
  if (own !== undefined) {
    const count = (half: OwnHalf) => own.results.filter((result) => result.half === half).length;
    const lines = [
      `Own question set: ${own.results.length} questions over the ${own.documents} shipped documents (src/eval/questions.json), split by kind into a tune half (decide on it) and a test half (report it); R@k counts up to 3 passages shown.${own.semantic === undefined ? '' : ' Rows "+sem" have the semantic stage on.'}`,
    ];
    const sideBySide = (lexical: readonly OwnRow[], semantic: readonly OwnRow[] | undefined): OwnRow[] =>
      semantic === undefined
        ? [...lexical]
        : lexical.flatMap((row, i) => {
            const withSemantic = semantic[i];
            return withSemantic === undefined ? [row] : [row, { ...withSemantic, name: `${row.name} +sem` }];
          });
    lines.push(
      `Tune half (${count('tune')} questions):`,
      ownTable(sideBySide(own.halves.tune, own.semantic?.halves.tune)),
    );
    if (own.halves.test === undefined) lines.push('Test half: not shown (--half tune).');
    else
      lines.push(
        `Test half (${count('test')} questions):`,
        ownTable(sideBySide(own.halves.test, own.semantic?.halves.test)),
      );
    parts.push(lines.join('\n'));
  }
  const checks = [
    ...(squad === undefined ? [] : squadTargets(squad.rows)),
    ...(own === undefined ? [] : ownTargets(own.rows)),
  ];
  if (checks.length > 0)
    parts.push(['Targets (issue 4, lexical; the own set whole):', targetTable(checks)].join('\n'));
  const semanticChecks = semanticTargets(
    squad?.rows.some((row) => row.name === 'ours+semantic-all') === true ? squad.rows : undefined,
    own?.semantic?.halves.test,
  );
  if (semanticChecks.length > 0)
    parts.push(
      [
        'Targets (issue 13, semantic stage on; the own set test half):',
        targetTable(semanticChecks, 'target (issue 13)'),
      ].join('\n'),
    );
  parts.push(`Eval took ${(report.elapsedMs / 1000).toFixed(1)} s.`);
  return `${parts.join('\n\n')}\n`;
}
