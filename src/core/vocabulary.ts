/**
 * The terms the index knows, as small integer ids, with how many index entries contain each. Ids let
 * the per-paragraph records be compact typed arrays; document frequencies give the IDF weights that
 * the re-ranking and the no-answer rule use.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private frequencies = new Uint32Array(1024);
  /** Index entries counted in the document frequencies. */
  entryCount = 0;

  /** How many terms have an id (ids run from 0 to size - 1). */
  get size(): number {
    return this.terms.length;
  }

  /** The id of `term`, adding it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id >= this.frequencies.length) {
        const grown = new Uint32Array(this.frequencies.length * 2);
        grown.set(this.frequencies);
        this.frequencies = grown;
      }
    }
    return id;
  }

  /** The id of `term`, or -1 when no document ever contained it. */
  find(term: string): number {
    return this.ids.get(term) ?? -1;
  }

  term(id: number): string {
    return this.terms[id] ?? '';
  }

  /** How many live entries contain the term. */
  documentFrequency(id: number): number {
    return id < 0 ? 0 : (this.frequencies[id] ?? 0);
  }

  /** Counts one entry with these distinct term ids in (`delta` 1) or out (`delta` -1). */
  count(distinctIds: Uint32Array, delta: 1 | -1): void {
    for (const id of distinctIds) this.frequencies[id] = (this.frequencies[id] ?? 0) + delta;
    this.entryCount += delta;
  }

  /**
   * BM25's IDF: rare terms weigh more. A term no entry contains gets the highest weight, so a question
   * about something the corpus never mentions cannot look well covered.
   */
  idf(id: number): number {
    const df = this.documentFrequency(id);
    return Math.log(1 + (this.entryCount - df + 0.5) / (df + 0.5));
  }
}
