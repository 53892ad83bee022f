/**
 * Stage 2 of /ask: the question's terms searched in MiniSearch (BM25+ over text, section and title),
 * restricted to the scopes and documents asked, the best `rerankDepth` results kept.
 *
 * `searchTop` is MiniSearch's `search`, but only its best `limit` results, computed without building a result object
 * for every matching entry. At 100,000 paragraphs an OR query over a few common terms matches tens of
 * thousands of entries; MiniSearch builds a Map entry, a `match` object and a result object for each,
 * then sorts them all, and the engine keeps twenty. Here scores are summed into typed arrays and only
 * the best `limit` entries (after the filter) become results.
 *
 * The results are exactly MiniSearch's first `limit`: the same BM25+ formula in the same order of
 * floating-point operations (per term: fields in order, then terms in query order; times the number of
 * query terms matched), the same tie order (MiniSearch's sort is stable over the order in which entries
 * were first matched), and the same clean-up of discarded entries as it meets them (it calls MiniSearch's
 * own `removeTerm`, so the index evolves exactly as `search` would leave it). A property test compares
 * the two. It reads MiniSearch 7's internal fields; when they are missing or the options ask for
 * something this does not reproduce (prefix, fuzzy, boosts per document, AND), it falls back to
 * `search` itself. Per-term boosts (`boostTerm`: the glossary's lesser weight) are
 * reproduced, in MiniSearch's place in the product, so an expanded question keeps the fast path.
 */
import type MiniSearch from 'minisearch';
import type { SearchOptions, SearchResult } from 'minisearch';
import type { IndexState } from '../index-state.ts';
import { SHIPPED_SCOPE, type AskOptions, type Scope } from '../types.ts';
import type { Question } from './question.ts';

/** MiniSearch's best results for the question, at most `rerankDepth`, in its order. */
export function retrieve(state: IndexState, question: Question, options: AskOptions): SearchResult[] {
  const { boosts } = question;
  const expanded = [...boosts.values()].some((boost) => boost !== 1);
  return searchTop(
    state.index,
    [...boosts.keys()].join(' '),
    {
      filter: filterFor(options),
      // Words the glossary added count less, from the first stage on.
      ...(expanded ? { boostTerm: (term: string) => boosts.get(term) ?? 1 } : {}),
    },
    state.options.rerankDepth,
  );
}

function filterFor(options: AskOptions): (result: SearchResult) => boolean {
  const extraScope = options.scope;
  const ids = options.documentIds === undefined ? undefined : new Set(options.documentIds);
  return (result) => {
    const scope = result['scope'] as Scope;
    if (scope !== SHIPPED_SCOPE && scope !== extraScope) return false;
    return ids === undefined || ids.has(result['documentId'] as string);
  };
}

type FieldPostings = Map<number, number>;
type TermData = Map<number, FieldPostings>;

/** The parts of MiniSearch 7.2 this reads (see node_modules/minisearch/dist/es/index.js). */
interface MiniSearchInternals {
  _options: {
    fields: string[];
    tokenize: (text: string) => string[];
    processTerm: (term: string) => string | string[] | null | undefined | false;
    searchOptions: SearchOptions;
  };
  _index: { get(term: string): TermData | undefined };
  _fieldIds: Record<string, number>;
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _storedFields: Map<number, Record<string, unknown> | undefined>;
  removeTerm(fieldId: number, documentId: number, term: string): void;
}

/** Scratch space reused between searches (one engine answers one question at a time). */
class Scratch {
  total = new Float64Array(0);
  termScore = new Float64Array(0);
  matchedTerms = new Uint16Array(0);
  /** Per entry: the index of the last query term that touched it, plus one (0: none yet). */
  lastTerm = new Uint32Array(0);
  /** Per entry: 1 once it is in the combined results. */
  seen = new Uint8Array(0);

