/**
 * `npm run cli -- ...`: the --json contract, batch mode, bad input and the document commands. Most cases
 * run in-process (the same runCli the binary calls); a few run the real binary to prove the wiring:
 * exit codes, stdout holding only results, one-line errors on stderr.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResultJson } from '../../src/cli/json.ts';
import { repoRoot, runInProcess, runProcess, type Outcome } from './run-cli.ts';
import { PASSAGE_JSON_FIELDS } from '../helpers/json-contract.ts';

const QUESTION = 'Who did the British civil servants meet in China?';
const SERVER = '123456789012345678';
/** The start of every terminal styling code. */
const ANSI = '\u001b[';

let temp: string;
let env: Record<string, string>;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'verbatim-cli-'));
  env = { DISCORD_TOKEN: '', DISCORD_GUILD_ID: '', DATA_DIR: join(temp, 'data'), LOG_LEVEL: 'silent' };
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

const corpusText = new Map<string, string>();
async function shippedText(id: string): Promise<string> {
  if (!corpusText.has(id)) corpusText.set(id, await readFile(join(repoRoot, 'corpus', `${id}.txt`), 'utf8'));
  return corpusText.get(id) as string;
}

/** Every passage is the exact slice of its shipped document, and its highlights lie inside it. */
async function expectVerbatim(result: AskResultJson): Promise<void> {
  for (const passage of result.passages) {
    expect(passage.text).toBe((await shippedText(passage.documentId)).slice(passage.start, passage.end));
    expect(passage.paragraph).toBeGreaterThanOrEqual(1);
    for (const [start, end] of passage.highlights) {
      expect(0 <= start && start < end && end <= passage.text.length).toBe(true);
    }
  }
}

