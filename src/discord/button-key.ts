/**
 * The key that signs button custom_ids (see button-state.ts). It is kept in the document database
 * (`Library.buttonKey`), the one place every shard process on every machine reaches, so a button posted by
 * one process verifies on any other: after a restart, and after its server's shard moved to another machine
 * (a new SHARD_LIST). The first process to start stores it; every later one reads that one.
 *
 * Before the database held it, the key was a file, `DATA_DIR/button-key`: when that file is there, its key
 * is the one offered, so the buttons of messages posted before the upgrade keep working. The file is then
 * no longer read once the database holds a key, and may be removed.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import type { Library } from '../library.ts';

export const BUTTON_KEY_FILE = 'button-key';
/** Where the voters' salt was kept before the database held it. */
export const VOTER_SALT_FILE = 'insights-salt';
const KEY_BYTES = 32;

/** The key every process of this bot signs buttons with (see above). */
export async function loadButtonKey(dataDir: string, library: Pick<Library, 'buttonKey'>): Promise<Buffer> {
  const earlier = await fs.readFile(join(dataDir, BUTTON_KEY_FILE)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return library.buttonKey(
    earlier !== undefined && earlier.length >= KEY_BYTES ? earlier : randomBytes(KEY_BYTES),
  );
}

/**
 * The voters' salt (see src/store/db/insights.ts), shared like the button key so that a member's vote is
 * the same hash on every process and machine; a salt file from before (`DATA_DIR/insights-salt`) is the one
 * offered, so votes cast before the upgrade can still be changed.
 */
export async function loadVoterSalt(dataDir: string, library: Pick<Library, 'voterSalt'>): Promise<Buffer> {
  const earlier = await fs.readFile(join(dataDir, VOTER_SALT_FILE)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return library.voterSalt(
    earlier !== undefined && earlier.length >= KEY_BYTES ? earlier : randomBytes(KEY_BYTES),
  );
}
