/**
 * The search engine: documents → numbered paragraphs → one MiniSearch entry per paragraph part →
 * ranked, highlighted passages, or a documented reason for not answering.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { createAnalyzer, type Analysis, type Analyzer, type AnalyzerOptions } from './analyzer.ts';
import { VerbatimError } from './errors.ts';
import { partition, segment } from './paragraphs.ts';
import {
  highlightsOf,
  sentenceRange,
  weighEvidence,
  type CandidateEvidence,
  type QueryTerms,
} from './passages.ts';
import { recordOf, type PartRecord } from './records.ts';
import { synonymsOf } from './synonyms.ts';
import {
  SHIPPED_SCOPE,
  type AskOptions,
  type AskResult,
  type NoAnswerReason,
  type Paragraph,
  type Passage,
  type Scope,
  type SourceDocument,
} from './types.ts';
import { Vocabulary } from './vocabulary.ts';

/** Everything that tunes the engine. Defaults live in {@link defaultEngineOptions}. */
export interface EngineOptions {
  /** How text becomes terms, for documents and questions alike. Default: {@link defaultAnalyzerOptions}. */
  analyzer: AnalyzerOptions;
  /**
   * The longest paragraph part, in characters. Longer paragraphs are split at sentence boundaries so
   * one part fits a Discord embed with room for its attribution. Default: 1500. At least 100.
   */
  maxPartChars: number;
  /** The longest question accepted, in characters (after trimming). Default: 1000. */
  maxQuestionChars: number;
  /** BM25+ parameters passed to MiniSearch. Default: `{ k: 1.2, b: 0.7, d: 0.5 }` (MiniSearch's own). */
  bm25: { k: number; b: number; d: number };
  /** Field boosts: a match in the section heading or title counts this much relative to the text. Default: `{ text: 1, section: 0.5, title: 0.5 }`. */
  boost: { text: number; section: number; title: number };
  /** How many of MiniSearch's best results the second stage re-ranks. Default: 20. */
  rerankDepth: number;
  /**
   * Second-stage weights. A candidate's final score is `bm25 / bestBm25 + coverageWeight * coverage +
   * sentenceWeight * sentenceShare + windowWeight * windowShare + pairWeight * pairShare` (see
   * {@link CandidateEvidence}). Defaults: 0.3, 0.4, 0.2 and 0.2.
   */
  coverageWeight: number;
  sentenceWeight: number;
  windowWeight: number;
  /** Weight of `pairShare`: the question's neighbouring words found close together. Default: 0.2. */
  pairWeight: number;
  /**
   * The no-answer rule, part 1: the best candidate must contain at least this IDF-weighted share of
   * the question's informative terms (terms the index has never seen count as missing), else the
   * answer is `weak-match`. Passages after the first must pass it too. Calibrated with
   * `src/eval/calibrate.ts` (DESIGN.md, "The no-answer rule"). Default: 0.18.
   */
  minCoverage: number;
  /**
   * The no-answer rule, part 2: when more than this IDF-weighted share of the question's informative
   * terms is words the index has never seen, the sources are not about what is asked (`weak-match`),
   * however well the remaining words match. Default: 0.7.
   */
  maxUnknownShare: number;
  /**
   * Credit for a question word found only through a WordNet synonym (see synonyms.ts), relative to the
   * word itself; also the synonym's boost in the first stage. 0 turns expansion off. Default: 0 (off:
   * it did not pay on the evaluation, docs/quality.md).
   */
  synonymWeight: number;
  /** The most synonyms one question word is expanded with. Default: 8. */
  maxSynonyms: number;
  /** Expand only the question words the index has never seen (the vocabulary gap). Default: true. */
  synonymsOnlyForUnknown: boolean;
  /** Passages returned when `AskOptions.limit` is not given. Default: 3. */
  defaultLimit: number;
  /** The most passages one question may ask for. Default: 20. */
  maxLimit: number;
}

export const defaultEngineOptions: Readonly<EngineOptions> = Object.freeze({
  analyzer: {
    stem: true,
    stopWords: true,
    foldAccents: true,
    splitHyphens: true,
    keepNumbers: true,
    keepCountWords: true,
    lemmatize: false,
  },
  maxPartChars: 1500,
  maxQuestionChars: 1000,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  boost: { text: 1, section: 0.5, title: 0.5 },
  rerankDepth: 20,
  coverageWeight: 0.3,
  sentenceWeight: 0.4,
  windowWeight: 0.2,
  pairWeight: 0.2,
  minCoverage: 0.18,
  maxUnknownShare: 0.7,
  synonymWeight: 0,
  maxSynonyms: 8,
  synonymsOnlyForUnknown: true,
  defaultLimit: 3,
  maxLimit: 20,
});

