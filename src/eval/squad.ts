/**
 * SQuAD v1.1 as a paragraph-retrieval benchmark: each article becomes one document whose text is its
 * contexts joined by blank lines, and each question's gold is its own context. Passages are mapped back to
 * contexts by offsets, so the mapping holds whatever the engine numbers paragraphs or splits long ones.
 */
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { SHIPPED_SCOPE, type Paragraph, type SourceDocument } from '../core/index.ts';
import type { EvalEngine } from './engine-port.ts';
import {
  firstHitRank,
  percentile,
  share,
  summariseRanks,
  uniqueInOrder,
  type RankSummary,
} from './metrics.ts';
import { measure, type Measured } from './timing.ts';

/** Joins an article's contexts: a blank line, so the core's segmentation sees one paragraph per context. */
export const CONTEXT_SEPARATOR = '\n\n';

/** Passages asked for per question: MRR@10 needs ten. */
export const SQUAD_LIMIT = 10;

const squadFileSchema = z.object({
  version: z.string(),
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(z.object({ id: z.string(), question: z.string() })),
        }),
      ),
    }),
  ),
});

export type Half = 'tune' | 'test';

export interface SquadArticle {
  /** Position in the file, 0-based; decides the half. */
  index: number;
  title: string;
  contexts: string[];
  /** Offset of each context in `text`. */
  contextStarts: number[];
  /** The document text: contexts joined by CONTEXT_SEPARATOR. */
  text: string;
}

export interface SquadQuestion {
  id: string;
  question: string;
  article: number;
  context: number;
}

export interface SquadSet {
  articles: SquadArticle[];
  questions: SquadQuestion[];
}

/** Parses the SQuAD v1.1 JSON; throws an Error naming the first field that does not fit the format. */
export function parseSquad(json: unknown): SquadSet {
  const parsed = squadFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a SQuAD v1.1 file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const articles: SquadArticle[] = [];
  const questions: SquadQuestion[] = [];
  parsed.data.data.forEach((article, index) => {
    const contexts = article.paragraphs.map((paragraph) => paragraph.context);
    const contextStarts: number[] = [];
    let offset = 0;
    for (const context of contexts) {
      contextStarts.push(offset);
      offset += context.length + CONTEXT_SEPARATOR.length;
    }
    articles.push({
      index,
      title: article.title,
      contexts,
      contextStarts,
      text: contexts.join(CONTEXT_SEPARATOR),
    });
    article.paragraphs.forEach((paragraph, context) => {
      for (const qa of paragraph.qas)
        questions.push({ id: qa.id, question: qa.question, article: index, context });
    });
  });
  return { articles, questions };
}

/** Even articles tune, odd articles test: deterministic, and both halves span the whole file. */
export function halfOf(articleIndex: number): Half {
  return articleIndex % 2 === 0 ? 'tune' : 'test';
}

export function documentIdOf(article: SquadArticle): string {
  return `squad-${String(article.index).padStart(2, '0')}`;
}

export function squadDocument(article: SquadArticle): SourceDocument {
  return {
    meta: {
      id: documentIdOf(article),
      title: article.title.replaceAll('_', ' '),
      publisher: 'Wikipedia (SQuAD v1.1 dev)',
      date: '',
      dateEstimated: false,
      url: '',
      language: 'en',
      scope: SHIPPED_SCOPE,
    },
    text: article.text,
  };
}