  /**
   * Per entry: 1 when it is live (MiniSearch's `_documentIds` has it), and its field lengths by field
   * id: typed-array copies of MiniSearch's Maps, rebuilt whenever an entry was added or discarded
   * (`_nextId` only grows and `_documentIds` only shrinks in between, so the pair changes every time).
   */
  live = new Uint8Array(0);
  fieldLengths: Uint32Array[] = [];
  version = '';

  refresh(internals: MiniSearchInternals): void {
    const version = `${internals._nextId}/${internals._documentIds.size}`;
    if (version === this.version) return;
    this.version = version;
    const size = internals._nextId + 1;
    if (this.live.length < size) this.live = new Uint8Array(Math.max(size, this.live.length * 2));
    else this.live.fill(0);
    const fieldCount = Object.keys(internals._fieldIds).length;
    this.fieldLengths = Array.from({ length: fieldCount }, () => new Uint32Array(this.live.length));
    for (const docId of internals._documentIds.keys()) this.live[docId] = 1;
    for (const [docId, lengths] of internals._fieldLength) {
      lengths.forEach((length, fieldId) => {
        const column = this.fieldLengths[fieldId];
        if (column !== undefined) column[docId] = length;
      });
    }
  }

  ensure(size: number): void {
    if (this.total.length >= size) return;
    const grown = Math.max(size, this.total.length * 2, 1024);
    this.total = new Float64Array(grown);
    this.termScore = new Float64Array(grown);
    this.matchedTerms = new Uint16Array(grown);
    this.lastTerm = new Uint32Array(grown);
    this.seen = new Uint8Array(grown);
  }
}

const scratches = new WeakMap<object, Scratch>();

