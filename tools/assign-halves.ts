/**
 * `npx tsx tools/assign-halves.ts` — gives every question of src/eval/questions.json that has no `half` yet
 * one: within its kind, the half that has fewer questions, a tie broken by the first byte of sha256(id).
 * Questions that already have a half keep it, so adding questions never moves a tuned-on question into the
 * test half (or back). Deterministic: the same file gives the same halves.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../src/eval/questions.json', import.meta.url);

interface Entry {
  id: string;
  kind: string;
  half?: 'tune' | 'test';
  [field: string]: unknown;
}

const file = JSON.parse(readFileSync(FILE, 'utf8')) as { about: string; questions: Entry[] };
const counts = new Map<string, { tune: number; test: number }>();
const countOf = (kind: string) => {
  let count = counts.get(kind);
  if (count === undefined) counts.set(kind, (count = { tune: 0, test: 0 }));
  return count;
};
for (const entry of file.questions) if (entry.half !== undefined) countOf(entry.kind)[entry.half] += 1;
let assigned = 0;
for (const entry of file.questions) {
  if (entry.half !== undefined) continue;
  const count = countOf(entry.kind);
  const byte = createHash('sha256').update(entry.id).digest()[0] ?? 0;
  const half =
    count.tune === count.test
      ? byte % 2 === 0
        ? 'tune'
        : 'test'
      : count.tune < count.test
        ? 'tune'
        : 'test';
  entry.half = half;
  count[half] += 1;
  assigned += 1;
}
// Key order as the file keeps it: id, question, kind, half, answers.
file.questions = file.questions.map(({ id, question, kind, half, answers }) => ({
  id,
  question,
  kind,
  half,
  answers,
}));
// Each answer on one line, as the file was written by hand (prettier keeps it so).
const text = JSON.stringify(file, null, 2).replace(
  /\{\n\s+"documentId": ("[^"]*"),\n\s+"quote": ("(?:[^"\\]|\\.)*")\n\s+\}/g,
  '{ "documentId": $1, "quote": $2 }',
);
writeFileSync(FILE, `${text}\n`);
process.stdout.write(
  `${assigned} questions given a half; per kind ${[...counts].map(([kind, c]) => `${kind} ${c.tune}/${c.test}`).join(', ')}\n`,
);
