/** Renders a run as one plain-text table: the header says what ran where, every row ours | plain | ratio. */
import type { BenchResults, EngineFigures, StallResult } from './results.ts';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function milliseconds(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${number.format(ms)} ms`;
}
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
const perSecond = (value: number): string => `${number.format(value)}/s`;
const count = (value: number): string => number.format(value);

const WRAP = 110;
/** Breaks a long header sentence into lines of at most WRAP characters, continuation lines indented. */
function wrap(text: string, indent = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WRAP) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function ratio(ours: number | undefined, plain: number | undefined): string {
  if (ours === undefined || plain === undefined || plain === 0) return '—';
  const value = ours / plain;
  return value >= 100 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

interface Row {
  metric: string;
  corpus: string;
  ours: string;
  plain: string;
  ratio: string;
}

function row(
  metric: string,
  corpus: string,
  ours: number | undefined,
  plain: number | undefined,
  format: (value: number) => string,
): Row {
  // "n/a": not measured; the notes under the table say why.
  return {
    metric,
    corpus,
    ours: ours === undefined ? 'n/a' : format(ours),
    plain: plain === undefined ? 'n/a' : format(plain),
    ratio: ratio(ours, plain),
  };
}

function layout(rows: Array<Row | 'rule'>): string[] {
  const header: Row = {
    metric: 'metric',
    corpus: 'corpus',
    ours: 'ours',
    plain: 'plain',
    ratio: 'ours/plain',
  };
  const all = [header, ...rows.filter((r): r is Row => r !== 'rule')];
  const width = (key: keyof Row): number => Math.max(...all.map((r) => r[key].length));
  const widths = {
    metric: width('metric'),
    corpus: width('corpus'),
    ours: width('ours'),
    plain: width('plain'),
    ratio: width('ratio'),
  };
  const line = (r: Row): string =>
    [
      r.metric.padEnd(widths.metric),
      r.corpus.padEnd(widths.corpus),
      r.ours.padStart(widths.ours),
      r.plain.padStart(widths.plain),
      r.ratio.padStart(widths.ratio),
    ]
      .join('  ')
      .trimEnd();
  const total = widths.metric + widths.corpus + widths.ours + widths.plain + widths.ratio + 8;
  return [line(header), '-'.repeat(total), ...rows.map((r) => (r === 'rule' ? '-'.repeat(total) : line(r)))];
}

function stallFigure(
  result: StallResult,
  pick: 'baseline' | 'duringAdd',
  field: 'maxStallMs' | 'workMs' | 'queries',
): number | undefined {
  return 'unavailable' in result ? undefined : result[pick][field];
}

export function renderTable(results: BenchResults): string {
  const { machine } = results;
  const header = [
    `verbatim benchmark: ${results.command}`,
    `machine: Node ${machine.node}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB memory, ` +
      `${machine.cpuModel}, ${machine.platform}`,
    `run: ${results.startedAt}, took ${(results.durationMs / 1000).toFixed(0)} s; ` +
      `load average at start ${machine.loadAverage.join(' / ')} (1/5/15 min)`,
    results.engines.ours,
    results.engines.plain,
    `corpora: ${results.corpora}`,
    ...results.sizes.map(
      (size) =>
        `- ${size.label}: ${size.origin === 'generated' ? 'GENERATED' : 'SQuAD v1.1 dev'}, ` +
        `${count(size.documents)} documents, ${count(size.paragraphs)} paragraphs, ${megabytes(size.characters)} of text; ` +
        `a process holding that text and no index: RSS ${megabytes(size.baseline.rssBytes)}, ` +
        `heap ${megabytes(size.baseline.heapUsedBytes)}`,
    ),
    'ratio = ours / plain: for times and memory lower is better, for throughput higher is better; ' +
      'n/a = not measured (see notes).',
    'ready = fork() of a fresh Node process (tsx loader, same for both) until its first question is answered.',
    'memory = process.memoryUsage() in that process after two forced GCs (--expose-gc), corpus text held by both.',
  ];
  const lines: string[] = [...header.flatMap((line) => wrap(line)), ''];

  const rows: Array<Row | 'rule'> = [];
  const section = (build: (size: BenchResults['sizes'][number]) => Row): void => {
    for (const size of results.sizes) rows.push(build(size));
    if (results.sizes.length > 1) rows.push('rule');
  };
  /** One row per corpus size: the same figure picked from ours and from plain. */
  const metric = (
    label: string | ((size: BenchResults['sizes'][number]) => string),
    pick: (figures: EngineFigures) => number | undefined,
    format: (value: number) => string,
  ): void =>
    section((s) =>
      row(typeof label === 'string' ? label : label(s), s.label, pick(s.ours), pick(s.plain), format),
    );
  const askLabel = (quantile: string) => (s: BenchResults['sizes'][number]) =>
    `ask ${quantile} (${queryNote(s.ours.queries ?? s.plain.queries)})`;
  metric('paragraphs indexed', (e) => e.entries, count);
  metric('index build time', (e) => e.buildMs, milliseconds);
  metric('build throughput (paragraphs/s)', (e) => e.paragraphsPerSecond, perSecond);
  metric('ready, index built from text', (e) => e.readyMs, milliseconds);
  metric('resident memory (RSS) after build', (e) => e.rssBytes, megabytes);
  metric('heap used after build', (e) => e.heapUsedBytes, megabytes);
  metric(askLabel('p50'), (e) => e.queries?.p50Ms, milliseconds);
  metric(askLabel('p99'), (e) => e.queries?.p99Ms, milliseconds);
  metric('questions with a passage returned', (e) => e.queries?.answered, count);
  metric('snapshot size', (e) => e.snapshot?.bytes, megabytes);
  metric('snapshot save (serialise + write)', (e) => e.snapshot?.saveMs, milliseconds);
  metric('snapshot load (read + parse + load)', (e) => e.snapshot?.loadMs, milliseconds);
  metric('ready, index loaded from snapshot', (e) => e.snapshot?.readyMs, milliseconds);
  metric('RSS after snapshot load', (e) => e.snapshot?.rssBytes, megabytes);

  if (results.sizes.length === 1) rows.push('rule');
  const { stall } = results;
  const stallRow = (
    label: string,
    phase: 'baseline' | 'duringAdd',
    field: 'maxStallMs' | 'workMs' | 'queries',
    format: (value: number) => string,
  ): void => {
    rows.push(
      row(
        label,
        stall.corpus,
        stallFigure(stall.ours, phase, field),
        stallFigure(stall.plain, phase, field),
        format,
      ),
    );
  };
  stallRow('longest event-loop stall, queries only', 'baseline', 'maxStallMs', milliseconds);
  stallRow('longest event-loop stall, 5 MB add + queries', 'duringAdd', 'maxStallMs', milliseconds);
  stallRow('5 MB add duration', 'duringAdd', 'workMs', milliseconds);
  stallRow('queries answered during the add', 'duringAdd', 'queries', count);

  lines.push(...layout(rows));
  lines.push('', 'notes:');
  lines.push(...notes(results).flatMap((note) => wrap(`- ${note}`)));
  lines.push('', ...discordSection(results));
  return lines.join('\n');
}

function queryNote(queries: EngineFigures['queries']): string {
  return queries ? `${count(queries.count)} q after ${count(queries.warmup)} warm-up` : 'not measured';
}

function notes(results: BenchResults): string[] {
  const out: string[] = [];
  const reasons = new Set<string>();
  for (const size of results.sizes) {
    for (const [name, figures] of [
      ['ours', size.ours],
      ['plain', size.plain],
    ] as const) {
      if (figures.unavailable) reasons.add(`${name}: ${figures.unavailable}`);
      if (figures.snapshot?.unavailable) reasons.add(`${name} snapshot: ${figures.snapshot.unavailable}`);
    }
  }
  out.push(...reasons);
  const { stall } = results;
  out.push(
    `event-loop stall: monitorEventLoopDelay (resolution 1 ms) max, while a timer asks one SQuAD question every ${stall.intervalMs} ms; ` +
      '"queries only" is the same timer for 1 s without an add.',
  );
  for (const [name, result] of [
    ['ours', stall.ours],
    ['plain', stall.plain],
  ] as const) {
    out.push(
      'unavailable' in result
        ? `${name} stall: ${result.unavailable}`
        : `${name} add path: ${result.path.replace(/^\w+: /, '')} (${megabytes(result.addedBytes)} document)`,
    );
  }
  return out;
}

function discordSection(results: BenchResults): string[] {
  const title = '/ask round trip through the Discord layer: interaction dispatched → first response received';
  const { discord } = results;
  const rule = '='.repeat(title.length);
  if ('pending' in discord) return [rule, title, rule, ...wrap(`not measured yet: ${discord.pending}`, '')];
  const lines = [rule, title, rule, ...wrap(discord.setup, '')];
  if (discord.botReadyMs !== undefined) {
    lines.push(`bot ready: ${milliseconds(discord.botReadyMs)} from fork() to logged in, 2k corpus indexed`);
  }
  const header = ['concurrent users', 'requests', 'public answers', 'p50', 'p99'];
  const rows = discord.rounds.map((round) => [
    `${round.users}`,
    count(round.requests),
    count(round.quoted),
    milliseconds(round.p50Ms),
    milliseconds(round.p99Ms),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ');
  return [...lines, line(header), ...rows.map(line)];
}
