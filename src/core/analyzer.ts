/**
 * The one analyzer: text → searchable terms with their offsets, and sentence ranges. Documents are
 * analysed once when indexed and questions once per query, by the same code, so the index and the
 * query can never disagree about what a word is.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** How text becomes terms. Every option is measured by the evaluation before its default changes. */
export interface AnalyzerOptions {
  /**
   * Reduce words to their Porter2 stem (wink's own stemmer, the one behind `its.stem`), so "servants"
   * finds "servant". Default: true.
   */
  stem: boolean;
  /**
   * Drop stop words (wink's English list, which includes the question words who/what/when/where/why/
   * how/which; see `keepCountWords`) and possessive endings. Default: true.
   */
  stopWords: boolean;
  /** Fold accents ("café" → "cafe") and curly apostrophes. Default: true. */
  foldAccents: boolean;
  /**
   * Index the parts of hyphenated words separately ("post-Brexit" → "post", "brexit"), each with its
   * own offsets. Default: true.
   */
  splitHyphens: boolean;
  /** Keep numbers, ordinals and years as terms ("2019", "75th"). Default: true. */
  keepNumbers: boolean;
  /**
   * Keep the words of wink's stop list that say which one is asked for: "first", "last", "top",
   * "former", "latter" and number words ("three", "million"). Default: true.
   */
  keepCountWords: boolean;
  /**
   * Reduce words to wink's lemma (with part-of-speech tagging) before stemming, so irregular forms meet
   * their base word: "sold" finds "sell", "met" finds "meet", "won" finds "win". Default: false (it did
   * not pay on the evaluation: docs/quality.md).
   */
  lemmatize: boolean;
}

export const defaultAnalyzerOptions: Readonly<AnalyzerOptions> = Object.freeze({
  stem: true,
  stopWords: true,
  foldAccents: true,
  splitHyphens: true,
  keepNumbers: true,
  keepCountWords: true,
  lemmatize: false,
});

/** Analysed text. Offsets are `[start, end)` into the analysed string. */
export interface Analysis {
  /** One entry per searchable token, in text order. */
  terms: string[];
  starts: number[];
  ends: number[];
  /** Sentence ranges, flattened: `[start0, end0, start1, end1, ...]`, in order, non-overlapping. */
  sentences: number[];
}

/** The single wink-nlp instance. Sentence boundaries are the only pipe step we need. */
const nlp = winkNLP(model, ['sbd']);
/** With part-of-speech tagging, which wink's lemmas need ("sold" → "sell"); made on first use. */
let nlpWithPos: ReturnType<typeof winkNLP> | undefined;
const its = nlp.its;

// The model's addons are typed `unknown`; the stemmer is a plain string function (wink's Porter2).
const porter2 = model.addons.stem as (word: string) => string;
if (typeof porter2 !== 'function') throw new Error('wink-eng-lite-web-model has no stem addon');

/** Token types that carry no searchable word. */
const UNSEARCHABLE_TYPES = new Set(['punctuation', 'symbol', 'currency', 'emoji', 'emoticon', 'tabCRLF']);
const NUMERIC_TYPES = new Set(['number', 'ordinal']);
/** Possessive and contraction leftovers that wink does not flag as stop words. */
const EXTRA_STOP_WORDS = new Set(["'s", "'", 's', "'d", "'ll", "'re", "'ve", "'m"]);
/**
 * Words on wink's stop list that still say what is asked ("the first emperor", "the last game", "three
 * sons"): kept as terms with `keepCountWords`. Measured on the SQuAD tune half (docs/quality.md).
 */
const KEPT_STOP_WORDS = new Set([
  'first',
  'last',
  'top',
  'former',
  'latter',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'twenty',
  'hundred',
  'thousand',
  'million',
  'billion',
]);
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** Dotted abbreviations ("U.S.", "u.n.") are indexed without dots so "US" and "UN" find them. */
const DOTTED_ABBREVIATION = /^(?:\p{L}\.)+\p{L}?\.?$/u;
/** A short all-capitals word ("US", "WHO", "IT") is an acronym, not the stop word it spells. */
const ACRONYM = /^\p{Lu}{2,5}$/u;
const COMBINING_MARKS = /\p{M}/gu;

export interface Analyzer {
  readonly options: Readonly<AnalyzerOptions>;
  /** Identifies the analysis rules: index snapshots built with another signature must be rebuilt. */
  readonly signature: string;
  /** Terms, offsets and sentences of `text`. */
  analyze(text: string): Analysis;
  /** Only the terms of `text` (for questions). */
  terms(text: string): string[];
}

/** Bumped whenever a change to the code below changes which terms come out. */
const ANALYZER_VERSION = 2;

