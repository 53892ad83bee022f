/**
 * The `--json` contract of the terminal mode. Other programs read this output, so the field names are
 * fixed: change them only with a new contract. Every Passage → JSON mapping goes through this file.
 */
import type { AskResult, NoAnswerReason, Passage, Range } from '../core/index.ts';
import type { DocumentSummary } from '../library.ts';

export interface PassageJson {
  documentId: string;
  title: string;
  /** 1-based paragraph number in the document. */
  paragraph: number;
  section: string;
  /** Exactly `documentText.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  score: number;
  /** Offsets into `text`. */
  highlights: Range[];
  /**
   * Added with the semantic stage (SEMANTIC=on, the default): the cosine of the question with the
   * passage's best sentence or the passage whole, whichever is nearer; part of `score`. Absent when the passage was ranked by its words only.
   */
  semantic?: number;
}

export interface AskResultJson {
  question: string;
  answered: boolean;
  /** Present only when `answered` is false. */
  reason?: NoAnswerReason;
  passages: PassageJson[];
}

/** A question of a batch that could not be asked (too long, say): the line stays, with the error. */
export interface AskErrorJson {
  question: string;
  answered: false;
  passages: [];
  error: { code: string; message: string };
}

export function passageToJson(passage: Passage): PassageJson {
  return {
    documentId: passage.documentId,
    title: passage.source.title,
    paragraph: passage.paragraph,
    section: passage.section,
    text: passage.text,
    start: passage.start,
    end: passage.end,
    score: passage.score,
    highlights: passage.highlights.map(([start, end]): Range => [start, end]),
    ...(passage.semantic === undefined ? {} : { semantic: passage.semantic }),
  };
}

export function askResultToJson(result: AskResult): AskResultJson {
  const json: AskResultJson = { question: result.question, answered: result.answered, passages: [] };
  if (!result.answered) json.reason = result.reason ?? 'no-match';
  json.passages = result.passages.map(passageToJson);
  return json;
}

export function askErrorToJson(question: string, code: string, message: string): AskErrorJson {
  return { question, answered: false, passages: [], error: { code, message } };
}

export interface DocumentJson {
  id: string;
  scope: string;
  title: string;
  publisher: string;
  date: string;
  dateEstimated: boolean;
  url: string;
  language: string;
  paragraphs: number;
  characters: number;
  sections: string[];
  added?: { userId: string; userName: string; at: string };
  updated?: { userId: string; userName: string; at: string };
}

export function documentToJson(summary: DocumentSummary): DocumentJson {
  const { meta } = summary;
  const json: DocumentJson = {
    id: meta.id,
    scope: meta.scope,
    title: meta.title,
    publisher: meta.publisher,
    date: meta.date,
    dateEstimated: meta.dateEstimated,
    url: meta.url,
    language: meta.language,
    paragraphs: summary.paragraphs,
    characters: summary.characters,
    sections: [...summary.sections],
  };
  if (meta.added) json.added = { ...meta.added };
  if (meta.updated) json.updated = { ...meta.updated };
  return json;
}
