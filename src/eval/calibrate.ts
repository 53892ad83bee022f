/**
 * `npx tsx src/eval/calibrate.ts [--dump] [--options JSON] [--squad PATH]` — calibrates the no-answer rule
 * on the own set and the SQuAD tune half (never the test half). The engine is asked with the rule off, so
 * every question's signals are seen: the best candidate's coverage and the question's unknown-word share.
 * Prints, for each abstention level on the own set's unanswerable questions, the (minCoverage,
 * maxUnknownShare) pair with the fewest false abstentions on the own set's answerable questions, and the
 * SQuAD tune false abstention it costs. With `--dump`: one JSON line per question instead (its label, the
 * engine's `explain` account and the rank of its gold paragraph among the candidates).
 */
import { loadShippedCorpus } from '../store/corpus.ts';
import { SearchEngine, type EngineOptionsInput, type Explanation } from '../core/index.ts';
import { DEFAULT_SQUAD_PATH } from './args.ts';
import { frontier, frontierTable, type QuestionSignals } from './calibration.ts';
import { loadOwnQuestions, loadSquad } from './load.ts';
import { goldParagraph, indexDocuments, isAnswerableKind, paragraphKey } from './own-set.ts';
import { contextKey, halfOf, indexSquadArticles } from './squad.ts';

interface Line {
  set: 'own' | 'squad-tune';
  kind: string;
  answerable: boolean;
  question: string;
  /** 1-based rank of the first gold candidate among the explained candidates, null when absent. */
  goldRank: number | null;
  /** Whether each explained candidate is a gold paragraph (for fitting second-stage weights). */
  gold: boolean[];
  explain: Explanation;
}

function optionsFrom(argv: readonly string[]): { options: EngineOptionsInput; squad: string; dump: boolean } {
  const at = argv.indexOf('--options');
  const squadAt = argv.indexOf('--squad');
  const given = at >= 0 ? (JSON.parse(argv[at + 1] ?? '{}') as EngineOptionsInput) : {};
  return {
    // The rule off, so that every question's signals are seen.
    options: { ...given, minCoverage: 0, maxUnknownShare: 1 },
    squad: squadAt >= 0 ? (argv[squadAt + 1] ?? DEFAULT_SQUAD_PATH) : DEFAULT_SQUAD_PATH,
    dump: argv.includes('--dump'),
  };
}

function rankOf(
  explain: Explanation,
  gold: ReadonlySet<string>,
  keyOf: (documentId: string, paragraph: number) => string,
): number | null {
  const seen: string[] = [];
  for (const candidate of explain.candidates) {
    const key = keyOf(candidate.documentId, candidate.paragraph);
    if (!seen.includes(key)) seen.push(key);
    if (gold.has(key)) return seen.length;
  }
  return null;
}

async function main(): Promise<void> {
  const { options, squad, dump } = optionsFrom(process.argv.slice(2));
  const signals: QuestionSignals[] = [];
  const write = (line: Line) => {
    if (dump) process.stdout.write(`${JSON.stringify(line)}\n`);
    signals.push({
      answerable: line.answerable,
      set: line.set,
      coverage: line.explain.candidates[0]?.coverage ?? 0,
      unknownShare: line.explain.unknownShare,
    });
  };

  const own = new SearchEngine(options);
  const indexed = indexDocuments(own, await loadShippedCorpus());
  for (const question of loadOwnQuestions()) {
    const explain = own.explain(question.question);
    const gold = new Set(question.answers.map((answer) => goldParagraph(indexed, answer)));
    write({
      set: 'own',
      kind: question.kind,
      answerable: isAnswerableKind(question.kind),
      question: question.question,
      goldRank: rankOf(explain, gold, paragraphKey),
      gold: explain.candidates.map((candidate) =>
        gold.has(paragraphKey(candidate.documentId, candidate.paragraph)),
      ),
      explain,
    });
  }

  const set = loadSquad(squad);
  const engine = new SearchEngine(options);
  const keyOf = indexSquadArticles(engine, set);
  for (const question of set.questions) {
    if (halfOf(question.article) !== 'tune') continue;
    const explain = engine.explain(question.question);
    const gold = new Set([contextKey(question.article, question.context)]);
    write({
      set: 'squad-tune',
      kind: 'squad',
      answerable: true,
      question: question.question,
      goldRank: rankOf(explain, gold, keyOf),
      gold: explain.candidates.map((candidate) => gold.has(keyOf(candidate.documentId, candidate.paragraph))),
      explain,
    });
  }
  if (!dump) process.stdout.write(`${frontierTable(frontier(signals))}\n`);
}

await main();
