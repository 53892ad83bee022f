/**
 * The Library's index snapshot: used when it matches the corpus, rebuilt (with a warning, never a
 * failure) when it is missing, stale, damaged, cut short or from another version, and in every case the
 * answers are those of a fresh build.
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guildScope } from '../../src/core/index.ts';
import { openLibrary, type Library } from '../../src/library.ts';
import { snapshotPath, writeSnapshotFile } from '../../src/store/snapshot-file.ts';
import { capturingLogger, GUILD_A, temporaryDir } from './helpers.ts';

const FILES: Record<string, string> = {
  'ferry.txt':
    'Harbour ferry returns\n\nThe passenger ferry between the old harbour and Kettle Island resumed its timetable on Monday after three months in dry dock.\n\nSunday sailings drop from eight to six because the crew rota could not be filled, the operator said.',
  'library.txt':
    'The town library opens a winter reading room on the first floor, with twelve desks and a radiator that works.\n\nMembers may borrow four books at a time; the reading room closes at eight.',
  'lighthouse.md':
    '# Keeper log\n\nThe keeper trimmed the lamp and wound the clockwork before dusk.\n\nA northerly gale kept the supply boat in port for nine days.',
};
const QUESTIONS = [
  'When does the reading room close?',
  'Why were Sunday sailings reduced?',
  'What kept the supply boat in port?',
  'ferry timetable dry dock',
  'quantum chromodynamics',
];

let root: { dir: string; remove: () => Promise<void> };
let corpusDir: string;
let dataDir: string;

beforeEach(async () => {
  root = await temporaryDir('verbatim-snapshot-');
  corpusDir = join(root.dir, 'corpus');
  dataDir = join(root.dir, 'data');
  await fs.mkdir(corpusDir);
  for (const [name, text] of Object.entries(FILES)) await fs.writeFile(join(corpusDir, name), text);
});
afterEach(async () => {
  await root.remove();
});

async function open(): Promise<{
  library: Library;
  warnings: () => Array<{ msg: string; reason?: string }>;
}> {
  const { logger, warnings } = capturingLogger();
  const library = await openLibrary({ corpusFolder: corpusDir, dataDir, logger });
  return { library, warnings };
}

/** Opens, answers every question, closes (which waits for the snapshot write). */
async function answersOf(): Promise<{
  answers: unknown[];
  library: Library;
  warnings: Array<{ msg: string; reason?: string }>;
}> {
  const { library, warnings } = await open();
  const answers = await Promise.all(
    QUESTIONS.map((question) => library.ask(question, { scope: guildScope(GUILD_A) })),
  );
  await library.close();
  return { answers, library, warnings: warnings() };
}

describe('Library start-up from an index snapshot', () => {
  it('builds and saves a snapshot on the first start, loads it on the next, with the same answers', async () => {
    const first = await answersOf();
    expect(first.library.startup).toMatchObject({ source: 'built', reason: 'there is no snapshot yet' });
    expect(first.warnings).toEqual([]);
    await expect(fs.stat(snapshotPath(dataDir))).resolves.toBeTruthy();

    const second = await answersOf();
    expect(second.library.startup.source).toBe('snapshot');
    expect(second.warnings).toEqual([]);
    expect(second.answers).toEqual(first.answers);
    expect(first.answers.some((answer) => (answer as { answered: boolean }).answered)).toBe(true);
  });

  it.each([
    [
      'damaged',
      (data: Buffer) => Buffer.concat([data.subarray(0, 200), Buffer.from('XX'), data.subarray(202)]),
      /checksum/,
    ],
    ['cut short', (data: Buffer) => data.subarray(0, Math.floor(data.length / 2)), /cut short/],
    ['not a snapshot at all', () => Buffer.from('{"hello": "world"}\n'), /no valid header/],
    ['empty', () => Buffer.alloc(0), /no valid header/],
  ])(
    'rebuilds with a warning when the snapshot is %s, and answers as a fresh build',
    async (_what, damage, why) => {
      const fresh = await answersOf();
      const path = snapshotPath(dataDir);
      await fs.writeFile(path, damage(await fs.readFile(path)));

      const rebuilt = await answersOf();
      expect(rebuilt.library.startup.source).toBe('built');
      expect(rebuilt.library.startup.reason).toMatch(why);
      expect(rebuilt.warnings).toHaveLength(1);
      expect(rebuilt.warnings[0]?.msg).toMatch(/^Index snapshot not used .*; rebuilding the index$/);
      expect(rebuilt.answers).toEqual(fresh.answers);
      // The rebuild wrote a good snapshot again.
      expect((await answersOf()).library.startup.source).toBe('snapshot');
    },
  );

  it('rebuilds when a corpus document changed since the snapshot, and answers from the new text', async () => {
    await answersOf();
    await fs.writeFile(
      join(corpusDir, 'library.txt'),
      FILES['library.txt']?.replace('closes at eight', 'closes at ten') ?? '',
    );
    const { library, warnings } = await open();
    expect(library.startup.source).toBe('built');
    expect(library.startup.reason).toMatch(/stale: the documents changed/);
    expect(warnings()).toHaveLength(1);
    expect((await library.ask('When does the reading room close?')).passages[0]?.text).toMatch(
      /closes at ten/,
    );
    await library.close();
  });

  it('rebuilds when the snapshot comes from another format version', async () => {
    await answersOf();
    await writeSnapshotFile(snapshotPath(dataDir), JSON.stringify({ format: 0 }));
    const { library, warnings } = await open();
    expect(library.startup.source).toBe('built');
    expect(library.startup.reason).toMatch(/another version/);
    expect(warnings()).toHaveLength(1);
    await library.close();
  });

  it("indexes servers' own documents on top of a loaded snapshot", async () => {
    const first = await open();
    await first.library.add({
      scope: guildScope(GUILD_A),
      source: { kind: 'text', text: 'The allotment society meets on Thursdays in the old boathouse.' },
      actor: { userId: '42', userName: 'mod' },
    });
    await first.library.close();
    const second = await open();
    expect(second.library.startup.source).toBe('snapshot');
    const passages = (
      await second.library.ask('Where does the allotment society meet?', {
        scope: guildScope(GUILD_A),
      })
    ).passages;
    expect(passages[0]?.text).toBe('The allotment society meets on Thursdays in the old boathouse.');
    await second.library.close();
  });
});
