/**
 * The terminal with the semantic stage, for real (the sentence encoder in its worker, the shipped
 * corpus's shipped vectors): a question in a member's own words is answered, `--json` keeps its contract
 * and adds a `semantic` score, and `--no-semantic` answers by words alone.
 */
import { describe, expect, it } from 'vitest';
import { loadShippedCorpus } from '../../src/store/corpus.ts';
import { PASSAGE_JSON_FIELDS, SEMANTIC_JSON_FIELD } from '../helpers/json-contract.ts';
import { runInProcess } from './run-cli.ts';

const QUESTION = 'did tencent hide info about the virus at the start';
// The deadline at its most: this tests the stage, not how a busy machine meets the default deadline.
const ON = { SEMANTIC: 'on', SEMANTIC_DEADLINE_MS: '2000' };

describe('npm run cli -- ask with the semantic stage', () => {
  it('answers a question that shares no word with its answer, quoting it verbatim with a semantic score', async () => {
    const outcome = await runInProcess(['ask', '--json', '--limit', '1', QUESTION], ON);
    expect(outcome.stderr).toBe('');
    const result = JSON.parse(outcome.stdout) as {
      answered: boolean;
      passages: Array<
        Record<string, unknown> & { documentId: string; text: string; start: number; end: number }
      >;
    };
    expect(result.answered).toBe(true);
    const [passage] = result.passages;
    expect(Object.keys(passage ?? {})).toEqual([...PASSAGE_JSON_FIELDS, SEMANTIC_JSON_FIELD]);
    expect(passage?.text).toContain('information about the disease');
    expect(passage?.semantic).toBeGreaterThan(0.4);
    const documents = await loadShippedCorpus();
    const text = documents.find((document) => document.meta.id === passage?.documentId)?.text ?? '';
    expect(text.slice(passage?.start, passage?.end)).toBe(passage?.text);
  }, 30_000);

  it('answers by words alone with --no-semantic (here: nothing matches well enough)', async () => {
    const outcome = await runInProcess(['ask', '--json', '--no-semantic', QUESTION], ON);
    expect(JSON.parse(outcome.stdout)).toMatchObject({ answered: false, passages: [] });
  });

  it('refuses --semantic with --no-semantic in one sentence', async () => {
    const outcome = await runInProcess(['ask', '--semantic', '--no-semantic', QUESTION], ON);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toBe('Give --semantic or --no-semantic, not both.');
  });
});