function expectOneLineError(outcome: Outcome, code: number, message: RegExp): void {
  expect(outcome.code).toBe(code);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe('the real binary', () => {
  it('answers ask --json with one JSON line quoting the NS Tech report verbatim', async () => {
    const outcome = await runProcess('src/cli/main.ts', ['ask', '--json', QUESTION], env);
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as AskResultJson;
    expect(result.question).toBe(QUESTION);
    expect(result.answered).toBe(true);
    expect(result.passages[0]?.documentId).toBe('ns-tech-china-trip');
    expect(result.passages[0]?.title).toMatch(/civil servants|UK government/i);
    for (const passage of result.passages) {
      expect(Object.keys(passage)).toEqual(PASSAGE_JSON_FIELDS);
    }
    await expectVerbatim(result);
  });

  // One spawn answers every awkward question: batch mode writes one JSON line per non-blank input line.
  const batch: Array<[string, string, (result: AskResultJson & { error?: { code: string } }) => void]> = [
    [
      'the example question',
      QUESTION,
      (result) => expect(result.passages[0]?.documentId).toBe('ns-tech-china-trip'),
    ],
    [
      'only stop words',
      'what is the of and to',
      (result) => expect(result).toMatchObject({ answered: false, reason: 'no-searchable-words' }),
    ],
    [
      'punctuation',
      '?!.,;:…',
      (result) => expect(result).toMatchObject({ answered: false, reason: 'no-searchable-words' }),
    ],
    [
      'emoji',
      '🙂🔥🇨🇳',
      (result) => expect(result).toMatchObject({ answered: false, reason: 'no-searchable-words' }),
    ],
    [
      'regex metacharacters',
      '(.*+?[',
      (result) => expect(result).toMatchObject({ answered: false, reason: 'no-searchable-words' }),
    ],
    ['Chinese', '英国公务员在中国见了谁？', (result) => expect(result.answered).toBe(false)],
    [
      'French',
      'Qui les fonctionnaires britanniques ont-ils rencontré en Chine ?',
      (result) => expect(result).toMatchObject({ answered: false, reason: 'no-match', passages: [] }),
    ],
    [
      'a 10,000-character question',
      'why '.repeat(2500),
      (result) => expect(result.error?.code).toBe('QUESTION_TOO_LONG'),
    ],
    [
      'regex metacharacters around words',
      'Tencent (.*+?[ WeChat',
      (result) => expect(result.passages.length).toBeGreaterThan(0),
    ],
  ];

  it('answers one question per line in batch mode, each line on its own, and exits 1 when a line failed', async () => {
    const input = `${batch.map(([, question]) => question).join('\n\n   \n')}\n`;
    const outcome = await runProcess('src/cli/main.ts', ['ask', '--json', '--limit', '2'], env, input);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(batch.length);
    for (const [index, [name, question, check]] of batch.entries()) {
      const result = JSON.parse(lines[index] as string) as AskResultJson & { error?: { code: string } };
      expect(result.question, name).toBe(question);
      expect(result.passages.length, name).toBeLessThanOrEqual(2);
      if (!result.answered && result.error === undefined)
        expect(result.reason, name).toMatch(/^(no-searchable-words|no-match|weak-match)$/);
      check(result);
      await expectVerbatim(result);
    }
  });

  it('refuses an unknown command with one line on stderr and exit 1', async () => {
    expectOneLineError(
      await runProcess('src/cli/main.ts', ['frobnicate'], env),
      1,
      /^Unknown command "frobnicate"\. Commands: ask, list/,
    );
  });

  it('hands eval its arguments unchanged, and its exit code back', async () => {
    expectOneLineError(
      await runProcess('src/cli/main.ts', ['eval', '--no-such-flag'], env),
      1,
      /^eval: .*--no-such-flag/,
    );
  });
});

describe('ask in text mode', () => {
  it('prints the quote exactly, with its source and no styling codes when stdout is not a TTY', async () => {
    const json = JSON.parse(
      (await runInProcess(['ask', '--json', '--limit', '1', QUESTION], env)).stdout,
    ) as AskResultJson;
    const passage = json.passages[0];
    if (passage === undefined) throw new Error('no passage');
    const outcome = await runInProcess(['ask', '--limit', '1', QUESTION], env);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`“${passage.text}”\n  — ${passage.title} — NS Tech`);
    expect(outcome.stdout).toMatch(/· ¶\d+/);
    expect(outcome.stdout).not.toContain(ANSI);
  });

  it('applies the shipped glossary: "Uyghur", a spelling the corpus never uses, finds what it says of Uighurs', async () => {
    const outcome = await runInProcess(['ask', '--json', '--no-semantic', 'Uyghur repression'], env);
    expect(outcome.code).toBe(0);
    const result = JSON.parse(outcome.stdout) as AskResultJson;
    expect(result.answered).toBe(true);
    await expectVerbatim(result);
    const best = result.passages[0];
    const marked = (best?.highlights ?? []).map(([start, end]) => best?.text.slice(start, end)).join(' ');
    expect(marked).toMatch(/Turkic Muslims|Uighur/);
    expect(best?.text).not.toContain('Uyghur');
  });

  it('says plainly when the corpus has no answer, and where to look', async () => {
    const outcome = await runInProcess(['ask', 'the and of'], env);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^The sources do not answer this: .*npm run cli -- list/);
  });

  it('answers piped questions in text mode block by block', async () => {
    const outcome = await runInProcess(['ask'], env, `${QUESTION}\nthe and of\n`);
    expect(outcome.code).toBe(0);
    const blocks = outcome.stdout.trimEnd().split(/\n\n(?=\? )/);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(new RegExp(`^\\? ${QUESTION.replace('?', '\\?')}\\n“`));
    expect(blocks[1]).toMatch(/^\? the and of\nThe sources do not answer this/);
  });
});

