/**
 * The index snapshot on disk: `<dataDir>/index/corpus-snapshot.json`, one header line then the engine's
 * snapshot as JSON:
 *
 *     verbatim-snapshot sha256=<hex of the body> bytes=<length of the body in bytes>
 *     {"format":1,...}
 *
 * The header lets a truncated or damaged file be told apart from a good one before anything is parsed.
 * Writes are atomic like the documents' (temporary file in the same folder, fsync, rename, fsync of the
 * folder), so a crash leaves the old snapshot or the new one, never a mix.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, join } from 'node:path';

export const SNAPSHOT_DIR = 'index';
export const SNAPSHOT_FILE = 'corpus-snapshot.json';
const HEADER = /^verbatim-snapshot sha256=([0-9a-f]{64}) bytes=(\d+)$/;

export function snapshotPath(dataDir: string): string {
  return join(dataDir, SNAPSHOT_DIR, SNAPSHOT_FILE);
}

/** What reading found: the parsed snapshot, no file at all, or a file that cannot be trusted (and why). */
export type SnapshotRead =
  | { kind: 'found'; snapshot: unknown; bytes: number }
  | { kind: 'missing' }
  | { kind: 'unusable'; reason: string };

export async function readSnapshotFile(path: string): Promise<SnapshotRead> {
  let data: Buffer;
  try {
    data = await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unusable', reason: `it cannot be read (${errorText(error)})` };
  }
  const newline = data.indexOf(10);
  const header = HEADER.exec(newline < 0 ? '' : data.subarray(0, newline).toString('latin1'));
  if (header === null)
    return { kind: 'unusable', reason: 'it has no valid header (not a snapshot, or damaged)' };
  const body = data.subarray(newline + 1);
  if (body.length !== Number(header[2]))
    return { kind: 'unusable', reason: `it is cut short or padded (${body.length} of ${header[2]} bytes)` };
  if (createHash('sha256').update(body).digest('hex') !== header[1])
    return { kind: 'unusable', reason: 'its checksum does not match (damaged)' };
  try {
    return { kind: 'found', snapshot: JSON.parse(body.toString('utf8')), bytes: data.length };
  } catch (error) {
    return { kind: 'unusable', reason: `it is not valid JSON (${errorText(error)})` };
  }
}

/** Writes `json` (the serialised snapshot) atomically at `path`, creating its folder. */
export async function writeSnapshotFile(path: string, json: string): Promise<number> {
  const body = Buffer.from(json, 'utf8');
  const header = `verbatim-snapshot sha256=${createHash('sha256').update(body).digest('hex')} bytes=${body.length}\n`;
  const dir = join(path, '..');
  await fs.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(header);
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } finally {
    await fs.rm(temp, { force: true });
  }
  const folder = await fs.open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return header.length + body.length;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