/** Options given to the constructor: any subset; object-valued options may also be partial. */
export type EngineOptionsInput = Partial<Omit<EngineOptions, 'analyzer' | 'bm25' | 'boost'>> & {
  analyzer?: Partial<AnalyzerOptions>;
  bm25?: Partial<EngineOptions['bm25']>;
  boost?: Partial<EngineOptions['boost']>;
};

/** One question term as the engine weighed it (diagnostics). */
export interface ExplainedTerm {
  term: string;
  /** Index entries (in every scope) that contain it; 0 when the index has never seen it. */
  documentFrequency: number;
  idf: number;
  /** Its synonyms the index knows, searched with `synonymWeight` (empty when none or disabled). */
  synonyms: string[];
}

/** One re-ranked candidate (diagnostics). */
export interface ExplainedCandidate {
  documentId: string;
  scope: Scope;
  paragraph: number;
  part: number;
  /** MiniSearch's BM25+ score. */
  bm25: number;
  coverage: number;
  sentenceShare: number;
  windowShare: number;
  pairShare: number;
  /** The question's terms found in the part (text, section or title). */
  matched: string[];
  /** The final score passages are ordered by. */
  score: number;
}

/** What `ask` saw and decided, for calibrating the no-answer rule and for debugging rankings. */
export interface Explanation {
  question: string;
  terms: ExplainedTerm[];
  answered: boolean;
  reason?: NoAnswerReason;
  /** IDF-weighted share of the question's informative terms the index has never seen (the rule's part 2). */
  unknownShare: number;
  /** The re-ranked candidates, best first (at most `rerankDepth`). */
  candidates: ExplainedCandidate[];
}

interface IndexedDocument {
  document: SourceDocument;
  paragraphs: Paragraph[];
  entries: Entry[];
}

interface Entry {
  id: number;
  paragraph: Paragraph;
  record: PartRecord;
  /** Term ids of the part's section heading and of its document's title. */
  context: Uint32Array[];
  /** Distinct term ids over text, section and title: what the document frequencies count. */
  counted: Uint32Array;
  title: string;
}

/** What MiniSearch indexes per part: the analyzer's terms, joined by spaces. */
interface IndexedFields {
  id: number;
  text: string;
  section: string;
  title: string;
  scope: Scope;
  documentId: string;
}

interface Candidate {
  entry: Entry;
  bm25: number;
  evidence: CandidateEvidence;
  score: number;
}

interface Ranking {
  question: string;
  terms: ExplainedTerm[];
  query: QueryTerms;
  reason?: NoAnswerReason;
  candidates: Candidate[];
}

const splitTerms = (text: string): string[] => (text === '' ? [] : text.split(' '));
const keepTerm = (term: string): string => term;
const keyOf = (scope: Scope, id: string): string => `${scope}\u0000${id}`;

export class SearchEngine {
  readonly options: Readonly<EngineOptions>;
  private readonly analyzer: Analyzer;
  private readonly vocabulary = new Vocabulary();
  private readonly index: MiniSearch<IndexedFields>;
  private readonly documents = new Map<string, IndexedDocument>();
  private readonly entries = new Map<number, Entry>();
  private nextEntryId = 0;
  private bodyParagraphs = 0;

  constructor(options: EngineOptionsInput = {}) {
    const merged: EngineOptions = {
      ...defaultEngineOptions,
      ...options,
      analyzer: { ...defaultEngineOptions.analyzer, ...options.analyzer },
      bm25: { ...defaultEngineOptions.bm25, ...options.bm25 },
      boost: { ...defaultEngineOptions.boost, ...options.boost },
    };
    checkOptions(merged);
    this.options = Object.freeze(merged);
    this.analyzer = createAnalyzer(merged.analyzer);
    this.index = new MiniSearch<IndexedFields>({
      idField: 'id',
      fields: ['text', 'section', 'title'],
      storeFields: ['scope', 'documentId'],
      // The analyzer already produced the terms: MiniSearch only splits them back apart.
      tokenize: splitTerms,
      processTerm: keepTerm,
      searchOptions: {
        tokenize: splitTerms,
        processTerm: keepTerm,
        prefix: false,
        fuzzy: false,
        combineWith: 'OR',
        bm25: merged.bm25,
        boost: merged.boost,
      },
      // MiniSearch's defaults: vacuum in the background once 10% of entries (and at least 20) are discarded.
      autoVacuum: true,
    });
  }

