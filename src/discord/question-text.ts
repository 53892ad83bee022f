/** A message's text as a question for the library ("Find sources", auto-answer). */
import { MAX_QUESTION_CHARS } from '../core/index.ts';

/** `text` trimmed; longer than /ask takes, it is cut at the last space before the limit. */
export function asQuestion(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_QUESTION_CHARS) return trimmed;
  const cut = trimmed.lastIndexOf(' ', MAX_QUESTION_CHARS);
  return trimmed.slice(0, cut > 0 ? cut : MAX_QUESTION_CHARS);
}
