/**
 * The synonym table questions are expanded with (WordNet's frequent senses, see tools/build-synonyms.ts),
 * parsed on first use. Keys and values are index terms, so a lookup needs no further analysis.
 */
import { SYNONYM_LINES } from './synonym-data.ts';

let table: Map<string, readonly string[]> | undefined;

function parse(): Map<string, readonly string[]> {
  const parsed = new Map<string, readonly string[]>();
  for (const line of SYNONYM_LINES.split('\n')) {
    const [term, ...synonyms] = line.split(' ');
    if (term !== undefined && synonyms.length > 0) parsed.set(term, synonyms);
  }
  return parsed;
}

const NONE: readonly string[] = [];

/** The synonyms of an index term (never the term itself), most of them rarer words; empty when none. */
export function synonymsOf(term: string): readonly string[] {
  table ??= parse();
  return table.get(term) ?? NONE;
}
