/**
 * Limits every front end shares, declared once: the engine's defaults, Discord's option ranges and the
 * terminal's flags all read them here.
 */

/**
 * The longest question, in characters after trimming. Discord's /ask option allows this many, "Find
 * sources" cuts a message to it, and the engine refuses longer (QUESTION_TOO_LONG). Every question of
 * `npm run eval` is shorter (SQuAD dev's longest is 197).
 */
export const MAX_QUESTION_CHARS = 300;

/** The most passages one question may get: "More results" stops there, `--limit` may not ask for more. */
export const MAX_RESULTS = 20;