  /** The analyzer's signature: an index snapshot made under another signature must be rebuilt. */
  get analyzerSignature(): string {
    return this.analyzer.signature;
  }

  /** Documents indexed, in every scope. */
  get documentCount(): number {
    return this.documents.size;
  }

  /** Body paragraphs indexed, in every scope (a split paragraph counts once). */
  get paragraphCount(): number {
    return this.bodyParagraphs;
  }

  /**
   * Splits the document into paragraphs (blocks separated by blank lines; boilerplate dropped;
   * headings become the `section` of the paragraphs below them; long paragraphs split at sentence
   * boundaries) and indexes them. Throws VerbatimError DUPLICATE_DOCUMENT if (scope, id) exists and
   * EMPTY_DOCUMENT if nothing quotable is left.
   */
  add(document: SourceDocument): readonly Paragraph[] {
    const { scope, id } = document.meta;
    if (this.documents.has(keyOf(scope, id))) {
      throw new VerbatimError(
        'DUPLICATE_DOCUMENT',
        `A document with the id "${id}" already exists; update it, or add this one under another id.`,
      );
    }
    const prepared = this.prepare(document);
    this.commit(prepared);
    return prepared.paragraphs;
  }

  /** Replaces the text and metadata of the document with the same (scope, id); searchable at once. */
  replace(document: SourceDocument): readonly Paragraph[] {
    const { scope, id } = document.meta;
    const previous = this.documents.get(keyOf(scope, id));
    if (previous === undefined) throw unknownDocument(id);
    // Analyse first: a document that cannot be indexed leaves the old version in place.
    const prepared = this.prepare(document);
    this.drop(previous);
    this.commit(prepared);
    return prepared.paragraphs;
  }

  /** Removes a document; it stops matching at once. Throws UNKNOWN_DOCUMENT when there is none. */
  remove(scope: Scope, id: string): void {
    const indexed = this.documents.get(keyOf(scope, id));
    if (indexed === undefined) throw unknownDocument(id);
    this.drop(indexed);
  }

  has(scope: Scope, id: string): boolean {
    return this.documents.has(keyOf(scope, id));
  }

  document(scope: Scope, id: string): SourceDocument | undefined {
    return this.documents.get(keyOf(scope, id))?.document;
  }

  /** The document's paragraph parts in order; empty when there is no such document. */
  paragraphs(scope: Scope, id: string): readonly Paragraph[] {
    return this.documents.get(keyOf(scope, id))?.paragraphs ?? [];
  }

  /**
   * A paragraph (all its parts joined as one slice) as a Passage without highlights; its
   * `bestSentence` is the empty range `[0, 0]` since there is no question. `score` is 0.
   */
  passage(scope: Scope, id: string, paragraph: number): Passage | undefined {
    const indexed = this.documents.get(keyOf(scope, id));
    if (indexed === undefined) return undefined;
    const parts = indexed.paragraphs.filter((p) => p.number === paragraph);
    const first = parts[0];
    const last = parts.at(-1);
    if (first === undefined || last === undefined) return undefined;
    return {
      documentId: id,
      scope,
      title: indexed.document.meta.title,
      paragraph,
      part: 1,
      parts: 1,
      section: first.section,
      text: indexed.document.text.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      score: 0,
      highlights: [],
      bestSentence: [0, 0],
    };
  }

  /**
   * Answers a question with the best passages of the shipped corpus plus `options.scope`, optionally
   * restricted to `options.documentIds`. Throws VerbatimError EMPTY_QUESTION / QUESTION_TOO_LONG /
   * BAD_OPTION; anything else (emoji, punctuation, another language) is answered, perhaps with
   * `answered: false` and a reason.
   */
  ask(question: string, options: AskOptions = {}): AskResult {
    const limit = this.limitOf(options.limit);
    const ranking = this.rank(question, options);
    if (ranking.reason !== undefined) {
      return { question: ranking.question, answered: false, reason: ranking.reason, passages: [] };
    }
    const passages: Passage[] = [];
    for (const candidate of ranking.candidates) {
      if (passages.length >= limit) break;
      if (candidate.evidence.coverage < this.options.minCoverage) continue;
      passages.push(this.toPassage(candidate, ranking.query));
    }
    return { question: ranking.question, answered: true, passages };
  }