describe('bad input', () => {
  let folders: { binary: string; text: string };
  beforeAll(async () => {
    folders = { binary: join(temp, 'binary-corpus'), text: join(temp, 'text-corpus') };
    await mkdir(folders.binary);
    await mkdir(folders.text);
    await writeFile(join(folders.binary, 'notes.txt'), 'Plain words about otters.\n');
    await writeFile(
      join(folders.binary, 'photo.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]),
    );
  });

  it.each([
    ['an empty question', ['ask', ''], /question/i],
    ['a whitespace question', ['ask', '   \t  '], /question/i],
    ['a 10,000-character question', ['ask', 'x'.repeat(10_000)], /question/i],
    ['an unknown command', ['frobnicate'], /^Unknown command "frobnicate"/],
    ['no command', [], /^No command given/],
    ['an unknown flag', ['ask', '--verbose', QUESTION], /^Unknown option --verbose\. Usage: ask /],
    ['a flag without its value', ['ask', QUESTION, '--limit'], /^Option --limit needs a value/],
    [
      '--limit 0',
      ['ask', '--limit', '0', QUESTION],
      /^--limit must be a whole number from 1 to 20, not "0"\./,
    ],
    [
      '--limit abc',
      ['ask', '--limit', 'abc', QUESTION],
      /^--limit must be a whole number from 1 to 20, not "abc"\./,
    ],
    ['a bad --server', ['list', '--server', 'general'], /^--server must be a Discord server id/],
    ['a binary file in --corpus', ['ask', '--corpus', '<binary>', 'otters'], /photo\.txt/],
    ['a missing --corpus folder', ['ask', '--corpus', '<missing>', 'otters'], /does not exist/],
    ['an unknown document', ['show', 'no-such-document'], /no-such-document/],
    ['show without an id', ['show'], /^Missing <id>/],
    ['add without --server', ['add', 'notes.txt'], /^add needs --server/],
    ['add of a missing file', ['add', '<missing>', '--server', SERVER], /^Cannot read ".*": no such file\./],
    [
      'add --url of a loopback address',
      ['add', '--url', 'http://127.0.0.1:9/notes', '--server', SERVER],
      /^http:\/\/127\.0\.0\.1:9\/notes leads to a private or local network address \(127\.0\.0\.1\), which the bot never fetches from/,
    ],
    ['add with neither file nor --url', ['add', '--server', SERVER], /^Missing <file> \(or give --url\)/],
    [
      'removing a shipped document',
      ['remove', 'ns-tech-china-trip', '--server', SERVER],
      /ns-tech-china-trip/,
    ],
  ])('%s: one line on stderr, exit 1', async (_case, args, message) => {
    const resolved = args.map((arg) =>
      arg === '<binary>' ? folders.binary : arg === '<missing>' ? join(temp, 'missing') : arg,
    );
    expectOneLineError(await runInProcess(resolved, env), 1, message);
  });

  it('indexes a folder of text files with --corpus instead of the shipped corpus', async () => {
    await writeFile(
      join(folders.text, 'otters.md'),
      '# Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n',
    );
    await writeFile(join(folders.text, 'ignored.bin'), Buffer.from([0, 1, 2, 3]));
    const listed = await runInProcess(['list', '--json', '--corpus', folders.text], env);
    expect(
      (JSON.parse(listed.stdout) as { documents: Array<{ id: string }> }).documents.map(
        (document) => document.id,
      ),
    ).toEqual(['otters']);
    const asked = await runInProcess(
      ['ask', '--json', '--corpus', folders.text, 'Why do otters hold hands?'],
      env,
    );
    const result = JSON.parse(asked.stdout) as AskResultJson;
    expect(result.passages[0]?.text).toBe(
      'Sea otters hold hands while they sleep so they do not drift apart.',
    );
  });
});

describe('a bug', () => {
  const failing = () => Promise.reject(new Error('index exploded\n    at somewhere (file.ts:1:1)'));

  it.each([
    ['info', false],
    ['debug', true],
  ])('at LOG_LEVEL=%s is one short line on stderr (stack: %s) and exit 2', async (level, withStack) => {
    const outcome = await runInProcess(['list'], { ...env, LOG_LEVEL: level }, '', failing);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(
      /^Unexpected error: index exploded\. This is a bug; run with LOG_LEVEL=debug for details\.\n/,
    );
    expect(outcome.stderr.includes('\n    at ')).toBe(withStack);
  });
});

describe('list and show', () => {
  it('lists the five shipped documents, as text and as JSON', async () => {
    const json = JSON.parse((await runInProcess(['list', '--json'], env)).stdout) as {
      documents: Array<{ id: string; paragraphs: number }>;
    };
    expect(json.documents.map((document) => document.id).sort()).toEqual([
      'amnesty-2015-internet-repression',
      'hrw-tencent-bytedance',
      'hrw-xinjiang-companies',
      'ns-tech-china-trip',
      'un-tencent-partnership',
    ]);
    const text = await runInProcess(['list'], env);
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(text.stdout).toMatch(/^ns-tech-china-trip +.+ · \d+ paragraphs$/m);
  });

  it('shows one document', async () => {
    const outcome = await runInProcess(['show', 'ns-tech-china-trip'], env);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^ {2}id: +ns-tech-china-trip$/m);
    expect(outcome.stdout).toMatch(/^ {2}publisher: +NS Tech$/m);
    const json = JSON.parse((await runInProcess(['show', 'ns-tech-china-trip', '--json'], env)).stdout) as {
      id: string;
      sections: string[];
    };
    expect(json.id).toBe('ns-tech-china-trip');
    expect(json.sections).toContain('AI ethics');
  });
});

