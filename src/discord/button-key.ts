/**
 * The key that signs button custom_ids (see button-state.ts). Generated on the first start and kept in
 * `DATA_DIR/button-key` readable by the bot's user only (0600), so buttons keep working across restarts and
 * no one who cannot read DATA_DIR can forge them.
 *
 * The key is written whole to a temporary file, then hard-linked into place: `link` fails when the name
 * exists, so when shards start at once exactly one key wins, every process reads that one, and no reader
 * ever sees a half-written key. A kill leaves at most the temporary file, which the library sweeps at start.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';

export const BUTTON_KEY_FILE = 'button-key';
/**
 * The salt of the hash that keeps one vote per member per answer without storing who voted (see
 * src/store/db/insights.ts): kept like the button key, so a vote can be changed after a restart.
 */
export const VOTER_SALT_FILE = 'insights-salt';
const KEY_BYTES = 32;

/** The signing key kept under `dataDir`, created when absent (or replaced when too short to be one of ours). */
export function loadButtonKey(dataDir: string): Promise<Buffer> {
  return loadSecret(dataDir, BUTTON_KEY_FILE);
}

/** The voters' salt kept under `dataDir`, made like the button key. */
export function loadVoterSalt(dataDir: string): Promise<Buffer> {
  return loadSecret(dataDir, VOTER_SALT_FILE);
}

/** 32 random bytes kept in `dataDir/fileName` (0600), created when absent or too short. */
async function loadSecret(dataDir: string, fileName: string): Promise<Buffer> {
  const path = join(dataDir, fileName);
  await fs.mkdir(dataDir, { recursive: true });
  const existing = await fs.readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing && existing.length >= KEY_BYTES) {
    // A key copied in with looser permissions is tightened rather than left readable.
    await fs.chmod(path, 0o600);
    return existing;
  }
  const temp = join(dataDir, `.${fileName}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    if (existing) await fs.rename(temp, path);
    else
      await fs.link(temp, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
  } finally {
    await fs.rm(temp, { force: true });
  }
  return fs.readFile(path);
}