  /**
   * Diagnostics for the evaluation: the question's terms with their weights, and every re-ranked
   * candidate with its BM25 score, coverage and sentence shares, whatever the no-answer rule decided.
   * Validates the question like `ask`.
   */
  explain(question: string, options: AskOptions = {}): Explanation {
    const ranking = this.rank(question, options);
    return {
      question: ranking.question,
      terms: ranking.terms,
      answered: ranking.reason === undefined,
      unknownShare: unknownShareOf(ranking.query),
      ...(ranking.reason === undefined ? {} : { reason: ranking.reason }),
      candidates: ranking.candidates.map(({ entry, bm25, evidence, score }) => ({
        documentId: entry.paragraph.documentId,
        scope: entry.paragraph.scope,
        paragraph: entry.paragraph.number,
        part: entry.paragraph.part,
        bm25,
        coverage: evidence.coverage,
        sentenceShare: evidence.sentenceShare,
        windowShare: evidence.windowShare,
        pairShare: evidence.pairShare,
        matched: this.matchedTerms(entry, ranking.query),
        score,
      })),
    };
  }

  private rank(rawQuestion: string, options: AskOptions): Ranking {
    const question = this.checkQuestion(rawQuestion);
    const termStrings = [...new Set(this.analyzer.terms(question))];
    const query: QueryTerms = {
      weights: new Map(),
      slots: new Map(),
      slotCount: 0,
      totalWeight: 0,
      unknownWeight: 0,
      pairs: [],
      pairWeights: [],
    };
    const boosts = new Map<string, number>();
    const terms: ExplainedTerm[] = [];
    // The user's own words first, so a word that is also another word's synonym keeps full credit.
    for (const term of termStrings) {
      const id = this.vocabulary.find(term);
      const idf = this.vocabulary.idf(id);
      const documentFrequency = this.vocabulary.documentFrequency(id);
      terms.push({ term, documentFrequency, idf, synonyms: [] });
      query.totalWeight += idf;
      if (documentFrequency === 0) query.unknownWeight += idf;
      if (documentFrequency > 0) {
        query.weights.set(id, idf);
        query.slots.set(id, terms.length - 1);
        boosts.set(term, 1);
      }
    }
    query.slotCount = terms.length;
    let previousKnown = -1;
    terms.forEach((explained, slot) => {
      if (explained.documentFrequency === 0) return;
      const previous = terms[previousKnown];
      if (previous !== undefined) {
        query.pairs.push([previousKnown, slot]);
        query.pairWeights.push(Math.min(previous.idf, explained.idf));
      }
      previousKnown = slot;
    });
    const { synonymWeight, maxSynonyms } = this.options;
    if (synonymWeight > 0) {
      terms.forEach((explained, slot) => {
        if (this.options.synonymsOnlyForUnknown && explained.documentFrequency > 0) return;
        for (const synonym of synonymsOf(explained.term)) {
          if (explained.synonyms.length >= maxSynonyms) break;
          const id = this.vocabulary.find(synonym);
          if (this.vocabulary.documentFrequency(id) === 0 || query.weights.has(id)) continue;
          query.weights.set(id, synonymWeight * explained.idf);
          query.slots.set(id, slot);
          boosts.set(synonym, synonymWeight);
          explained.synonyms.push(synonym);
        }
      });
    }
    const ranking: Ranking = { question, terms, query, candidates: [] };
    if (termStrings.length === 0) return { ...ranking, reason: 'no-searchable-words' };
    if (query.weights.size === 0) return { ...ranking, reason: 'no-match' };

    const results = this.index.search([...boosts.keys()].join(' '), {
      filter: this.filterFor(options),
      boostTerm: (term) => boosts.get(term) ?? 1,
    });
    if (results.length === 0) return { ...ranking, reason: 'no-match' };

    ranking.candidates = this.rerank(results, query);
    const best = ranking.candidates[0];
    if (best === undefined) return { ...ranking, reason: 'no-match' };
    if (best.evidence.coverage < this.options.minCoverage) return { ...ranking, reason: 'weak-match' };
    if (unknownShareOf(query) > this.options.maxUnknownShare) return { ...ranking, reason: 'weak-match' };
    return ranking;
  }