/** The context an offset of the article's text falls in (the separator counts with the context before it). */
export function contextAt(article: SquadArticle, offset: number): number {
  let low = 0;
  let high = article.contextStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((article.contextStarts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function contextKey(article: number, context: number): string {
  return `${article}:${context}`;
}

/**
 * Keeps about `limit` questions spread evenly over the whole file (every k-th), so a quick run still
 * covers both halves. The index always holds every paragraph.
 */
export function sampleQuestions(
  questions: readonly SquadQuestion[],
  limit: number | undefined,
): SquadQuestion[] {
  if (limit === undefined || limit >= questions.length) return [...questions];
  const stride = questions.length / Math.max(1, limit);
  const sample: SquadQuestion[] = [];
  for (let i = 0; i < Math.max(1, limit); i++)
    sample.push(questions[Math.floor(i * stride)] as SquadQuestion);
  return sample;
}

/** How the engine's paragraphs line up with the SQuAD contexts. */
export interface SegmentationCheck {
  contexts: number;
  /** Engine paragraphs (counting each part of a split paragraph). */
  units: number;
  /** Contexts that became more than one unit (long contexts split at sentences). */
  contextsSplit: number;
  /** Contexts with no body unit at all (dropped as heading or boilerplate): their questions cannot be hit. */
  contextsMissing: number;
}

/**
 * Checks that every unit lies inside one context and maps each paragraph number to its context. Throws
 * when a unit crosses two contexts, because then the gold mapping would be meaningless.
 */
export function mapParagraphs(
  article: SquadArticle,
  paragraphs: readonly Paragraph[],
): { contextOfParagraph: Map<number, number>; check: SegmentationCheck } {
  const contextOfParagraph = new Map<number, number>();
  const unitsPerContext = new Array<number>(article.contexts.length).fill(0);
  for (const paragraph of paragraphs) {
    const context = contextAt(article, paragraph.start);
    const contextEnd =
      (article.contextStarts[context] as number) + (article.contexts[context] as string).length;
    if (paragraph.end > contextEnd) {
      throw new Error(
        `${documentIdOf(article)}: paragraph ${paragraph.number} [${paragraph.start}, ${paragraph.end}) crosses the end of context ${context}`,
      );
    }
    const known = contextOfParagraph.get(paragraph.number);
    if (known !== undefined && known !== context) {
      throw new Error(
        `${documentIdOf(article)}: paragraph ${paragraph.number} has parts in contexts ${known} and ${context}`,
      );
    }
    contextOfParagraph.set(paragraph.number, context);
    unitsPerContext[context] = (unitsPerContext[context] ?? 0) + 1;
  }
  return {
    contextOfParagraph,
    check: {
      contexts: article.contexts.length,
      units: paragraphs.length,
      contextsSplit: unitsPerContext.filter((units) => units > 1).length,
      contextsMissing: unitsPerContext.filter((units) => units === 0).length,
    },
  };
}

/**
 * Adds every article to `engine` and returns the function that maps one of its paragraphs back to the
 * context key it came from (`contextKey`); a paragraph it does not know gets a key no question has.
 */
export function indexSquadArticles(
  engine: EvalEngine,
  set: SquadSet,
): (documentId: string, paragraph: number) => string {
  const contextOf = new Map<string, Map<number, number>>();
  const articleIndexOf = new Map<string, number>();
  for (const article of set.articles) {
    const paragraphs = engine.add(squadDocument(article));
    contextOf.set(documentIdOf(article), mapParagraphs(article, paragraphs).contextOfParagraph);
    articleIndexOf.set(documentIdOf(article), article.index);
  }
  return (documentId, paragraph) =>
    contextKey(articleIndexOf.get(documentId) ?? -1, contextOf.get(documentId)?.get(paragraph) ?? -1);
}

/** One engine's answers to the SQuAD questions, in question order. */
export interface SquadRun {
  buildMs: number;
  /** Per question: 1-based rank of the gold context among distinct contexts returned, or null. */
  ranks: (number | null)[];
  answered: boolean[];
  latenciesMs: number[];
  segmentation?: SegmentationCheck;
}

/** Questions asked untimed first, so JIT compilation and lazy caches do not land in the percentiles. */
export const WARM_UP_QUESTIONS = 200;

function warmUp(questions: readonly SquadQuestion[], ask: (question: string) => unknown): void {
  for (let i = 0; i < Math.min(WARM_UP_QUESTIONS, questions.length); i++)
    ask((questions[i] as SquadQuestion).question);
}

/** Ours: builds the index with `createEngine`, then times the whole `engine.ask` per question. */
export function runEngine(
  set: SquadSet,
  questions: readonly SquadQuestion[],
  createEngine: () => EvalEngine,
): SquadRun {
  const build: Measured<{ engine: EvalEngine; added: (readonly Paragraph[])[] }> = measure(() => {
    const engine = createEngine();
    return { engine, added: set.articles.map((article) => engine.add(squadDocument(article))) };
  });
  const { engine, added } = build.value;
  const articleById = new Map<string, { article: SquadArticle; contextOfParagraph: Map<number, number> }>();
  const segmentation: SegmentationCheck = { contexts: 0, units: 0, contextsSplit: 0, contextsMissing: 0 };
  set.articles.forEach((article, i) => {
    const { contextOfParagraph, check } = mapParagraphs(article, added[i] ?? []);
    articleById.set(documentIdOf(article), { article, contextOfParagraph });
    segmentation.contexts += check.contexts;
    segmentation.units += check.units;
    segmentation.contextsSplit += check.contextsSplit;
    segmentation.contextsMissing += check.contextsMissing;
  });

  const ask = (question: string) => engine.ask(question, { limit: SQUAD_LIMIT });
  warmUp(questions, ask);
  const run: SquadRun = { buildMs: build.ms, ranks: [], answered: [], latenciesMs: [], segmentation };
  for (const question of questions) {
    const asked = measure(() => ask(question.question));
    const keys = asked.value.passages.map((passage) => {
      const known = articleById.get(passage.documentId);
      const context = known?.contextOfParagraph.get(passage.paragraph);
      if (known === undefined || context === undefined) {
        throw new Error(`passage from unknown paragraph ${passage.documentId}#${passage.paragraph}`);
      }
      return contextKey(known.article.index, context);
    });
    const gold = new Set([contextKey(question.article, question.context)]);
    // A declined question shows the user nothing, so it is a miss at every k.
    run.ranks.push(asked.value.answered ? firstHitRank(uniqueInOrder(keys), gold) : null);
    run.answered.push(asked.value.answered);
    run.latenciesMs.push(asked.ms);
  }
  return run;
}

/** The baseline: MiniSearch with default options, one entry per context, searched with `search(question)`. */
export function runMiniSearchDefaults(set: SquadSet, questions: readonly SquadQuestion[]): SquadRun {
  const entries = set.articles.flatMap((article) =>
    article.contexts.map((text, context) => ({ id: contextKey(article.index, context), text })),
  );
  const build = measure(() => {
    const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
    index.addAll(entries);
    return index;
  });
  const index = build.value;
  const search = (question: string) => index.search(question).slice(0, SQUAD_LIMIT);
  warmUp(questions, search);
  const run: SquadRun = { buildMs: build.ms, ranks: [], answered: [], latenciesMs: [] };
  for (const question of questions) {
    const searched = measure(() => search(question.question));
    const gold = new Set([contextKey(question.article, question.context)]);
    run.ranks.push(
      firstHitRank(
        searched.value.map((result) => String(result.id)),
        gold,
      ),
    );
    // MiniSearch has no notion of declining; an empty result list is the closest thing.
    run.answered.push(searched.value.length > 0);
    run.latenciesMs.push(searched.ms);
  }
  return run;
}

/** One line of the SQuAD table. */
export interface SquadRow extends RankSummary {
  name: string;
  /** Share of (answerable) questions the engine declined. */
  falseAbstention: number;
  p50Ms: number;
  p99Ms: number;
  /** Building the index of all articles (the same for every half). */
  buildMs: number;
}

/** Summarises a run over all questions, or only those of one half. */
export function squadRow(
  name: string,
  run: SquadRun,
  questions: readonly SquadQuestion[],
  half?: Half,
): SquadRow {
  const picked = questions.flatMap((question, i) =>
    half === undefined || halfOf(question.article) === half ? [i] : [],
  );
  const ranks = picked.map((i) => run.ranks[i] ?? null);
  const latencies = picked.map((i) => run.latenciesMs[i] as number);
  return {
    name,
    ...summariseRanks(ranks),
    falseAbstention: share(picked.map((i) => run.answered[i] === false)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    buildMs: run.buildMs,
  };
}
