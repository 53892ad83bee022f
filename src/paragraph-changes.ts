/**
 * What replacing a document's text would change, paragraph by paragraph: the report `/document refresh`
 * shows before it replaces anything. Paragraphs are the body paragraphs the index answers from (the core's
 * segmentation, so headings and site boilerplate do not count), compared with white space collapsed (a page
 * that re-wraps its lines has not changed).
 */
import { diffArrays } from 'diff';
import { segment } from './core/index.ts';

export interface ParagraphChanges {
  added: number;
  /** Edited in place: within a run of differences, a removed paragraph paired with an added one. */
  changed: number;
  removed: number;
  unchanged: number;
}

/** Longest the comparison may take before it falls back to counting paragraphs present in one text only. */
const DIFF_TIMEOUT_MS = 1000;

function bodyParagraphs(text: string): string[] {
  return segment(text)
    .blocks.filter((block) => block.kind === 'body')
    .map((block) => text.slice(block.start, block.end).replace(/\s+/g, ' ').trim());
}

export function paragraphChanges(oldText: string, newText: string): ParagraphChanges {
  const before = bodyParagraphs(oldText);
  const after = bodyParagraphs(newText);
  const diff = diffArrays(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (diff === undefined) return bySets(before, after);
  const counts: ParagraphChanges = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  let runAdded = 0;
  let runRemoved = 0;
  const closeRun = (): void => {
    const pairs = Math.min(runAdded, runRemoved);
    counts.changed += pairs;
    counts.added += runAdded - pairs;
    counts.removed += runRemoved - pairs;
    runAdded = 0;
    runRemoved = 0;
  };
  for (const part of diff) {
    if (part.added) runAdded += part.count;
    else if (part.removed) runRemoved += part.count;
    else {
      closeRun();
      counts.unchanged += part.count;
    }
  }
  closeRun();
  return counts;
}

/** The fallback for texts too different to align in time: no pairing, so nothing counts as changed. */
function bySets(before: readonly string[], after: readonly string[]): ParagraphChanges {
  const old = new Set(before);
  const next = new Set(after);
  const unchanged = after.filter((p) => old.has(p)).length;
  return {
    added: after.length - unchanged,
    changed: 0,
    removed: before.filter((p) => !next.has(p)).length,
    unchanged,
  };
}
