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
  | 'STILL_LOADING';

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