describe('a server’s own documents, managed from the terminal', () => {
  it('adds a folder and a further file, one line each, and exits 1 when one was skipped', async () => {
    const folder = join(temp, 'bulk');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'kettle.txt'),
      'Kettle rota\n\nThe office kettle is descaled on the first Monday of each month.\n',
    );
    await writeFile(
      join(folder, 'bins.md'),
      '# Bin days\n\nRecycling bins go out on Tuesday night for the Wednesday round.\n',
    );
    await writeFile(join(folder, 'notes.bin'), 'not a document, and not read');
    const empty = join(temp, 'empty.txt');
    await writeFile(empty, '   \n');
    const outcome = await runInProcess(['add', folder, empty, '--server', SERVER], env);
    expect(outcome.stdout.split('\n').filter(Boolean)).toEqual([
      `Added bins: bins (from ${join(folder, 'bins.md')}).`,
      `Added kettle: kettle (from ${join(folder, 'kettle.txt')}).`,
      expect.stringMatching(new RegExp(`^Skipped ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `)),
    ]);
    expect(outcome.code).toBe(1);
  });

  it('adds, finds, updates and removes a document under DATA_DIR', async () => {
    const file = join(temp, 'canteen.txt');
    await writeFile(
      file,
      'Canteen rules\n\nThe canteen serves dumplings every Thursday from noon until two.\n',
    );
    const added = await runInProcess(
      ['add', file, '--server', SERVER, '--title', 'Canteen rules', '--publisher', 'Staff office', '--json'],
      env,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: string };

    const ask = (question: string, server: string[]) =>
      runInProcess(['ask', '--json', ...server, question], env);
    const found = JSON.parse(
      (await ask('When are dumplings served in the canteen?', ['--server', SERVER])).stdout,
    ) as AskResultJson;
    expect(found.passages[0]).toMatchObject({
      documentId: id,
      text: 'The canteen serves dumplings every Thursday from noon until two.',
    });
    const elsewhere = JSON.parse(
      (await ask('When are dumplings served in the canteen?', [])).stdout,
    ) as AskResultJson;
    expect(elsewhere.passages.map((passage) => passage.documentId)).not.toContain(id);

    await writeFile(file, 'Canteen rules\n\nThe canteen serves noodles every Friday.\n');
    expect((await runInProcess(['update', id, file, '--server', SERVER], env)).code).toBe(0);
    const updated = JSON.parse(
      (await ask('What does the canteen serve on Friday?', ['--server', SERVER])).stdout,
    ) as AskResultJson;
    expect(updated.passages[0]).toMatchObject({
      documentId: id,
      text: 'The canteen serves noodles every Friday.',
    });

    expect(await runInProcess(['remove', id, '--server', SERVER], env)).toMatchObject({
      code: 0,
      stdout: `Removed ${id}.\n`,
    });
    expectOneLineError(await runInProcess(['show', id, '--server', SERVER], env), 1, new RegExp(id));
  });
});
