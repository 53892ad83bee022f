/**
 * Errors a user can act on. Each carries a stable code (for tests and logs) and a sentence that says
 * what went wrong and what to do; adapters show the message as it is. Anything that is not a
 * VerbatimError is a bug and is answered with an apology instead.
 */
export type ErrorCode =
  | 'EMPTY_QUESTION'
  | 'QUESTION_TOO_LONG'
  | 'UNKNOWN_DOCUMENT'
  | 'DUPLICATE_DOCUMENT'
  | 'EMPTY_DOCUMENT'
  | 'UNSUPPORTED_TYPE'
  | 'FILE_TOO_LARGE'
  | 'UNREADABLE_FILE'
  | 'BAD_METADATA'
  | 'READ_ONLY_DOCUMENT'
  | 'BAD_OPTION'
  | 'NOT_PERMITTED'
  | 'BAD_CONFIG'
  /** A change was asked for after the library began shutting down (it finishes writes in progress only). */
  | 'SHUTTING_DOWN'
  /** A button whose saved state is gone (older than 15 minutes, or the bot restarted). */
  | 'BUTTON_EXPIRED'
  /** A button custom_id whose signature does not match: not made by this bot. */
  | 'BUTTON_FORGED'
  /** A user asked more often than the per-user cooldown allows. */
  | 'RATE_LIMITED'
  /** The document database was written by a newer verbatim than this one (its migrations are unknown here). */
  | 'DATABASE_TOO_NEW'
  /** The document database cannot be opened or reached (bad DATABASE_URL, server down, unreadable file). */
  | 'DATABASE_UNAVAILABLE'
  /** A question in a server whose documents are still being indexed after a start (the bot does not wait). */
  | 'STILL_LOADING'
  /** A file that reading would take more than the extraction limits (time, memory, pages, nesting, text). */
  | 'EXTRACTION_LIMIT'
  /** A change that would take a server past one of its quotas (documents, bytes, paragraphs, adds per hour). */
  | 'QUOTA_EXCEEDED';

export class VerbatimError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'VerbatimError';
    this.code = code;
  }
}

export function isVerbatimError(error: unknown): error is VerbatimError {
  return error instanceof VerbatimError;
}

/**
 * The one sentence of each error that is the same whatever raised it, by code: written here once, so the
 * engine, the library and the Discord layer cannot word it three ways. Codes whose sentence depends on
 * what was being done (BAD_OPTION, BAD_CONFIG, BAD_METADATA, UNREADABLE_FILE, EMPTY_DOCUMENT,
 * DUPLICATE_DOCUMENT, NOT_PERMITTED...) get theirs where they are raised.
 */
const SENTENCES = {
  EMPTY_QUESTION: () => 'Ask a question: type a few words about what you want to find in the sources.',
  QUESTION_TOO_LONG: ({ length, max }: { length: number; max: number }) =>
    `Your question is ${length.toLocaleString('en')} characters long; questions are limited to ${max.toLocaleString('en')} characters. Shorten it to its key words.`,
  UNKNOWN_DOCUMENT: ({ id }: { id: string }) =>
    `There is no document "${id}" here. List the sources to see the ids you can use.`,
  READ_ONLY_DOCUMENT: ({ id }: { id?: string | undefined }) =>
    `${id === undefined ? 'The shipped corpus' : `"${id}" is part of the shipped corpus, which`} is read-only: it can be quoted but not changed. Add your own document to this server instead.`,
  SHUTTING_DOWN: () => 'verbatim is shutting down and cannot change documents now; try again in a minute.',
  BUTTON_EXPIRED: () =>
    'This button has expired: buttons keep their state for 15 minutes (or until the bot restarts). Run the command again.',
  STILL_LOADING: () =>
    'This server’s documents are still being loaded after a restart; try again in a moment.',
  BUTTON_FORGED: () =>
    'This button was not made by this bot (its signature does not match), so it does nothing: run the command again.',
} satisfies Partial<Record<ErrorCode, (details: never) => string>>;

type TabledCode = keyof typeof SENTENCES;

/** The error `code` with its one sentence, filled in with `details`. */
export function userError<C extends TabledCode>(
  code: C,
  ...details: Parameters<(typeof SENTENCES)[C]>
): VerbatimError {
  const sentence = SENTENCES[code] as (...args: unknown[]) => string;
  return new VerbatimError(code, sentence(...details));
}
