/**
 * `npx tsx src/eval/calibrate.ts [--options JSON] [--squad PATH]` — one JSON line per question of the own
 * set and of the SQuAD tune half: its label and the engine's `explain` account (terms with document
 * frequencies, the best candidates' evidence) and the rank of its gold paragraph among the candidates.
 * This is what the no-answer rule was calibrated on (docs/quality.md); it never reads the SQuAD test half.
 */
import { loadShippedCorpus } from '../store/corpus.ts';
import { SearchEngine, type EngineOptionsInput, type Explanation } from '../core/index.ts';
import { DEFAULT_SQUAD_PATH } from './args.ts';
import { loadOwnQuestions, loadSquad } from './load.ts';
import { goldParagraph, indexDocuments, isAnswerableKind, paragraphKey } from './own-set.ts';
import { contextKey, documentIdOf, halfOf, mapParagraphs, squadDocument } from './squad.ts';

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

function optionsFrom(argv: readonly string[]): { options: EngineOptionsInput; squad: string } {
  const at = argv.indexOf('--options');
  const squadAt = argv.indexOf('--squad');
  return {
    options: at >= 0 ? (JSON.parse(argv[at + 1] ?? '{}') as EngineOptionsInput) : {},
    squad: squadAt >= 0 ? (argv[squadAt + 1] ?? DEFAULT_SQUAD_PATH) : DEFAULT_SQUAD_PATH,
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
  const { options, squad } = optionsFrom(process.argv.slice(2));
  const write = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);

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
  const contextOf = new Map<string, Map<number, number>>();
  const articleIndexOf = new Map<string, number>();
  for (const article of set.articles) {
    const paragraphs = engine.add(squadDocument(article));
    contextOf.set(documentIdOf(article), mapParagraphs(article, paragraphs).contextOfParagraph);
    articleIndexOf.set(documentIdOf(article), article.index);
  }
  const keyOf = (documentId: string, paragraph: number) =>
    contextKey(articleIndexOf.get(documentId) ?? -1, contextOf.get(documentId)?.get(paragraph) ?? -1);
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
}

await main();
