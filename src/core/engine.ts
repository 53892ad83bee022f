/**
 * The search engine: documents → numbered paragraphs → one MiniSearch entry per paragraph part →
 * ranked, highlighted passages, or a documented reason for not answering.
 */
import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import {
  createAnalyzer,
  defaultAnalyzerOptions,
  type Analysis,
  type Analyzer,
  type AnalyzerOptions,
} from './analyzer.ts';
import { VerbatimError } from './errors.ts';
import { paragraphCountOf, partition } from './paragraphs.ts';
import { segmentInWindows } from './segment-windows.ts';
import { Slices } from './slices.ts';
import { searchTop } from './top-search.ts';
import { compactIndex, packIndex, unpackIndex } from './index-snapshot.ts';
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
  checkOutline,
  contentKeyOf,
  PARAGRAPH_NUMBERS,
  SNAPSHOT_FORMAT,
  type EngineSnapshot,
  type PlainField,
} from './snapshot.ts';
import { packArrays, SnapshotError, unpackArrays } from './snapshot-codec.ts';
import { columnOf, packedColumn, plainColumn, type Column } from './entry-columns.ts';
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
  analyzer: { ...defaultAnalyzerOptions },
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
  /**
   * The entry's record and context, read once: an entry loaded from a snapshot makes them anew on each
   * read, and evidence, highlights and matched terms all need them.
   */
  record: PartRecord;
  context: Uint32Array[];
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
  private index: MiniSearch<IndexedFields>;
  /** (scope, id) of documents being added by `addAsync`: reserved, not yet visible. */
  private readonly pending = new Set<string>();
  private readonly documents = new Map<string, IndexedDocument>();
  private readonly entries = new Map<number, Entry>();
  private nextEntryId = 0;

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
    this.index = new MiniSearch<IndexedFields>(miniSearchOptions(merged));
  }

  /** Documents indexed, in every scope. */
  get documentCount(): number {
    return this.documents.size;
  }

  /** Body paragraphs indexed, in every scope (a split paragraph counts once). */
  get paragraphCount(): number {
    let count = 0;
    for (const { paragraphs } of this.documents.values()) count += paragraphCountOf(paragraphs);
    return count;
  }

  /**
   * The index as plain JSON-ready data, to be given back to {@link SearchEngine.fromSnapshot} with the
   * same documents: MiniSearch's `toJSON()`, the vocabulary, and every paragraph part's offsets and
   * record packed into base64 typed arrays. Document texts are not included (they are stored anyway).
   * Throws when an `addAsync` is still in progress (its half-indexed entries would be saved).
   */
  toSnapshot(): EngineSnapshot {
    if (this.pending.size > 0)
      throw new Error('SearchEngine.toSnapshot: wait for addAsync/replaceAsync to settle first.');
    const documents: EngineSnapshot['documents'] = [];
    const ordered: Entry[] = [];
    for (const { document, entries } of this.documents.values()) {
      documents.push([document.meta.scope, document.meta.id, entries.length]);
      ordered.push(...entries);
    }
    const sections: string[] = [];
    const sectionIndex = new Map<string, number>();
    const paragraphs = new Uint32Array(ordered.length * PARAGRAPH_NUMBERS);
    ordered.forEach((entry, i) => {
      const { number, part, parts, section, start, end } = entry.paragraph;
      let index = sectionIndex.get(section);
      if (index === undefined) {
        index = sections.length;
        sectionIndex.set(section, index);
        sections.push(section);
      }
      paragraphs.set([entry.id, number, part, parts, index, start, end], i * PARAGRAPH_NUMBERS);
    });
    const perEntry = ordered.map(entryArrays);
    const fields: EngineSnapshot['fields'] = [];
    const plainFields: PlainField[] = [];
    entryFieldNames().forEach((name, f) => {
      const values = perEntry.map((arrays) => arrays[f]?.[1]);
      if (values.every((value) => value instanceof Uint32Array)) {
        fields.push({ name, packed: packArrays(values as Uint32Array[]) });
      } else {
        plainFields.push(plainFieldOf(name, values));
      }
    });
    return {
      format: SNAPSHOT_FORMAT,
      settings: this.snapshotSettings(),
      contentKey: contentKeyOf([...this.documents.values()].map(({ document }) => document)),
      documents,
      terms: Array.from({ length: this.vocabulary.size }, (_, id) => this.vocabulary.term(id)),
      sections,
      paragraphs: packArrays([paragraphs]),
      fields,
      plainFields,
      nextEntryId: this.nextEntryId,
      index: packIndex(this.index, (id) => this.storedFieldsOf(id)),
    };
  }

  /**
   * An engine answering exactly like the one that made `snapshot` (with `toSnapshot`), without analysing
   * the documents again. `documents` are those the snapshot was made from, in any order (their texts are
   * quoted; their url, publisher... may have changed). `snapshot` is the parsed JSON, unchecked: throws
   * SnapshotError 'version' when it was made by another format, analyzer or index options, 'stale' when
   * the documents differ (added, removed, other text or title), 'corrupt' when its parts do not fit.
   */
  static fromSnapshot(
    snapshot: unknown,
    documents: readonly SourceDocument[],
    options: EngineOptionsInput = {},
  ): SearchEngine {
    const outline = checkOutline(snapshot);
    const engine = new SearchEngine(options);
    if (outline.settings !== engine.snapshotSettings()) {
      throw new SnapshotError('version', 'it was made with other analysis settings, index options or layout');
    }
    if (outline.contentKey !== contentKeyOf(documents)) {
      throw new SnapshotError('stale', 'the documents changed since it was made');
    }
    try {
      engine.load(outline, documents);
    } catch (error) {
      if (error instanceof SnapshotError) throw error;
      throw new SnapshotError(
        'corrupt',
        `it cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return engine;
  }

  /**
   * What MiniSearch stores for an indexed entry (the `storeFields` of {@link miniSearchOptions}), so a
   * snapshot need not carry them: they follow from the entry's paragraph.
   */
  private storedFieldsOf(id: number): Record<string, unknown> | undefined {
    const paragraph = this.entries.get(id)?.paragraph;
    return paragraph === undefined ? undefined : { scope: paragraph.scope, documentId: paragraph.documentId };
  }

  /** What a snapshot must have been made under to be loaded by this engine. */
  private snapshotSettings(): string {
    return JSON.stringify({
      analyzer: this.analyzer.signature,
      maxPartChars: this.options.maxPartChars,
      fields: entryFieldNames(),
    });
  }

  private load(snapshot: EngineSnapshot, documents: readonly SourceDocument[]): void {
    const byKey = new Map(
      documents.map((document) => [keyOf(document.meta.scope, document.meta.id), document]),
    );
    snapshot.terms.forEach((term, id) => {
      if (typeof term !== 'string' || this.vocabulary.intern(term) !== id)
        throw new SnapshotError('corrupt', 'its vocabulary repeats a term');
    });
    const total = snapshot.documents.reduce((sum, [, , count]) => sum + count, 0);
    const numbers = unpackArrays(snapshot.paragraphs, 1)[0] as Uint32Array;
    if (numbers.length !== total * PARAGRAPH_NUMBERS)
      throw new SnapshotError('corrupt', 'its paragraphs do not match its documents');
    const names = entryFieldNames();
    const columns = names.map((name): Column => {
      const packed = snapshot.fields.find((field) => field.name === name);
      if (packed !== undefined) return packedColumn(packed.packed, total);
      const plain = snapshot.plainFields.find((field) => field.name === name);
      if (plain === undefined) throw new SnapshotError('corrupt', `its field "${name}" is missing`);
      return plainColumn(plainValuesOf(plain, total), total, name);
    });
    const entryColumns = columnsByRole(columns);
    let at = 0;
    for (const [scope, id, count] of snapshot.documents) {
      const document = byKey.get(keyOf(scope, id));
      if (document === undefined) throw new SnapshotError('corrupt', `it lists a document "${id}" not given`);
      const paragraphs: Paragraph[] = [];
      const entries: Entry[] = [];
      for (let i = 0; i < count; i++, at++) {
        const base = at * PARAGRAPH_NUMBERS;
        const section = snapshot.sections[numbers[base + 4] as number];
        const paragraph: Paragraph = {
          documentId: id,
          scope,
          number: numbers[base + 1] as number,
          part: numbers[base + 2] as number,
          parts: numbers[base + 3] as number,
          section: typeof section === 'string' ? section : '',
          start: numbers[base + 5] as number,
          end: numbers[base + 6] as number,
        };
        if (
          typeof section !== 'string' ||
          paragraph.start > paragraph.end ||
          paragraph.end > document.text.length
        )
          throw new SnapshotError('corrupt', 'a paragraph lies outside its document');
        const entry = new ColumnEntry(
          numbers[base] as number,
          paragraph,
          document.meta.title,
          at,
          entryColumns,
        );
        paragraphs.push(paragraph);
        entries.push(entry);
        this.entries.set(entry.id, entry);
        this.vocabulary.count(entry.counted, 1);
      }
      this.documents.set(keyOf(scope, id), { document, paragraphs, entries });
    }
    this.index = unpackIndex<IndexedFields>(snapshot.index, miniSearchOptions(this.options), (id) =>
      this.storedFieldsOf(id),
    );
    if (this.index.documentCount !== total)
      throw new SnapshotError('corrupt', 'its index does not hold its paragraphs');
    this.nextEntryId = snapshot.nextEntryId;
  }

  /**
   * Packs the index's postings into typed arrays, as a snapshot load leaves them (a term's Maps come back
   * the first time a question or a change touches it): answers are unchanged, and at 100,000 paragraphs
   * the heap after a build goes from 544 to 275 MB (DESIGN.md, "Memory layout"). Worth calling once after
   * adding many documents; it takes time proportional to the whole index, so not after every add.
   */
  compact(): void {
    compactIndex(this.index);
  }

  /**
   * Splits the document into paragraphs (blocks separated by blank lines; boilerplate dropped;
   * headings become the `section` of the paragraphs below them; long paragraphs split at sentence
   * boundaries) and indexes them. Throws VerbatimError DUPLICATE_DOCUMENT if (scope, id) exists (or is
   * being added by `addAsync`) and EMPTY_DOCUMENT if nothing quotable is left.
   */
  add(document: SourceDocument): readonly Paragraph[] {
    this.checkAddable(document);
    const prepared = drain(this.preparing(document));
    const staged = drain(this.staging(prepared, document.meta.scope));
    this.index.addAll(staged.fields);
    this.reveal(prepared, staged.entries);
    return prepared.paragraphs;
  }

  /** Replaces the text and metadata of the document with the same (scope, id); searchable at once. */
  replace(document: SourceDocument): readonly Paragraph[] {
    const previous = this.checkReplaceable(document);
    // Analyse first: a document that cannot be indexed leaves the old version in place.
    const prepared = drain(this.preparing(document));
    const staged = drain(this.staging(prepared, document.meta.scope));
    this.drop(previous);
    this.index.addAll(staged.fields);
    this.reveal(prepared, staged.entries);
    return prepared.paragraphs;
  }

  /**
   * `add` without blocking the event loop for long: the document is analysed and indexed in slices of
   * about `SLICE_MS` (slices.ts) with a macrotask yield between them, so questions keep being answered. The
   * document is invisible until it is complete, then appears at once: no question ever sees part of it.
   * While it is in progress its (scope, id) is reserved: `add`/`addAsync`/`replace*` of the same
   * document are refused (DUPLICATE_DOCUMENT), `remove` does not see it (UNKNOWN_DOCUMENT).
   */
  async addAsync(document: SourceDocument): Promise<readonly Paragraph[]> {
    this.checkAddable(document);
    return this.indexInSlices(document, undefined);
  }

  /** `replace` in slices, like `addAsync`: the old version answers until the new one is complete. */
  async replaceAsync(document: SourceDocument): Promise<readonly Paragraph[]> {
    const previous = this.checkReplaceable(document);
    return this.indexInSlices(document, previous);
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
      candidates: ranking.candidates.map((candidate) => {
        const { entry, bm25, evidence, score } = candidate;
        return {
          documentId: entry.paragraph.documentId,
          scope: entry.paragraph.scope,
          paragraph: entry.paragraph.number,
          part: entry.paragraph.part,
          bm25,
          coverage: evidence.coverage,
          sentenceShare: evidence.sentenceShare,
          windowShare: evidence.windowShare,
          pairShare: evidence.pairShare,
          matched: this.matchedTerms(candidate, ranking.query),
          score,
        };
      }),
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

    const synonymsAdded = [...boosts.values()].some((boost) => boost !== 1);
    const results = searchTop(
      this.index,
      [...boosts.keys()].join(' '),
      {
        filter: this.filterFor(options),
        // searchTop's fast path has no per-term boost; synonyms (off by default) go through MiniSearch's search.
        ...(synonymsAdded ? { boostTerm: (term: string) => boosts.get(term) ?? 1 } : {}),
      },
      this.options.rerankDepth,
    );
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
      const { record, context } = entry;
      const evidence = weighEvidence(record, context, query);
      const score =
        result.score / bestBm25 +
        coverageWeight * evidence.coverage +
        sentenceWeight * evidence.sentenceShare +
        windowWeight * evidence.windowShare +
        pairWeight * evidence.pairShare;
      candidates.push({ entry, record, context, bm25: result.score, evidence, score });
    }
    // Stable: ties keep MiniSearch's order.
    return candidates.sort((a, b) => b.score - a.score);
  }

  private matchedTerms(candidate: Candidate, query: QueryTerms): string[] {
    const ids = new Set<number>();
    for (const list of [candidate.record.distinct, ...candidate.context])
      for (const id of list) if (query.weights.has(id)) ids.add(id);
    return [...ids].map((id) => this.vocabulary.term(id));
  }

  private toPassage(candidate: Candidate, query: QueryTerms): Passage {
    const { entry, record, evidence, score } = candidate;
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
      highlights: highlightsOf(text, record, query),
      bestSentence: sentenceRange(record, evidence.bestSentence),
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

  private checkAddable(document: SourceDocument): void {
    const { scope, id } = document.meta;
    const key = keyOf(scope, id);
    if (this.documents.has(key) || this.pending.has(key)) {
      throw new VerbatimError(
        'DUPLICATE_DOCUMENT',
        `A document with the id "${id}" already exists; update it, or add this one under another id.`,
      );
    }
  }

  private checkReplaceable(document: SourceDocument): IndexedDocument {
    const { scope, id } = document.meta;
    const previous = this.documents.get(keyOf(scope, id));
    if (previous === undefined) throw unknownDocument(id);
    if (this.pending.has(keyOf(scope, id))) throw busyDocument(id);
    return previous;
  }

  private async indexInSlices(
    document: SourceDocument,
    previous: IndexedDocument | undefined,
  ): Promise<readonly Paragraph[]> {
    const { scope, id } = document.meta;
    const key = keyOf(scope, id);
    this.pending.add(key);
    try {
      const slices = new Slices();
      const prepared = await slices.drain(this.preparing(document));
      // Indexed under a scope no question searches, then switched over in one synchronous step.
      const staged = await slices.drain(this.staging(prepared, HIDDEN_SCOPE));
      for (const fields of staged.fields) {
        await slices.pause();
        this.index.add(fields);
      }
      if (previous !== undefined && this.documents.get(key) !== previous) {
        // Removed (or replaced) while this version was being prepared: it must not come back.
        for (const entry of staged.entries) this.index.discard(entry.id);
        throw unknownDocument(id);
      }
      for (const entry of staged.entries) {
        const stored = this.index.getStoredFields(entry.id);
        if (stored !== undefined) stored['scope'] = scope;
      }
      if (previous !== undefined) this.drop(previous);
      this.reveal(prepared, staged.entries);
      return prepared.paragraphs;
    } finally {
      this.pending.delete(key);
    }
  }

  /**
   * Everything about a document that can be computed before touching the index, one body block per
   * step (so `addAsync` can yield between blocks; `drain` runs it at once).
   */
  private *preparing(document: SourceDocument): Generator<void, PreparedDocument, void> {
    const { scope, id, title } = document.meta;
    const text = document.text;
    const titleIds = this.termIdsOf(title);
    const paragraphs: Paragraph[] = [];
    const parts: PreparedPart[] = [];
    let section = '';
    let sectionIds: Uint32Array = new Uint32Array(0);
    let number = 0;
    for (const blocks of segmentInWindows(text)) {
      yield;
      for (const block of blocks) {
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
        yield;
      }
    }
    if (paragraphs.length === 0) {
      throw new VerbatimError(
        'EMPTY_DOCUMENT',
        `The document "${id}" has no paragraph of text to quote (only headings, page furniture or nothing at all); check that the right file or text was given.`,
      );
    }
    return { document, paragraphs, parts };
  }

  /**
   * The entries of a prepared document and what MiniSearch indexes for them, with entry ids given out;
   * nothing is visible yet. The entries' arrays are copied into columns per batch of
   * {@link COMPACT_BATCH} parts (see `inColumns`).
   */
  private *staging(
    prepared: PreparedDocument,
    indexScope: Scope,
  ): Generator<void, { entries: Entry[]; fields: IndexedFields[] }, void> {
    const { document, parts } = prepared;
    const entries: Entry[] = [];
    const fields: IndexedFields[] = [];
    for (const { paragraph, record, sectionIds, titleIds } of parts) {
      const id = this.nextEntryId++;
      const counted = Uint32Array.from(new Set([...record.distinct, ...sectionIds, ...titleIds]));
      entries.push({
        id,
        paragraph,
        record,
        context: [sectionIds, titleIds],
        counted,
        title: document.meta.title,
      });
      fields.push({
        id,
        text: this.joined(record.termIds),
        section: this.joined(sectionIds),
        title: this.joined(titleIds),
        scope: indexScope,
        documentId: paragraph.documentId,
      });
      if (entries.length % COMPACT_BATCH === 0) {
        entries.splice(-COMPACT_BATCH, COMPACT_BATCH, ...inColumns(entries.slice(-COMPACT_BATCH)));
        yield;
      } else if (entries.length % 64 === 0) {
        yield;
      }
    }
    const rest = entries.length % COMPACT_BATCH;
    if (rest > 0) entries.splice(-rest, rest, ...inColumns(entries.slice(-rest)));
    return { entries, fields };
  }

  /** Makes staged entries (already in MiniSearch) answerable, all at once. */
  private reveal(prepared: PreparedDocument, entries: Entry[]): void {
    const { document, paragraphs } = prepared;
    for (const entry of entries) {
      this.entries.set(entry.id, entry);
      this.vocabulary.count(entry.counted, 1);
    }
    this.documents.set(keyOf(document.meta.scope, document.meta.id), { document, paragraphs, entries });
  }

  private drop(indexed: IndexedDocument): void {
    for (const entry of indexed.entries) {
      this.index.discard(entry.id);
      this.entries.delete(entry.id);
      this.vocabulary.count(entry.counted, -1);
    }
    const { scope, id } = indexed.document.meta;
    this.documents.delete(keyOf(scope, id));
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

interface PreparedDocument {
  document: SourceDocument;
  paragraphs: Paragraph[];
  parts: PreparedPart[];
}

/**
 * Parts whose arrays share one buffer: large enough to save the per-array allocations, small enough that
 * copying one batch fits in a slice of `addAsync`.
 */
const COMPACT_BATCH = 256;
/** The MiniSearch scope of entries still being added: no question's filter accepts it. */
const HIDDEN_SCOPE: Scope = '\u0000adding';

/** Runs a step-wise computation to its end at once. */
function drain<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}

/**
 * The same entries with their arrays (record fields, context, counted) copied into one column per field
 * for the batch: about ten allocations per batch instead of ten per paragraph part, and no view kept per
 * entry and field.
 */
function inColumns(entries: readonly Entry[]): Entry[] {
  const perEntry = entries.map(entryArrays);
  const columns = entryFieldNames().map((name, f): Column => {
    const values = perEntry.map((arrays) => arrays[f]?.[1]);
    return values.every((value) => value instanceof Uint32Array)
      ? columnOf(values as Uint32Array[])
      : plainColumn(values, values.length, name);
  });
  const byRole = columnsByRole(columns);
  return entries.map((entry, at) => new ColumnEntry(entry.id, entry.paragraph, entry.title, at, byRole));
}

/** The per-entry fields of a batch of entries or of a loaded snapshot, by role (see `entryArrays`). */
interface EntryColumns {
  record: ReadonlyArray<readonly [string, Column]>;
  context: Column[];
  counted: Column;
}

/** The columns of {@link entryFieldNames}, in that order, by role. */
function columnsByRole(columns: readonly Column[]): EntryColumns {
  const names = entryFieldNames();
  return {
    record: names.flatMap((name, i) =>
      name.startsWith(RECORD_PREFIX)
        ? [[name.slice(RECORD_PREFIX.length), columns[i] as Column] as const]
        : [],
    ),
    context: names.flatMap((name, i) => (name.startsWith(CONTEXT_PREFIX) ? [columns[i] as Column] : [])),
    counted: columns[names.indexOf('counted')] as Column,
  };
}

/**
 * An entry whose arrays are views of per-field columns, made each time they are read (see
 * entry-columns.ts), rather than ten views kept per entry: entries loaded from a snapshot, and entries
 * after `compact`.
 */
class ColumnEntry implements Entry {
  readonly id: number;
  readonly paragraph: Paragraph;
  readonly title: string;
  readonly #at: number;
  readonly #columns: EntryColumns;

  constructor(id: number, paragraph: Paragraph, title: string, at: number, columns: EntryColumns) {
    this.id = id;
    this.paragraph = paragraph;
    this.title = title;
    this.#at = at;
    this.#columns = columns;
  }

  get record(): PartRecord {
    const made: Record<string, unknown> = {};
    for (const [name, column] of this.#columns.record) made[name] = column(this.#at);
    return made as unknown as PartRecord;
  }

  get context(): Uint32Array[] {
    return this.#columns.context.map((column) => column(this.#at) as Uint32Array);
  }

  get counted(): Uint32Array {
    return this.#columns.counted(this.#at) as Uint32Array;
  }
}

const RECORD_PREFIX = 'record.';
const CONTEXT_PREFIX = 'context.';

/**
 * Every per-entry array, named: the record's fields (whatever records.ts puts in a record), the context
 * term ids and the counted ids. A snapshot saves them by these names, so a record field added later is
 * saved and checked without a change here.
 */
function entryArrays(entry: Entry): Array<[string, unknown]> {
  return [
    ...Object.entries(entry.record).map(([name, value]): [string, unknown] => [RECORD_PREFIX + name, value]),
    ...entry.context.map((ids, i): [string, unknown] => [CONTEXT_PREFIX + i, ids]),
    ['counted', entry.counted],
  ];
}

let fieldNames: string[] | undefined;

/** The names of `entryArrays` for this build of the code (a snapshot with other names is rebuilt). */
function entryFieldNames(): string[] {
  if (fieldNames === undefined) {
    const empty = { terms: [], starts: [], ends: [], sentences: [] };
    const record = recordOf(empty, 0, 0, 0, new Vocabulary());
    const sample: Entry = {
      id: 0,
      paragraph: { documentId: '', scope: '', number: 1, part: 1, parts: 1, section: '', start: 0, end: 0 },
      record,
      context: [new Uint32Array(0), new Uint32Array(0)],
      counted: new Uint32Array(0),
      title: '',
    };
    fieldNames = entryArrays(sample).map(([name]) => name);
  }
  return fieldNames;
}

/** Typed arrays other than Uint32Array that a record may hold, by constructor name. */
const TYPED_ARRAYS = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint16Array,
  Int16Array,
  Uint8Array,
  Int8Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function plainFieldOf(name: string, values: unknown[]): PlainField {
  const first = values[0];
  const typed = Object.entries(TYPED_ARRAYS).find(([, constructor]) => first instanceof constructor)?.[0];
  if (typed === undefined) return { name, values };
  return { name, typedArray: typed, values: values.map((value) => Array.from(value as ArrayLike<number>)) };
}

function plainValuesOf(field: PlainField, count: number): unknown[] {
  if (!Array.isArray(field.values) || field.values.length !== count)
    throw new SnapshotError('corrupt', `its field "${field.name}" has the wrong length`);
  if (field.typedArray === undefined) return field.values;
  const constructor = TYPED_ARRAYS[field.typedArray as TypedArrayName];
  if (constructor === undefined)
    throw new SnapshotError('corrupt', `its field "${field.name}" has an unknown type`);
  return field.values.map((value) => constructor.from(value as ArrayLike<number>));
}

function miniSearchOptions(options: EngineOptions): Options<IndexedFields> {
  return {
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
      bm25: options.bm25,
      boost: options.boost,
    },
    // MiniSearch's defaults: vacuum in the background once 10% of entries (and at least 20) are discarded.
    autoVacuum: true,
  };
}

function busyDocument(id: string): VerbatimError {
  return new VerbatimError(
    'DUPLICATE_DOCUMENT',
    `The document "${id}" is being indexed right now; try again when that is done.`,
  );
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
