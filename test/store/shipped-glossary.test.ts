/**
 * corpus/glossary.json is data tested like code: it loads, every entry passes the checks moderators'
 * entries pass, and every entry is about the shipped documents' own words (the side it adds is in them).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SearchEngine, VerbatimError } from '../../src/core/index.ts';
import { DEFAULT_CORPUS_DIR, loadShippedCorpus } from '../../src/store/corpus.ts';
import { loadShippedGlossary } from '../../src/store/shipped-glossary.ts';

describe('the shipped glossary', () => {
  it('holds checked entries whose added words the shipped documents contain', async () => {
    const entries = await loadShippedGlossary(DEFAULT_CORPUS_DIR);
    expect(entries.length).toBeGreaterThan(0);
    const engine = new SearchEngine();
    for (const document of await loadShippedCorpus()) engine.add(document);
    const inCorpus = (text: string) => engine.explain(text).terms.every((term) => term.documentFrequency > 0);
    const seen = new Set<string>();
    for (const entry of entries) {
      expect(engine.checkGlossaryEntry(entry)).toEqual(entry);
      const key = `${entry.term.toLowerCase()}→${entry.means.toLowerCase()}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      const adds = entry.bothWays ? inCorpus(entry.means) || inCorpus(entry.term) : inCorpus(entry.means);
      expect(adds, `${entry.term} → ${entry.means}`).toBe(true);
    }
  });

  it('is optional in a corpus folder, and a broken one is refused naming the entry and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-glossary-file-'));
    try {
      expect(await loadShippedGlossary(dir)).toEqual([]);
      await writeFile(
        join(dir, 'glossary.json'),
        JSON.stringify({ note: '', entries: [{ term: 'UN', means: '', bothWays: true, why: 'x' }] }),
      );
      const error = await loadShippedGlossary(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VerbatimError);
      expect((error as VerbatimError).message).toBe(
        `${join(dir, 'glossary.json')}: field "entries.0.means": must not be empty`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
