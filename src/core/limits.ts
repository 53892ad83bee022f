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

/**
 * A glossary term (either side of an entry), in characters after trimming: names and short phrases
 * ("TikTok owner", "Xinjiang Uyghur Autonomous Region"), not sentences.
 */
export const MAX_GLOSSARY_TERM_CHARS = 60;

/** Entries one server's glossary may hold: every question of that server is checked against each. */
export const MAX_GLOSSARY_ENTRIES = 200;
