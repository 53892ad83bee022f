/**
 * The benchmark corpora. `2k` is SQuAD v1.1 dev as it is (each article one document, its contexts as
 * paragraphs joined by blank lines). Larger sizes are generated deterministically from the same text:
 * the dev contexts' sentences are drawn with a seeded generator into new paragraphs whose sentence counts
 * follow the dev contexts', grouped into documents whose paragraph counts follow the dev articles'.
 * Generated corpora are cached under bench/data/ (git-ignored) and rebuilt when missing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pick, seededRandom, shuffled } from './random.ts';

/** Bump when the generator changes, so stale caches are not reused. */
const GENERATOR_VERSION = 1;
const CORPUS_SEED = 20_250_101;
const LARGE_DOCUMENT_SEED = 5_000_005;
const QUESTION_SEED = 1_011;
/** The document added during queries in the event-loop stall measurement. */
export const LARGE_DOCUMENT_BYTES = 5_000_000;

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const SQUAD_FILE = fileURLToPath(new URL('../../shared/data/dev-v1.1.json', import.meta.url));

export interface BenchDocument {
  id: string;
  title: string;
  /** Paragraphs separated by one blank line. */
  text: string;
}

export interface BenchCorpus {
  /** The size label the user asked for: `2k`, `20k`, `100k`. */
  label: string;
  origin: 'squad-dev' | 'generated';
  documents: BenchDocument[];
  paragraphCount: number;
  characters: number;
}

/** A corpus size from the command line: `2k` is SQuAD dev itself; `20k`, `100k`, `50000`... are generated. */
export interface CorpusSize {
  label: string;
  /** Paragraphs to generate; undefined for SQuAD dev itself. */
  generatedParagraphs: number | undefined;
}

