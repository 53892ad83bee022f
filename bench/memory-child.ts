/**
 * One measurement of `npm run bench -- --only memory` in a fresh process (bench/memory.ts starts it): the
 * mode, the data directory and the servers to ask come as arguments; one JSON line of figures goes to
 * stdout.
 *
 * - `everything`: today's load-everything (the terminal's library: every server indexed at open).
 * - `on-demand`: the bot's library (servers loaded on first question, INDEX_MEMORY_MB budget); the active
 *   servers are asked once each, then one cold server is asked and timed.
 * - `plain-all` / `plain-active`: plain MiniSearch over every server's paragraphs, or only the active
 *   ones'; `plain-cold` times building one server's plain MiniSearch and asking it.
 */
import MiniSearch from 'minisearch';
import { guildScope, type SourceDocument } from '../src/core/index.ts';
import { openLibrary } from '../src/library.ts';
import { silentLogger } from '../src/log.ts';
import { openDocumentDatabase } from '../src/store/db/index.ts';

const [mode, dataDir, activeText, coldGuild, budgetText] = process.argv.slice(2);
if (mode === undefined || dataDir === undefined) throw new Error('memory-child: mode and data dir needed');
const active = (activeText ?? '').split(',').filter((id) => id !== '');
const QUESTION = 'Which harbour keeps the winter ledger of the lighthouse?';

function settle(): { rssBytes: number; heapUsedBytes: number } {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed };
}

function plainIndex(documents: readonly SourceDocument[]): MiniSearch<{ id: number; text: string }> {
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  let id = 0;
  const entries = documents.flatMap((document) =>
    document.text.split(/\n\s*\n/).map((text) => ({ id: id++, text })),
  );
  index.addAll(entries);
  return index;
}

async function storedDocuments(wanted?: (guildId: string) => boolean): Promise<SourceDocument[]> {
  const store = await openDocumentDatabase({ dataDir: dataDir as string, logger: silentLogger() });
  try {
    return await store.loadAll((scope) => wanted === undefined || wanted(scope.replace(/^guild:/, '')));
  } finally {
    await store.close();
  }
}

const before = settle();
const out: Record<string, unknown> = { mode, before };
if (mode === 'everything') {
  const started = performance.now();
  const library = await openLibrary({ dataDir, logger: silentLogger() });
  out['openMs'] = performance.now() - started;
  out['documents'] = library.stats().servers.documents;
  out['after'] = settle();
  await library.close();
} else if (mode === 'on-demand') {
  const loads: Array<{ source: string; ms: number; bytes: number }> = [];
  const started = performance.now();
  const library = await openLibrary({
    dataDir,
    logger: silentLogger(),
    serversInBackground: true,
    indexMemoryBytes: Number(budgetText ?? '256') * 1024 * 1024,
    onServerIndex: (event) => {
      if (event.kind === 'loaded') loads.push({ source: event.source, ms: event.ms, bytes: event.bytes });
    },
  });
  out['openMs'] = performance.now() - started;
  for (const guild of active) await library.ask(QUESTION, { scope: guildScope(guild) });
  out['after'] = settle();
  out['documents'] = library.stats().servers.documents;
  const mean = (values: number[]): number | undefined =>
    values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
  out['meanLoadMs'] = mean(loads.map((l) => l.ms));
  out['meanEstimateBytes'] = mean(loads.map((l) => l.bytes));
  if (coldGuild !== undefined) {
    // Several cold servers, one after the other, and the median: one question is at the mercy of a GC.
    const times: number[] = [];
    for (const guild of coldGuild.split(',')) {
      const asked = performance.now();
      const answer = await library.ask(QUESTION, { scope: guildScope(guild) });
      times.push(performance.now() - asked);
      out['coldAnswered'] = answer.answered;
    }
    times.sort((a, b) => a - b);
    out['coldMs'] = times[Math.floor(times.length / 2)];
    out['coldSource'] = loads.at(-1)?.source;
  }
  out['loads'] = {
    snapshot: loads.filter((l) => l.source === 'snapshot').length,
    built: loads.filter((l) => l.source === 'built').length,
  };
  await library.close();
} else if (mode === 'plain-all' || mode === 'plain-active') {
  const documents = await storedDocuments(mode === 'plain-all' ? undefined : (g) => active.includes(g));
  const index = plainIndex(documents);
  out['documents'] = documents.length;
  out['after'] = settle();
  out['entries'] = index.documentCount;
} else if (mode === 'plain-cold') {
  const times: number[] = [];
  for (const guild of (coldGuild ?? '').split(',')) {
    const documents = await storedDocuments((g) => g === guild);
    const asked = performance.now();
    const index = plainIndex(documents);
    index.search(QUESTION);
    times.push(performance.now() - asked);
  }
  times.sort((a, b) => a - b);
  out['coldMs'] = times[Math.floor(times.length / 2)];
} else {
  throw new Error(`memory-child: unknown mode ${mode}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
