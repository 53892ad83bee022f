/**
 * `npm run eval [-- --json] [--squad PATH] [--only squad|own] [--limit-questions N]`
 *
 * Measures paragraph retrieval on SQuAD v1.1 dev (ours and plain MiniSearch, same run, same paragraphs)
 * and on our own question set over the shipped corpus.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SearchEngine, isVerbatimError } from '../core/index.ts';
import { loadShippedCorpus } from '../store/corpus.ts';
import { parseEvalArgs, type EvalArgs } from './args.ts';
import type { EvalEngine } from './engine-port.ts';
import { loadOwnQuestions, loadSquad } from './load.ts';
import { indexDocuments, ownRows, runOwnSet, type OwnHalf } from './own-set.ts';
import {
  renderReport,
  type EvalReport,
  type OwnModeReport,
  type OwnReport,
  type SquadReport,
} from './report.ts';
import { prepareSemantic, type SemanticLookup } from './semantic.ts';
import {
  halfOf,
  runEngine,
  runMiniSearchDefaults,
  sampleQuestions,
  squadDocument,
  squadRow,
} from './squad.ts';

export interface EvalRunOptions {
  /** The command line shown in the report's header. */
  command: string;
  /** A fresh engine per benchmark. Default: `new SearchEngine()` with its default options. */
  createEngine?: () => EvalEngine;
}

/** `engine` answering with the semantic stage: each question's vector and the parts' vectors from `lookup`. */
export function withSemantic(engine: EvalEngine, lookup: SemanticLookup): EvalEngine {
  return {
    add: (document) => engine.add(document),
    ask: (question, options = {}) => {
      const semantic = lookup(question);
      return engine.ask(question, semantic === undefined ? options : { ...options, semantic });
    },
    ...(engine.explain === undefined
      ? {}
      : {
          explain: (question: string) => {
            const semantic = lookup(question);
            return (engine.explain as NonNullable<EvalEngine['explain']>)(
              question,
              semantic === undefined ? {} : { semantic },
            );
          },
        }),
  };
}

async function evaluateSquad(args: EvalArgs, createEngine: () => EvalEngine): Promise<SquadReport> {
  const set = loadSquad(args.squadPath);
  const questions = sampleQuestions(set.questions, args.limitQuestions);
  const ours = runEngine(set, questions, createEngine);
  const lookup = args.semantic
    ? await prepareSemantic(
        set.articles.map(squadDocument),
        questions.map((question) => question.question),
      )
    : undefined;
  const semantic =
    lookup === undefined ? undefined : runEngine(set, questions, () => withSemantic(createEngine(), lookup));
  const baseline = args.baseline ? runMiniSearchDefaults(set, questions) : undefined;
  const tuneArticles = set.articles.filter((article) => halfOf(article.index) === 'tune').length;
  return {
    file: path.basename(args.squadPath),
    articles: { tune: tuneArticles, test: set.articles.length - tuneArticles },
    paragraphs: set.articles.reduce((sum, article) => sum + article.contexts.length, 0),
    questions: questions.length,
    questionsInFile: set.questions.length,
    ...(ours.segmentation === undefined ? {} : { segmentation: ours.segmentation }),
    rows: [
      squadRow('ours-tune', ours, questions, 'tune'),
      squadRow('ours-test', ours, questions, 'test'),
      squadRow('ours-all', ours, questions),
      ...(semantic === undefined
        ? []
        : [
            squadRow('ours+semantic-tune', semantic, questions, 'tune'),
            squadRow('ours+semantic-test', semantic, questions, 'test'),
            squadRow('ours+semantic-all', semantic, questions),
          ]),
      ...(baseline === undefined
        ? []
        : [
            squadRow('minisearch-defaults-tune', baseline, questions, 'tune'),
            squadRow('minisearch-defaults-test', baseline, questions, 'test'),
            squadRow('minisearch-defaults-all', baseline, questions),
          ]),
    ],
  };
}

async function evaluateOwnSet(args: EvalArgs, createEngine: () => EvalEngine): Promise<OwnReport> {
  const questions = loadOwnQuestions();
  const documents = await loadShippedCorpus();
  const run = (engine: EvalEngine): OwnModeReport => {
    const all = runOwnSet(engine, indexDocuments(engine, documents), questions);
    const ofHalf = (half: OwnHalf) => all.filter((result) => result.half === half);
    // --half tune: the test half's answers are not even kept, so nothing printed can leak them.
    const results = args.half === 'tune' ? ofHalf('tune') : all;
    return {
      rows: ownRows(results),
      halves: {
        tune: ownRows(ofHalf('tune')),
        ...(args.half === 'tune' ? {} : { test: ownRows(ofHalf('test')) }),
      },
      results,
    };
  };
  const lexical = run(createEngine());
  if (!args.semantic) return { documents: documents.length, ...lexical };
  const lookup = await prepareSemantic(
    documents,
    questions.map((question) => question.question),
  );
  return { documents: documents.length, ...lexical, semantic: run(withSemantic(createEngine(), lookup)) };
}

/** Runs what `args` asks for; other tools (ablations, calibration) can pass their own engine. */
export async function runEval(args: EvalArgs, options: EvalRunOptions): Promise<EvalReport> {
  const createEngine = options.createEngine ?? (() => new SearchEngine(args.engineOptions));
  const started = performance.now();
  const squad = args.only === 'own' ? undefined : await evaluateSquad(args, createEngine);
  const own = args.only === 'squad' ? undefined : await evaluateOwnSet(args, createEngine);
  return {
    command: options.command,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    ...(squad === undefined ? {} : { squad }),
    ...(own === undefined ? {} : { own }),
    elapsedMs: performance.now() - started,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  try {
    const args = parseEvalArgs(argv);
    const report = await runEval(args, {
      command: ['npm run eval', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    });
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : renderReport(report));
  } catch (error) {
    if (isVerbatimError(error)) {
      process.stderr.write(`eval: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main();