export function searchTop(
  index: MiniSearch,
  query: string,
  searchOptions: SearchOptions,
  limit: number,
): SearchResult[] {
  const internals = index as unknown as MiniSearchInternals;
  if (!hasInternals(internals)) return index.search(query, searchOptions).slice(0, limit);
  const options = {
    tokenize: internals._options.tokenize,
    processTerm: internals._options.processTerm,
    ...internals._options.searchOptions,
    ...searchOptions,
  };
  const combineWith = (options.combineWith ?? 'OR').toUpperCase();
  if (options.prefix || options.fuzzy || options.boostDocument !== undefined || combineWith !== 'OR') {
    return index.search(query, searchOptions).slice(0, limit);
  }
  const bm25 = { k: 1.2, b: 0.7, d: 0.5, ...options.bm25 };
  const fields = options.fields ?? internals._options.fields;
  const boosts = fields.map((field) => options.boost?.[field] || 1);
  const fieldIds = fields.map((field) => internals._fieldIds[field] as number);
  const terms = (options.tokenize ?? internals._options.tokenize)(query)
    .flatMap((term) => (options.processTerm ?? internals._options.processTerm)(term) || [])
    .filter((term): term is string => !!term);

  let scratch = scratches.get(index);
  if (scratch === undefined) {
    scratch = new Scratch();
    scratches.set(index, scratch);
  }
  scratch.ensure(internals._nextId + 1);
  scratch.refresh(internals);
  const { total, termScore, matchedTerms, lastTerm, seen: lastTotal, live } = scratch;
  /** Entries in the order MiniSearch's combined results Map would hold them. */
  const order: number[] = [];
  const touchedByTerm: number[] = [];

  const { boostTerm } = options;
  terms.forEach((term, t) => {
    const data = internals._index.get(term);
    if (data === undefined) return;
    const termBoost = boostTerm === undefined ? 1 : boostTerm(term, t, terms);
    touchedByTerm.length = 0;
    // MiniSearch counts distinct query terms: a repeated term adds its score again, not its count.
    const countsAsMatch = terms.indexOf(term) === t;
    fields.forEach((_, f) => {
      const fieldId = fieldIds[f] as number;
      const postings = data.get(fieldId);
      if (postings === undefined) return;
      let matching = postings.size;
      const average = internals._avgFieldLength[fieldId] as number;
      const boost = boosts[f] as number;
      const lengths = scratch.fieldLengths[fieldId] as Uint32Array;
      const documentCount = internals._documentCount;
      // Changes only when a discarded entry is met (then MiniSearch counts one posting fewer).
      let idf = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
      postings.forEach((frequency, docId) => {
        if (live[docId] !== 1) {
          internals.removeTerm(fieldId, docId, term);
          matching -= 1;
          idf = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
          return;
        }
        const fieldLength = lengths[docId] as number;
        const raw =
          idf *
          (bm25.d +
            (frequency * (bm25.k + 1)) /
              (frequency + bm25.k * (1 - bm25.b + (bm25.b * fieldLength) / average)));
        // MiniSearch's termWeight × termBoost × fieldBoost × docBoost × raw, in its order.
        const weighted = 1 * termBoost * boost * 1 * raw;
        if (lastTerm[docId] !== t + 1) {
          lastTerm[docId] = t + 1;
          termScore[docId] = weighted;
          touchedByTerm.push(docId);
        } else {
          termScore[docId] = (termScore[docId] as number) + weighted;
        }
      });
    });
    for (const docId of touchedByTerm) {
      if (lastTotal[docId] !== 1) {
        lastTotal[docId] = 1;
        total[docId] = termScore[docId] as number;
        order.push(docId);
      } else {
        total[docId] = (total[docId] as number) + (termScore[docId] as number);
      }
      if (countsAsMatch) matchedTerms[docId] = (matchedTerms[docId] as number) + 1;
    }
  });

  // The best `limit` in MiniSearch's order: by score, ties by first match (its sort is stable).
  const best: Array<{ docId: number; score: number }> = [];
  for (const docId of order) {
    const score = (total[docId] as number) * ((matchedTerms[docId] as number) || 1);
    if (best.length >= limit && !(score > (best[best.length - 1] as { score: number }).score)) continue;
    if (options.filter !== undefined && !options.filter(resultOf(internals, docId, score, [], {}))) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { score: number }).score < score) at--;
    best.splice(at, 0, { docId, score });
    if (best.length > limit) best.pop();
  }
  for (const docId of order) {
    matchedTerms[docId] = 0;
    lastTerm[docId] = 0;
    lastTotal[docId] = 0;
  }

  return best.map(({ docId, score }) => {
    // Which query terms matched in which fields, as MiniSearch reports them (only for the results kept).
    const match: Record<string, string[]> = {};
    const queryTerms: string[] = [];
    for (const term of new Set(terms)) {
      const data = internals._index.get(term);
      if (data === undefined) continue;
      fields.forEach((field, f) => {
        if (data.get(fieldIds[f] as number)?.has(docId) !== true) return;
        (match[term] ??= []).push(field);
        if (!queryTerms.includes(term)) queryTerms.push(term);
      });
    }
    return resultOf(internals, docId, score, queryTerms, match);
  });
}

function resultOf(
  internals: MiniSearchInternals,
  docId: number,
  score: number,
  queryTerms: string[],
  match: Record<string, string[]>,
): SearchResult {
  const result = {
    id: internals._documentIds.get(docId),
    score,
    terms: Object.keys(match),
    queryTerms,
    match,
  };
  Object.assign(result, internals._storedFields.get(docId));
  return result as SearchResult;
}

function hasInternals(internals: MiniSearchInternals): boolean {
  return (
    typeof internals._options === 'object' &&
    typeof internals._index?.get === 'function' &&
    typeof internals._fieldIds === 'object' &&
    internals._documentIds instanceof Map &&
    internals._fieldLength instanceof Map &&
    internals._storedFields instanceof Map &&
    Array.isArray(internals._avgFieldLength) &&
    typeof internals._documentCount === 'number' &&
    typeof internals._nextId === 'number' &&
    typeof internals.removeTerm === 'function'
  );
}
