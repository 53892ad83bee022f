/**
 * `kill -9` while the index snapshot's temporary file exists (issue 11, failure 7): after a restart no
 * temporary file is left anywhere under DATA_DIR, and the snapshot is whole (used) or rebuilt.
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openLibrary } from '../../src/library.ts';
import { SNAPSHOT_DIR } from '../../src/store/snapshot-file.ts';
import { capturingLogger, temporaryDir } from './helpers.ts';

let root: { dir: string; remove: () => Promise<void> };
let dataDir: string;
let corpusDir: string;

beforeEach(async () => {
  root = await temporaryDir('verbatim-kill-');
  dataDir = join(root.dir, 'data');
  corpusDir = join(root.dir, 'corpus');
  await fs.mkdir(corpusDir);
  // Enough text that the snapshot takes a moment to write.
  for (let i = 0; i < 40; i++) {
    const paragraphs = Array.from(
      { length: 30 },
      (_, p) =>
        `Ledger ${i} entry ${p}: the harbour crane ${i * p} lifted crates of tin, rope and salt fish ${p}.`,
    );
    await fs.writeFile(join(corpusDir, `ledger-${i}.txt`), `Ledger ${i}\n\n${paragraphs.join('\n\n')}\n`);
  }
});
afterEach(async () => {
  await root.remove();
});

async function temporaryFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.tmp')).map((e) => join(e.parentPath, e.name));
}

/** Starts the writer child and SIGKILLs it the moment a snapshot temporary file appears. */
async function killDuringWrite(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/store/snapshot-writer-child.ts', dataDir, corpusDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
  });
  const index = join(dataDir, SNAPSHOT_DIR);
  await new Promise<void>((resolve) => {
    const watcher = watch(index, (_event, name) => {
      if (name?.endsWith('.tmp')) {
        child.kill('SIGKILL');
        watcher.close();
        resolve();
      }
    });
  });
  await exited;
}

it('a kill -9 during the snapshot write leaves no temporary file after a restart, and the snapshot is whole', async () => {
  // The kill must land while the file exists: try again (rarely needed) until one was left behind.
  let left: string[] = [];
  for (let attempt = 0; attempt < 10 && left.length === 0; attempt++) {
    await killDuringWrite();
    left = await temporaryFiles(dataDir);
  }
  expect(left.length).toBeGreaterThan(0);
  // A leftover in the data folder itself (e.g. from a future atomic write there) goes too.
  await fs.writeFile(join(dataDir, '.button-key.123-abcd.tmp'), 'partial');

  const { logger } = capturingLogger();
  const library = await openLibrary({ dataDir, corpusFolder: corpusDir, logger });
  try {
    expect(library.startup.source).toBe('snapshot');
    expect((await library.ask('What did the harbour crane lift?')).answered).toBe(true);
  } finally {
    await library.close();
  }
  expect(await temporaryFiles(dataDir)).toEqual([]);
}, 60_000);
