/**
 * The fields of one passage in `--json` output, in order, as README documents them. Written out here rather
 * than taken from src/cli/json.ts, so that a change to the contract has to change a test.
 */
export const PASSAGE_JSON_FIELDS = [
  'documentId',
  'title',
  'paragraph',
  'section',
  'text',
  'start',
  'end',
  'score',
  'highlights',
] as const;

/** Added after them when the semantic stage scored the passage (README: `--json`). */
export const SEMANTIC_JSON_FIELD = 'semantic';
