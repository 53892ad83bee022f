/**
 * Run as a child process by snapshot-kill.test.ts: opens the library over DATA_DIR (which writes the index
 * snapshot), then rewrites that same snapshot for ever through the real atomic writer, so that a
 * temporary file is there to be caught by `kill -9`. Prints "ready" once the first snapshot is whole.
 */
import { readFile } from 'node:fs/promises';
import { openLibrary } from '../../src/library.ts';
import { silentLogger } from '../../src/log.ts';
import { snapshotPath, writeSnapshotFile } from '../../src/store/snapshot-file.ts';

const dataDir = process.argv[2] as string;
const corpusFolder = process.argv[3] as string;
const library = await openLibrary({ dataDir, corpusFolder, logger: silentLogger() });
await library.close();
const path = snapshotPath(dataDir);
const data = await readFile(path);
const body = data.subarray(data.indexOf(10) + 1).toString('utf8');
process.stdout.write('ready\n');
for (;;) await writeSnapshotFile(path, body);
