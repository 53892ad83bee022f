/**
 * The key that signs button custom_ids (see button-state.ts). Generated on the first start and kept in
 * `DATA_DIR/button-key` readable by the bot's user only (0600), so buttons keep working across restarts and
 * no one who cannot read DATA_DIR can forge them. Created with `wx` so two shards starting at once agree on
 * one key: the loser of the race reads the winner's.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const BUTTON_KEY_FILE = 'button-key';
const KEY_BYTES = 32;

/** The signing key kept under `dataDir`, created when absent (or too short to be one of ours). */
export async function loadButtonKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, BUTTON_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const key = await readFile(path);
      if (key.length >= KEY_BYTES) {
        // A key copied in with looser permissions is tightened rather than trusted as is.
        await chmod(path, 0o600);
        return key;
      }
      await writeFile(path, randomBytes(KEY_BYTES), { mode: 0o600 });
      continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await writeFile(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFile(path);
}