export function parseSize(text: string): CorpusSize {
  const match = /^(\d+)(k?)$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size such as 2k, 20k or 100k`);
  const label = text.trim().toLowerCase();
  const paragraphs = Number(match[1]) * (match[2] ? 1000 : 1);
  if (label === '2k') return { label, generatedParagraphs: undefined };
  if (paragraphs < 1) throw new Error(`--sizes: "${text}" must be at least 1 paragraph`);
  return { label, generatedParagraphs: paragraphs };
}

interface SquadFile {
  data: Array<{ title: string; paragraphs: Array<{ context: string; qas: Array<{ question: string }> }> }>;
}

/** Parsed afresh each time rather than cached, so a measuring process holds only what it asked for. */
function readSquad(): SquadFile {
  return JSON.parse(readFileSync(SQUAD_FILE, 'utf8')) as SquadFile;
}

/** Splits a document's text into the paragraphs plain MiniSearch indexes (blank-line separated). */
export function paragraphsOf(text: string): string[] {
  return text.split(/\n[ \t]*\n/).filter((paragraph) => paragraph.trim() !== '');
}

function corpusOf(label: string, origin: BenchCorpus['origin'], documents: BenchDocument[]): BenchCorpus {
  let paragraphCount = 0;
  let characters = 0;
  for (const document of documents) {
    paragraphCount += paragraphsOf(document.text).length;
    characters += document.text.length;
  }
  return { label, origin, documents, paragraphCount, characters };
}

function squadCorpus(): BenchCorpus {
  const documents = readSquad().data.map((article, index) => ({
    id: `squad-${String(index + 1).padStart(2, '0')}`,
    title: article.title.replace(/_/g, ' '),
    text: article.paragraphs.map((paragraph) => paragraph.context).join('\n\n'),
  }));
  return corpusOf('2k', 'squad-dev', documents);
}

/** Sentences of the dev contexts, plus the dev distributions the generator samples from. */
interface SentencePool {
  sentences: string[];
  sentencesPerParagraph: number[];
  paragraphsPerArticle: number[];
}

function sentencePool(): SentencePool {
  const sentences: string[] = [];
  const sentencesPerParagraph: number[] = [];
  const paragraphsPerArticle: number[] = [];
  for (const article of readSquad().data) {
    paragraphsPerArticle.push(article.paragraphs.length);
    for (const { context } of article.paragraphs) {
      // A plain rule is enough here: the generated text only has to look like the dev text statistically.
      const parts = context
        .replace(/\s+/g, ' ')
        .trim()
        .split(/(?<=[.!?]["')\]]?)\s+(?=["'([]?[A-Z0-9])/);
      sentences.push(...parts);
      sentencesPerParagraph.push(parts.length);
    }
  }
  return { sentences, sentencesPerParagraph, paragraphsPerArticle };
}

function generatedParagraph(random: () => number, pool: SentencePool): string {
  const count = pick(random, pool.sentencesPerParagraph);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(pick(random, pool.sentences));
  return sentences.join(' ');
}

function generateDocuments(label: string, paragraphs: number, seed: number): BenchDocument[] {
  const random = seededRandom(seed);
  const pool = sentencePool();
  const documents: BenchDocument[] = [];
  let remaining = paragraphs;
  while (remaining > 0) {
    const count = Math.min(remaining, pick(random, pool.paragraphsPerArticle));
    const body: string[] = [];
    for (let i = 0; i < count; i++) body.push(generatedParagraph(random, pool));
    const number = documents.length + 1;
    documents.push({
      id: `gen-${label}-${number}`,
      title: `Generated article ${number}`,
      text: body.join('\n\n'),
    });
    remaining -= count;
  }
  return documents;
}

function writeAtomically(path: string, content: string): void {
  mkdirSync(DATA_DIR, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function corpusFile(size: CorpusSize): string {
  return `${DATA_DIR}corpus-${size.label}-seed${CORPUS_SEED}-v${GENERATOR_VERSION}.json`;
}

/** Generates and caches the corpus if it is not cached yet; returns true when it had to be generated. */
export function ensureCorpus(size: CorpusSize): boolean {
  if (size.generatedParagraphs === undefined) return false;
  const file = corpusFile(size);
  if (existsSync(file)) return false;
  const documents = generateDocuments(
    size.label,
    size.generatedParagraphs,
    CORPUS_SEED + size.generatedParagraphs,
  );
  writeAtomically(file, JSON.stringify(documents));
  return true;
}

/** Loads a corpus; generated ones must have been made by `ensureCorpus` first. */
export function loadCorpus(size: CorpusSize): BenchCorpus {
  if (size.generatedParagraphs === undefined) return squadCorpus();
  const documents = JSON.parse(readFileSync(corpusFile(size), 'utf8')) as BenchDocument[];
  return corpusOf(size.label, 'generated', documents);
}

function largeDocumentFile(): string {
  return `${DATA_DIR}large-document-${LARGE_DOCUMENT_BYTES}-seed${LARGE_DOCUMENT_SEED}-v${GENERATOR_VERSION}.txt`;
}

/** A ~5 MB document of generated paragraphs (same generator), cached like the corpora. */
export function ensureLargeDocument(): void {
  const file = largeDocumentFile();
  if (existsSync(file)) return;
  const random = seededRandom(LARGE_DOCUMENT_SEED);
  const pool = sentencePool();
  const paragraphs: string[] = [];
  let bytes = 0;
  while (bytes < LARGE_DOCUMENT_BYTES) {
    const paragraph = generatedParagraph(random, pool);
    paragraphs.push(paragraph);
    bytes += Buffer.byteLength(paragraph) + 2;
  }
  writeAtomically(file, paragraphs.join('\n\n'));
}

export function loadLargeDocument(): string {
  return readFileSync(largeDocumentFile(), 'utf8');
}

/** Every SQuAD dev question, in one fixed shuffled order (so a prefix is a fair sample). */
export function squadQuestions(): string[] {
  const questions = readSquad().data.flatMap((article) =>
    article.paragraphs.flatMap((paragraph) => paragraph.qas.map((qa) => qa.question)),
  );
  return shuffled(seededRandom(QUESTION_SEED), questions);
}

/** How the corpora were made, for the table's header. */
export function corpusDescription(): string {
  return (
    '2k = SQuAD v1.1 dev as is (48 articles, contexts as paragraphs); larger sizes are GENERATED from the dev text: ' +
    `sentences of the dev contexts drawn at random (seed ${CORPUS_SEED}+size) into new paragraphs with the dev ` +
    'sentence-count distribution, grouped into documents with the dev paragraphs-per-article distribution. ' +
    'Questions: SQuAD dev questions for every size.'
  );
}

/**
 * Writes the corpus as a folder of .txt files, one per document, for the Library's `corpusFolder` option
 * (the terminal's `--corpus DIR`), so the Library and the bot can be measured on the same paragraphs.
 */
export function writeCorpusFolder(corpus: BenchCorpus, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const document of corpus.documents) writeFileSync(join(dir, `${document.id}.txt`), document.text);
}