  /** The second stage: evidence from the precomputed records of the top results. */
  private rerank(results: SearchResult[], query: QueryTerms): Candidate[] {
    const top = results.slice(0, this.options.rerankDepth);
    const bestBm25 = top[0]?.score ?? 1;
    const { coverageWeight, sentenceWeight, windowWeight, pairWeight } = this.options;
    const candidates: Candidate[] = [];
    for (const result of top) {
      const entry = this.entries.get(result.id as number);
      if (entry === undefined) continue;
      const evidence = weighEvidence(entry.record, entry.context, query);
      const score =
        result.score / bestBm25 +
        coverageWeight * evidence.coverage +
        sentenceWeight * evidence.sentenceShare +
        windowWeight * evidence.windowShare +
        pairWeight * evidence.pairShare;
      candidates.push({ entry, bm25: result.score, evidence, score });
    }
    // Stable: ties keep MiniSearch's order.
    return candidates.sort((a, b) => b.score - a.score);
  }

  private matchedTerms(entry: Entry, query: QueryTerms): string[] {
    const ids = new Set<number>();
    for (const list of [entry.record.distinct, ...entry.context])
      for (const id of list) if (query.weights.has(id)) ids.add(id);
    return [...ids].map((id) => this.vocabulary.term(id));
  }

  private toPassage(candidate: Candidate, query: QueryTerms): Passage {
    const { entry, evidence, score } = candidate;
    const { paragraph } = entry;
    const document = this.documents.get(keyOf(paragraph.scope, paragraph.documentId))?.document;
    const text = document === undefined ? '' : document.text.slice(paragraph.start, paragraph.end);
    return {
      documentId: paragraph.documentId,
      scope: paragraph.scope,
      title: entry.title,
      paragraph: paragraph.number,
      part: paragraph.part,
      parts: paragraph.parts,
      section: paragraph.section,
      text,
      start: paragraph.start,
      end: paragraph.end,
      score,
      highlights: highlightsOf(text, entry.record, query),
      bestSentence: sentenceRange(entry.record, evidence.bestSentence),
    };
  }

  private filterFor(options: AskOptions): (result: SearchResult) => boolean {
    const extraScope = options.scope;
    const ids = options.documentIds === undefined ? undefined : new Set(options.documentIds);
    return (result) => {
      const scope = result['scope'] as Scope;
      if (scope !== SHIPPED_SCOPE && scope !== extraScope) return false;
      return ids === undefined || ids.has(result['documentId'] as string);
    };
  }

  private checkQuestion(question: string): string {
    const trimmed = typeof question === 'string' ? question.trim() : '';
    if (trimmed === '') {
      throw new VerbatimError(
        'EMPTY_QUESTION',
        'Ask a question: type a few words about what you want to find in the sources.',
      );
    }
    const max = this.options.maxQuestionChars;
    if (trimmed.length > max) {
      throw new VerbatimError(
        'QUESTION_TOO_LONG',
        `Your question is ${trimmed.length.toLocaleString('en')} characters long; questions are limited to ${max.toLocaleString('en')} characters. Shorten it to its key words.`,
      );
    }
    return trimmed;
  }

