/**
 * The library service: the document store joined to the search engine. The bot and the terminal mode
 * both call it, so they cannot drift apart.
 *
 * CONTRACT (being implemented): the signatures below are what src/discord, commands/ and src/cli code
 * against. Bodies are filled in by the store/library work.
 */
import type { AskOptions, AskResult, DocumentMeta, Passage, Provenance, Scope } from './core/index.ts';
import type { Logger } from './log.ts';

/** A document as listed by `/source` and `list`. */
export interface DocumentSummary {
  meta: DocumentMeta;
  /** Number of body paragraphs (answerable units before long-paragraph splitting). */
  paragraphs: number;
  /** Length of the stored text in characters. */
  characters: number;
  /** The section headings, in order. */
  sections: string[];
}

/** Where a new document's text comes from. */
export type DocumentSource =
  | { kind: 'text'; text: string }
  | { kind: 'file'; fileName: string; contentType?: string; bytes: Uint8Array };

export interface AddDocumentInput {
  /** The server's scope (`guildScope(id)`); the shipped corpus is read-only. */
  scope: Scope;
  source: DocumentSource;
  title?: string;
  publisher?: string;
  date?: string;
  url?: string;
  actor: Omit<Provenance, 'at'>;
}

export interface UpdateDocumentInput extends Omit<AddDocumentInput, 'source'> {
  id: string;
  /** New content; when absent only the metadata given changes. */
  source?: DocumentSource;
}

export interface LibraryOptions {
  /** Folder of the shipped corpus. Default: the repository's `corpus/`. */
  corpusDir?: string;
  /** Where servers' documents are stored. `undefined`: none are stored (terminal `--corpus` mode). */
  dataDir?: string;
  logger: Logger;
}

export interface Library {
  ask(question: string, options?: AskOptions): AskResult;
  /** The shipped corpus plus `scope`'s own documents, shipped first. */
  list(scope?: Scope): DocumentSummary[];
  /** One document visible from `scope`; throws VerbatimError UNKNOWN_DOCUMENT when none. */
  describe(id: string, scope?: Scope): DocumentSummary;
  /** Paragraphs `paragraph - radius .. paragraph + radius` of a document, as passages without highlights. */
  around(id: string, paragraph: number, radius: number, scope?: Scope): Passage[];
  add(input: AddDocumentInput): Promise<DocumentSummary>;
  update(input: UpdateDocumentInput): Promise<DocumentSummary>;
  remove(scope: Scope, id: string, actor: Omit<Provenance, 'at'>): Promise<void>;
  /** Waits for writes in progress; later writes are refused. */
  close(): Promise<void>;
}