export function createAnalyzer(options: Partial<AnalyzerOptions> = {}): Analyzer {
  const settings: Readonly<AnalyzerOptions> = Object.freeze({ ...defaultAnalyzerOptions, ...options });
  // Stemming and folding are pure functions of the word: cache them (vocabularies are small).
  const stemCache = new Map<string, string>();

  function normalise(normal: string): string {
    let word = normal;
    if (settings.foldAccents && /[^ -~]/.test(word)) {
      word = word
        .normalize('NFD')
        .replace(COMBINING_MARKS, '')
        .replace(/[’‘`´]/g, "'");
    }
    if (DOTTED_ABBREVIATION.test(word)) word = word.replace(/\./g, '');
    return word;
  }

  function stemOf(word: string): string {
    let stemmed = stemCache.get(word);
    if (stemmed === undefined) {
      stemmed = /^[a-z]+$/.test(word) ? porter2(word) : word;
      if (stemCache.size < 200_000) stemCache.set(word, stemmed);
    }
    return stemmed;
  }

  /** The term for one word, or undefined when it is not searchable. */
  function termOf(
    normal: string,
    value: string,
    isStopWord: boolean,
    numeric: boolean,
    acronymsAllowed: boolean,
  ): string | undefined {
    const word = normalise(normal);
    if (!HAS_WORD_CHARACTER.test(word)) return undefined;
    if (numeric) return settings.keepNumbers ? word : undefined;
    if (settings.stopWords) {
      const acronym = acronymsAllowed && ACRONYM.test(value);
      const kept = settings.keepCountWords && KEPT_STOP_WORDS.has(word);
      const stop = (isStopWord && !kept) || EXTRA_STOP_WORDS.has(word);
      if (!acronym && stop) return undefined;
      // A lone Latin letter ("m" of "10m") says nothing; other scripts' single characters can.
      if (/^[a-z]$/.test(word)) return undefined;
    }
    return settings.stem ? stemOf(word) : word;
  }

  function run(text: string, withSentences: boolean): Analysis {
    const analysis: Analysis = { terms: [], starts: [], ends: [], sentences: [] };
    if (!HAS_WORD_CHARACTER.test(text)) return analysis;
    const reader = settings.lemmatize ? (nlpWithPos ??= winkNLP(model, ['sbd', 'pos'])) : nlp;
    const doc = reader.readDoc(text);
    const tokens = doc.tokens();
    const values = tokens.out(its.value);
    const spaces = tokens.out(its.precedingSpaces);
    const types = tokens.out(its.type);
    const normals = tokens.out(its.normal);
    const stopFlags = tokens.out(its.stopWordFlag);
    // wink types `its.lemma` with the model's addons as a third parameter, which `out` does not declare;
    // at run time `out` passes them, so the helper is used as the other `its` helpers are.
    const lemmas = settings.lemmatize ? tokens.out(its.lemma as unknown as typeof its.normal) : normals;
    // Shouted text ("WHO DID THEY MEET") has no acronyms to protect.
    const letters = text.match(/\p{L}/gu)?.length ?? 0;
    const capitals = text.match(/\p{Lu}/gu)?.length ?? 0;
    const acronymsAllowed = capitals * 2 < letters;

    // wink's tokens with their spaces rebuild the text; locate each one and never trust a mismatch.
    const tokenStarts = new Array<number>(values.length).fill(-1);
    let cursor = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      const expected = cursor + (spaces[i] as string).length;
      let at = text.startsWith(value, expected) ? expected : text.indexOf(value, cursor);
      // A match further on is only believable if nothing but white space was skipped.
      if (at > expected && text.slice(cursor, at).trim() !== '') at = -1;
      if (at < 0) continue;
      tokenStarts[i] = at;
      cursor = at + value.length;
      const type = types[i] as string;
      if (UNSEARCHABLE_TYPES.has(type)) continue;
      const numeric = NUMERIC_TYPES.has(type);
      const normal = normals[i] as string;
      const stop = stopFlags[i] as boolean;
      if (
        settings.splitHyphens &&
        type === 'word' &&
        normal.length === value.length &&
        /\p{L}-|-\p{L}|\d-|-\d/u.test(normal)
      ) {
        let partStart = 0;
        for (const part of normal.split('-')) {
          const partValue = value.slice(partStart, partStart + part.length);
          const term = termOf(part, partValue, false, /^\d+$/.test(part), acronymsAllowed);
          if (term !== undefined && !(settings.stopWords && stopWordOf(part))) {
            analysis.terms.push(term);
            analysis.starts.push(at + partStart);
            analysis.ends.push(at + partStart + part.length);
          }
          partStart += part.length + 1;
        }
        continue;
      }
      const lemma = lemmas[i] as string;
      // A lemma replaces the word only when it is a plain word too (wink lemmatises "U.S." and numbers as is).
      const word = type === 'word' && /^\p{L}+$/u.test(lemma) ? lemma : normal;
      const term = termOf(word, value, stop, numeric, acronymsAllowed);
      if (term === undefined) continue;
      analysis.terms.push(term);
      analysis.starts.push(at);
      analysis.ends.push(at + value.length);
    }

    if (withSentences) {
      for (const [first, last] of doc.sentences().out(its.span) as Array<[number, number]>) {
        let start = -1;
        let end = -1;
        for (let i = first; i <= last; i++) {
          const at = tokenStarts[i] as number;
          if (at < 0 || types[i] === 'tabCRLF') continue;
          if (start < 0) start = at;
          end = at + (values[i] as string).length;
        }
        const previousEnd = analysis.sentences.length > 0 ? (analysis.sentences.at(-1) as number) : 0;
        if (start >= 0 && end > start && start >= previousEnd) analysis.sentences.push(start, end);
      }
    }
    return analysis;
  }

  /** Stop-word check for the parts of a hyphenated word, which wink saw only as a whole. */
  const partStopWords = new Map<string, boolean>();
  function stopWordOf(part: string): boolean {
    let isStop = partStopWords.get(part);
    if (isStop === undefined) {
      isStop = nlp.readDoc(part).tokens().out(its.stopWordFlag)[0] === true;
      if (partStopWords.size < 100_000) partStopWords.set(part, isStop);
    }
    return isStop;
  }

  return {
    options: settings,
    signature: `wink-eng-lite-web-model/${ANALYZER_VERSION}/${JSON.stringify(settings)}`,
    analyze: (text) => run(text, true),
    terms: (text) => run(text, false).terms,
  };
}
