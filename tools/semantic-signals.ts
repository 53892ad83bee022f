/**
 * `npx tsx tools/semantic-signals.ts [--squad]` — the no-answer rule's signals with the semantic stage
 * on, for the own set's TUNE half only (with --squad, SQuAD's tune half; test halves are never read): one
 * JSON line per question with the rule off (its kind, the top candidate's coverage, the unknown-word
 * share, the best cosine among the candidates and the gold paragraph's rank among them). What
 * docs/quality.md's "The no-answer rule with the cosine as one signal" was fitted on.
 */
import { parseArgs } from 'node:util';
import { SearchEngine, type Explanation } from '../src/core/index.ts';
import { DEFAULT_SQUAD_PATH } from '../src/eval/args.ts';
import { loadOwnQuestions, loadSquad } from '../src/eval/load.ts';
import { goldParagraph, indexDocuments, isAnswerableKind, paragraphKey } from '../src/eval/own-set.ts';
import { prepareSemantic } from '../src/eval/semantic.ts';
import { contextKey, halfOf, indexSquadArticles, squadDocument } from '../src/eval/squad.ts';
import { loadShippedCorpus } from '../src/store/corpus.ts';

const { values } = parseArgs({ options: { squad: { type: 'boolean', default: false } } });
// The rule off: every question's signals are seen.
const RULE_OFF = { minCoverage: 0, maxUnknownShare: 1, semanticRescue: 1, semanticFloor: -1 };

function line(
  kind: string,
  answerable: boolean,
  question: string,
  explain: Explanation,
  isGold: (documentId: string, paragraph: number) => string | undefined,
): string {
  const top = explain.candidates[0];
  const seen: string[] = [];
  let goldRank: number | null = null;
  for (const candidate of explain.candidates) {
    const key = `${candidate.documentId}#${candidate.paragraph}`;
    if (!seen.includes(key)) seen.push(key);
    if (goldRank === null && isGold(candidate.documentId, candidate.paragraph) !== undefined)
      goldRank = seen.length;
  }
  return `${JSON.stringify({
    kind,
    answerable,
    question,
    coverage: top?.coverage ?? 0,
    maxCosine: Math.max(-1, ...explain.candidates.map((candidate) => candidate.semantic ?? -1)),
    unknownShare: explain.unknownShare,
    goldRank,
  })}\n`;
}

if (values.squad) {
  const set = loadSquad(DEFAULT_SQUAD_PATH);
  const tune = set.questions.filter((question) => halfOf(question.article) === 'tune');
  const lookup = await prepareSemantic(
    set.articles.map(squadDocument),
    tune.map((question) => question.question),
  );
  const engine = new SearchEngine(RULE_OFF);
  const keyOf = indexSquadArticles(engine, set);
  for (const question of tune) {
    const semantic = lookup(question.question);
    const explain = engine.explain(question.question, semantic === undefined ? {} : { semantic });
    const gold = contextKey(question.article, question.context);
    process.stdout.write(
      line('squad-tune', true, question.question, explain, (documentId, paragraph) =>
        keyOf(documentId, paragraph) === gold ? gold : undefined,
      ),
    );
  }
  process.exit(0);
}

const questions = loadOwnQuestions().filter((question) => question.half === 'tune');
const documents = await loadShippedCorpus();
const lookup = await prepareSemantic(
  documents,
  questions.map((question) => question.question),
);
const engine = new SearchEngine(RULE_OFF);
const indexed = indexDocuments(engine, documents);
for (const question of questions) {
  const semantic = lookup(question.question);
  const explain = engine.explain(question.question, semantic === undefined ? {} : { semantic });
  const gold = new Set(question.answers.map((answer) => goldParagraph(indexed, answer)));
  process.stdout.write(
    line(
      question.kind,
      isAnswerableKind(question.kind),
      question.question,
      explain,
      (documentId, paragraph) => {
        const key = paragraphKey(documentId, paragraph);
        return gold.has(key) ? key : undefined;
      },
    ),
  );
}