  private limitOf(limit: number | undefined): number {
    if (limit === undefined) return this.options.defaultLimit;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new VerbatimError(
        'BAD_OPTION',
        `The number of results must be a whole number from 1 to ${this.options.maxLimit}.`,
      );
    }
    return Math.min(limit, this.options.maxLimit);
  }

  /** Everything about a document that can be computed before touching the index. */
  private prepare(document: SourceDocument): {
    document: SourceDocument;
    paragraphs: Paragraph[];
    parts: PreparedPart[];
  } {
    const { scope, id, title } = document.meta;
    const text = document.text;
    const titleIds = this.termIdsOf(title);
    const paragraphs: Paragraph[] = [];
    const parts: PreparedPart[] = [];
    let section = '';
    let sectionIds: Uint32Array = new Uint32Array(0);
    let number = 0;
    for (const block of segment(text).blocks) {
      if (block.kind === 'heading') {
        section = text.slice(block.start, block.end);
        sectionIds = this.termIdsOf(section);
        continue;
      }
      if (block.kind !== 'body') continue;
      number++;
      const analysis: Analysis = this.analyzer.analyze(text.slice(block.start, block.end));
      const sentenceStarts = analysis.sentences.filter((_, i) => i % 2 === 0).map((at) => at + block.start);
      const ranges = partition(text, block.start, block.end, sentenceStarts, this.options.maxPartChars);
      ranges.forEach(([start, end], index) => {
        const paragraph: Paragraph = {
          documentId: id,
          scope,
          number,
          part: index + 1,
          parts: ranges.length,
          section,
          start,
          end,
        };
        paragraphs.push(paragraph);
        parts.push({
          paragraph,
          record: recordOf(analysis, block.start, start, end, this.vocabulary),
          sectionIds,
          titleIds,
        });
      });
    }
    if (paragraphs.length === 0) {
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        `The document "${id}" has no paragraph of text to quote (only headings, page furniture or nothing at all); check that the right file or text was given.`,
      );
    }
    return { document, paragraphs, parts };
  }

  private commit(prepared: {
    document: SourceDocument;
    paragraphs: Paragraph[];
    parts: PreparedPart[];
  }): void {
    const { document, paragraphs, parts } = prepared;
    const entries: Entry[] = [];
    const fields: IndexedFields[] = [];
    for (const { paragraph, record, sectionIds, titleIds } of parts) {
      const id = this.nextEntryId++;
      const counted = Uint32Array.from(new Set([...record.distinct, ...sectionIds, ...titleIds]));
      const entry: Entry = {
        id,
        paragraph,
        record,
        context: [sectionIds, titleIds],
        counted,
        title: document.meta.title,
      };
      entries.push(entry);
      this.entries.set(id, entry);
      this.vocabulary.count(counted, 1);
      fields.push({
        id,
        text: this.joined(record.termIds),
        section: this.joined(sectionIds),
        title: this.joined(titleIds),
        scope: paragraph.scope,
        documentId: paragraph.documentId,
      });
    }
    this.index.addAll(fields);
    this.documents.set(keyOf(document.meta.scope, document.meta.id), { document, paragraphs, entries });
    this.bodyParagraphs += new Set(paragraphs.map((p) => p.number)).size;
  }

  private drop(indexed: IndexedDocument): void {
    for (const entry of indexed.entries) {
      this.index.discard(entry.id);
      this.entries.delete(entry.id);
      this.vocabulary.count(entry.counted, -1);
    }
    const { scope, id } = indexed.document.meta;
    this.documents.delete(keyOf(scope, id));
    this.bodyParagraphs -= new Set(indexed.paragraphs.map((p) => p.number)).size;
  }

  private termIdsOf(text: string): Uint32Array {
    return Uint32Array.from(this.analyzer.terms(text).map((term) => this.vocabulary.intern(term)));
  }

  private joined(ids: Uint32Array): string {
    return Array.from(ids, (id) => this.vocabulary.term(id)).join(' ');
  }
}

interface PreparedPart {
  paragraph: Paragraph;
  record: PartRecord;
  sectionIds: Uint32Array;
  titleIds: Uint32Array;
}

/** IDF-weighted share of the question's informative terms that the index has never seen. */
function unknownShareOf(query: QueryTerms): number {
  return query.totalWeight > 0 ? query.unknownWeight / query.totalWeight : 0;
}

function unknownDocument(id: string): VerbatimError {
  return new VerbatimError(
    'UNKNOWN_DOCUMENT',
    `There is no document "${id}" here; list the sources to see the ids.`,
  );
}

function checkOptions(options: EngineOptions): void {
  const problems: string[] = [];
  if (!(options.maxPartChars >= 100)) problems.push('"maxPartChars" must be at least 100');
  if (!(options.maxQuestionChars >= 1)) problems.push('"maxQuestionChars" must be at least 1');
  if (!(options.rerankDepth >= 1)) problems.push('"rerankDepth" must be at least 1');
  if (!(options.defaultLimit >= 1 && options.maxLimit >= options.defaultLimit))
    problems.push('"defaultLimit" must be from 1 to "maxLimit"');
  if (!(options.minCoverage >= 0 && options.minCoverage <= 1))
    problems.push('"minCoverage" must be from 0 to 1');
  if (!(options.maxUnknownShare >= 0 && options.maxUnknownShare <= 1))
    problems.push('"maxUnknownShare" must be from 0 to 1');
  if (!(options.synonymWeight >= 0 && options.synonymWeight <= 1))
    problems.push('"synonymWeight" must be from 0 to 1');
  if (!(Number.isInteger(options.maxSynonyms) && options.maxSynonyms >= 0))
    problems.push('"maxSynonyms" must be a whole number from 0');
  for (const name of ['coverageWeight', 'sentenceWeight', 'windowWeight', 'pairWeight'] as const)
    if (!(options[name] >= 0)) problems.push(`"${name}" must be at least 0`);
  if (problems.length > 0)
    throw new VerbatimError('BAD_OPTION', `SearchEngine: option ${problems.join('; ')}.`);
}
