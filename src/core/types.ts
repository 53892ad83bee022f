/**
 * The data the search core works with. Everything here is plain data: the core
 * never reads files, the network or the environment.
 */
import type { SemanticInput } from './semantic.ts';
import type { GlossaryRule } from './ask/glossary.ts';

/** Where a document lives: the shipped corpus, or one Discord server's own documents. */
export type Scope = string;

/** The scope of the shipped corpus, visible from every server and from the terminal. */
export const SHIPPED_SCOPE: Scope = 'corpus';

const GUILD_SCOPE_PREFIX = 'guild:';

/** The scope of one Discord server's own documents. */
export function guildScope(guildId: string): Scope {
  return `${GUILD_SCOPE_PREFIX}${guildId}`;
}

/** The server id inside a scope made by {@link guildScope}; undefined for any other scope. */
export function guildIdInScope(scope: Scope): string | undefined {
  return scope.startsWith(GUILD_SCOPE_PREFIX) ? scope.slice(GUILD_SCOPE_PREFIX.length) : undefined;
}

/** Who added or changed a document, and when (ISO 8601). */
export interface Provenance {
  userId: string;
  userName: string;
  at: string;
}

/** What the corpus knows about a document besides its text. */
export interface DocumentMeta {
  /** Readable, stable id, unique within its scope, e.g. `ns-tech-uk-civil-servants-china-2019`. */
  id: string;
  title: string;
  publisher: string;
  /** ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), or '' when unknown. */
  date: string;
  /** True when `date` is inferred from the text rather than stated as a publication date. */
  dateEstimated: boolean;
  /** '' when not known: never invented. */
  url: string;
  /** BCP 47 language tag, e.g. `en`. */
  language: string;
  scope: Scope;
  /** For documents that moderators added: who added it, and who last changed it. */
  added?: Provenance;
  updated?: Provenance;
  /** For a document fetched from its url: when its stored text was fetched (ISO 8601, UTC). */
  fetchedAt?: string;
}

/** A document as stored: its metadata and its text exactly as stored (for the shipped corpus, as captured). */
export interface SourceDocument {
  meta: DocumentMeta;
  text: string;
}

/** What a block of text is, decided once at ingestion. */
export type BlockKind = 'body' | 'heading' | 'boilerplate';

/**
 * One answerable unit of a document: a paragraph, or a sentence-aligned part of a paragraph too long
 * for one Discord embed. `text.slice(start, end)` of the document is its exact text.
 */
export interface Paragraph {
  documentId: string;
  scope: Scope;
  /** 1-based number of the paragraph among the document's body paragraphs. */
  number: number;
  /** 1-based part number when a long paragraph was split; 1 otherwise. */
  part: number;
  /** How many parts the paragraph was split into (1 when not split). */
  parts: number;
  /** The nearest heading above it, '' when none. */
  section: string;
  /** Offsets into the document's stored text, `[start, end)`. */
  start: number;
  end: number;
}

/** A `[start, end)` range of characters. */
export type Range = [number, number];

/**
 * One quoted answer, complete: what a front end needs to show it and name its source, with nothing to
 * look up again. `text === document.text.slice(start, end)`, always.
 */
export interface Passage {
  documentId: string;
  scope: Scope;
  /** The document's metadata as it was when the question was answered (title, publisher, date, url...). */
  source: DocumentMeta;
  /** 1-based paragraph number in the document. */
  paragraph: number;
  part: number;
  parts: number;
  section: string;
  text: string;
  start: number;
  end: number;
  score: number;
  /**
   * The cosine of the question with the passage's best sentence or the passage whole, whichever is
   * nearer (Universal Sentence Encoder), when the semantic stage scored it; part of `score`.
   */
  semantic?: number;
  /** Matched words, offsets into `text`, sorted and non-overlapping. */
  highlights: Range[];
  /** The best-matching sentence, offsets into `text`. */
  bestSentence: Range;
  /**
   * The sentences of `text` as the analyzer split them, offsets into `text`, in order and not
   * overlapping: where a front end may cut a quote too long to show whole (see `quoteWindow`).
   */
  sentences: Range[];
}

/** Why a question got no answer. */
export type NoAnswerReason =
  /** The question has no word the index can search on (only stop words, punctuation, emoji...). */
  | 'no-searchable-words'
  /** Nothing in the searched documents matched at all. */
  | 'no-match'
  /** Something matched, but too little of the question to count as an answer (see DESIGN.md). */
  | 'weak-match';

export interface AskOptions {
  /** The scope searched besides the shipped corpus (a server's own documents). */
  scope?: Scope;
  /** At most this many passages. Default 3. */
  limit?: number;
  /** Restrict the search to these document ids. */
  documentIds?: readonly string[];
  /**
   * The semantic stage's input (the question's vector and the parts' sentence vectors); absent: the
   * question is ranked lexically only.
   */
  semantic?: SemanticInput;
  /**
   * Glossary rules applied to the question (the server's entries plus the shipped corpus's list), as
   * `SearchEngine.compileGlossary` makes them; absent or empty: none.
   */
  glossary?: readonly GlossaryRule[];
}

export interface AskResult {
  question: string;
  answered: boolean;
  /** Set when `answered` is false. */
  reason?: NoAnswerReason;
  passages: Passage[];
}
