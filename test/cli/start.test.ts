/**
 * `npm start` without DISCORD_TOKEN: the interactive terminal mode, driven through a pipe (so stdin is
 * not a TTY and the output must be plain text) in one real process.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPL_HELP, runRepl } from '../../src/cli/repl.ts';
import { stripStyle } from '../../src/cli/style.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { repoRoot, runProcess } from './run-cli.ts';

const QUESTION = 'Who did the British civil servants meet in China?';
/** The start of every terminal styling code. */
const ANSI = '\u001b[';

describe('npm start without a Discord token', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'verbatim-start-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('says how to connect Discord, then answers questions and commands from the shipped corpus', async () => {
    const input = [
      QUESTION,
      '/source',
      '/source ns-tech-china-trip',
      '/source nothing-here',
      '/ask',
      '/dance',
      '/help',
      '/quit',
      'asked after quitting',
    ].join('\n');
    const outcome = await runProcess(
      'src/main.ts',
      [],
      { DISCORD_TOKEN: '', DATA_DIR: join(temp, 'data'), LOG_LEVEL: 'silent' },
      `${input}\n`,
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const { stdout } = outcome;
    expect(stdout).not.toContain(ANSI);
    expect(stdout.split('\n')[0]).toMatch(/DISCORD_TOKEN.*\.env.*README/);

    // The answer: a verbatim paragraph of the NS Tech report between quotation marks, then its source.
    const document = await readFile(join(repoRoot, 'corpus', 'ns-tech-china-trip.txt'), 'utf8');
    const quote = /“([^”]+)”\n {2}— (.+)\n/.exec(stdout);
    expect(quote).not.toBeNull();
    const [, text = '', source = ''] = quote ?? [];
    expect(document).toContain(text);
    expect(document.split(/\n\s*\n/).map((block) => block.trim())).toContain(text.trim());
    expect(source).toMatch(/ — NS Tech.* · ¶\d+/);

    // /source lists the five documents; /source <id> details one; an unknown id is one plain line.
    expect(stdout).toMatch(/^amnesty-2015-internet-repression +.+ · \d+ paragraphs$/m);
    expect(stdout).toMatch(/^un-tencent-partnership +.+ · \d+ paragraphs$/m);
    expect(stdout).toMatch(/^ {2}id: +ns-tech-china-trip$/m);
    expect(stdout.split('\n\n')).toContain(
      'There is no document "nothing-here" here. List the sources to see the ids you can use.',
    );
    expect(stdout).toContain('Usage: /ask <question>');
    expect(stdout).toContain('Unknown command /dance. Type /help for the commands.');
    expect(stdout).toContain(REPL_HELP);
    expect(stdout).not.toContain('asked after quitting');
  });
});

describe('npm start with a bad configuration', () => {
  it('prints one line per problem and exits 1, without a stack trace', async () => {
    const outcome = await runProcess('src/main.ts', [], {
      DISCORD_TOKEN: '',
      LOG_LEVEL: 'loud',
      SHARD_COUNT: 'many',
      HEALTH_PORT: '70000',
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    const lines = outcome.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Configuration problem:');
    expect(
      lines
        .slice(1, -1)
        .map((line) => line.split(' ')[0])
        .sort(),
    ).toEqual(['HEALTH_PORT', 'LOG_LEVEL', 'SHARD_COUNT']);
    expect(lines.at(-1)).toBe('See .env.example.');
  });
});

describe('the interactive mode', () => {
  let library: Library;
  beforeAll(async () => {
    library = await openLibrary({ logger: silentLogger() });
  });
  afterAll(async () => {
    await library.close();
  });

  async function converse(
    lines: string[],
    output: PassThrough & { isTTY?: boolean; hasColors?: () => boolean } = new PassThrough(),
  ): Promise<string> {
    let text = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await runRepl({ library, input: Readable.from([lines.join('\n')]), output, logger: silentLogger() });
    return text;
  }

  it.each([
    [
      'a question only of stop words',
      'what is the',
      /^The sources do not answer this: the question has no words to search on.*Type \/source/m,
    ],
    [
      'a question off the topic',
      'How do I bake sourdough bread at home?',
      /^The sources do not answer this: .* Type \/source/m,
    ],
    ['/ask with the question', `/ask ${QUESTION}`, /^“[^”]+”\n {2}— .+NS Tech/m],
    [
      'a blank line, then Ctrl-D',
      '   ',
      /^Ask a question about 5 documents; \/help for commands, \/quit to leave\.\n$/,
    ],
  ])('replies to %s', async (_case, line, expected) => {
    expect(await converse([line])).toMatch(expected);
  });

  it('bolds and colours matched words on a TTY, leaving the quote the same once the codes are removed', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, hasColors: () => true });
    const styled = await converse([QUESTION], tty);
    const plain = await converse([QUESTION]);
    expect(styled).toContain('\u001b[1m\u001b[33m');
    expect(stripStyle(styled)).toBe(plain);
  });
});
