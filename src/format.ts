/**
 * Words the terminal and Discord both show, written once so the two cannot drift: dates, paragraph
 * labels, the parts of a passage's source line and why a question got no answer. Plain text: each front
 * end escapes (Discord) or styles (terminal) what it takes from here.
 */
import type { DocumentMeta, NoAnswerReason, Passage } from './core/index.ts';

/** `2019-05-08`, or `2019 (estimated)` when the date was inferred; '' when unknown. */
export function formatDate(meta: Pick<DocumentMeta, 'date' | 'dateEstimated'>): string {
  if (meta.date === '') return '';
  return meta.dateEstimated ? `${meta.date} (estimated)` : meta.date;
}

/** `¶3`, or `¶3 (part 2 of 4)` for a long paragraph that was split. */
export function paragraphLabel(passage: Pick<Passage, 'paragraph' | 'part' | 'parts'>): string {
  return passage.parts > 1
    ? `¶${passage.paragraph} (part ${passage.part} of ${passage.parts})`
    : `¶${passage.paragraph}`;
}

/** What a source line names, each part '' when unknown: `title — by · section · label`, then url. */
export interface Attribution {
  title: string;
  /** Publisher and date, in that order, those that are known. */
  by: string[];
  /** '' when none, or when it only repeats the title (a capture's title line is often its first heading). */
  section: string;
  label: string;
  url: string;
}

/** A publisher that names no one ("Unknown"): printing it tells the reader nothing. */
const NO_PUBLISHER = /^\s*unknown\s*$/i;

/** The publisher to print, or '' when it is unknown. */
export function knownPublisher(publisher: string | undefined): string {
  return publisher === undefined || NO_PUBLISHER.test(publisher) ? '' : publisher;
}

/** Titles and sections compared as a reader would: case and runs of white space do not count. */
function sameHeading(a: string, b: string): boolean {
  const norm = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

export function attributionOf(
  passage: Pick<Passage, 'source' | 'documentId' | 'section' | 'paragraph' | 'part' | 'parts'>,
): Attribution {
  const { source } = passage;
  const title = source.title || passage.documentId;
  return {
    title,
    by: [knownPublisher(source.publisher), formatDate(source)].filter((part) => part !== ''),
    section: sameHeading(passage.section, title) ? '' : passage.section,
    label: paragraphLabel(passage),
    url: source.url,
  };
}

const noAnswerWhy: Record<NoAnswerReason, string> = {
  'no-searchable-words': 'the question has no words to search on (only common words, punctuation or symbols)',
  'no-match': 'nothing in them matches the question',
  'weak-match': 'nothing in them matches enough of the question to quote',
};

/** `The sources do not answer <question>: <why>.`, `question` as the front end shows it. */
export function noAnswerSentence(reason: NoAnswerReason | undefined, question: string): string {
  return `The sources do not answer ${question}: ${noAnswerWhy[reason ?? 'no-match']}.`;
}
